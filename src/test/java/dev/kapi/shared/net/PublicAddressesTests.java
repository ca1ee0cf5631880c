package dev.kapi.shared.net;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which addresses calls out of Kapı may reach: the plain private ranges, and IPv4
 * addresses hidden in IPv6 ones (NAT64, 6to4, Teredo, mapped, compatible), refused when
 * what they carry is not public.
 */
class PublicAddressesTests {

    @Test
    void loopbackPrivateLinkLocalAndOtherNonPublicAddressesAreNotPublic() {
        for (String address : new String[] { "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.1",
                "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
                "::ffff:10.0.0.1", "::7f00:1" }) {
            assertThat(PublicAddresses.isPublic(address(address))).as(address).isFalse();
        }
    }

    @Test
    void publicAddressesArePublic() {
        for (String address : new String[] { "8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1",
                "2606:4700:4700::1111", "2a00:1450:4001::200e" }) {
            assertThat(PublicAddresses.isPublic(address(address))).as(address).isTrue();
            assertThat(PublicAddresses.hidesNonPublicV4(address(address))).as(address).isFalse();
        }
    }

    @Test
    void nat64WithANonPublicIpv4IsRefusedAndWithAPublicOneAllowed() {
        assertRefused("64:ff9b::a9fe:a9fe"); // 169.254.169.254, the cloud metadata
                                             // service
        assertRefused("64:ff9b::7f00:1"); // 127.0.0.1
        assertRefused("64:ff9b::c0a8:101"); // 192.168.1.1
        assertAllowed("64:ff9b::808:808"); // 8.8.8.8
    }

    @Test
    void nat64sLocalUsePrefixIsNeverPublicAndHidesAPrivateIpv4WhereverItSits() {
        assertThat(PublicAddresses.isPublic(address("64:ff9b:1::a9fe:a9fe"))).isFalse();
        assertThat(PublicAddresses.isPublic(address("64:ff9b:1::808:808"))).isFalse();
        assertThat(PublicAddresses.isPublic(address("64:ff9b:1:a9fe:a9:fe00:808:808"))).isFalse();
    }

    @Test
    void sixToFourWithANonPublicIpv4IsRefusedAndWithAPublicOneAllowed() {
        assertRefused("2002:c0a8:0101::"); // 192.168.1.1
        assertRefused("2002:a9fe:a9fe::1"); // 169.254.169.254
        assertRefused("2002:7f00:1::"); // 127.0.0.1
        assertAllowed("2002:808:808::1"); // 8.8.8.8
    }

    @Test
    void teredoWithANonPublicServerOrClientIsRefusedAndWithPublicOnesAllowed() {
        assertRefused("2001:0:a00:1:0:0:f7f7:fbfb"); // server 10.0.0.1, client 8.8.4.4
        assertRefused("2001:0:808:808:0:0:3f57:fefe"); // server 8.8.8.8, client
                                                       // 192.168.1.1 (xor-ed)
        assertRefused("2001:0:808:808:0:0:5601:5601"); // client 169.254.169.254 (xor-ed)
        assertAllowed("2001:0:808:808:0:0:f7f7:fbfb"); // server 8.8.8.8, client 8.8.4.4
    }

    @Test
    void ipv4MappedAndCompatibleAddressesAreJudgedByTheirIpv4() {
        assertThat(PublicAddresses.isPublic(address("::ffff:127.0.0.1"))).isFalse();
        assertThat(PublicAddresses.isPublic(address("::ffff:8.8.8.8"))).isTrue();
        assertRefused("::a9fe:a9fe"); // IPv4-compatible 169.254.169.254
        assertAllowed("::808:808");
    }

    @Test
    void plainPrivateAddressesDisguiseNothing() {
        for (String address : new String[] { "127.0.0.1", "10.0.0.1", "::1", "::", "fd00::1", "fe80::1" }) {
            assertThat(PublicAddresses.hidesNonPublicV4(address(address))).as(address).isFalse();
        }
    }

    /** Not public, and a disguise: refused even where private targets are allowed. */
    private static void assertRefused(String address) {
        assertThat(PublicAddresses.isPublic(address(address))).as(address).isFalse();
        assertThat(PublicAddresses.hidesNonPublicV4(address(address))).as(address).isTrue();
    }

    private static void assertAllowed(String address) {
        assertThat(PublicAddresses.isPublic(address(address))).as(address).isTrue();
        assertThat(PublicAddresses.hidesNonPublicV4(address(address))).as(address).isFalse();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        }
        catch (java.net.UnknownHostException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

}
