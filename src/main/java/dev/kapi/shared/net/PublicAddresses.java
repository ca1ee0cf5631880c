package dev.kapi.shared.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Which addresses a call out of Kapı may reach. Public means none of: loopback (127/8,
 * ::1), private (10/8, 172.16/12, 192.168/16, unique-local fc00::/7), link-local
 * (169.254/16 with the cloud metadata service, fe80::/10), carrier-grade NAT (100.64/10),
 * benchmarking (198.18/15), documentation, multicast, reserved, unspecified; nor an IPv6
 * address that carries a non-public IPv4 address: IPv4-mapped ({@code ::ffff:0:0/96}) and
 * IPv4-compatible ({@code ::/96}), NAT64 ({@code 64:ff9b::/96}), 6to4 ({@code 2002::/16})
 * and Teredo ({@code 2001::/32}: its server, and its client xor-ed). NAT64's local-use
 * prefix {@code 64:ff9b:1::/48} (RFC 8215) is never public: the local network's
 * translator decides where the IPv4 address sits in it and where it leads.
 */
public final class PublicAddresses {

    private PublicAddresses() {
    }

    /** Whether a call may go to this address when private targets are not allowed. */
    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes, 0);
        }
        if (startsWith(bytes, NAT64_LOCAL)) {
            return false;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        if (first == 0xff // multicast ff00::/8
                || (first & 0xfe) == 0xfc // unique local fc00::/7
                || first == 0xfe && (second & 0xc0) >= 0x80 // link-local fe80::/10 and
                                                            // the old site-local
                                                            // fec0::/10
                || startsWith(bytes, DOCUMENTATION)) {
            return false;
        }
        if (zeros(bytes, 0, 10) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
            return isPublicV4(bytes, 12); // IPv4-mapped
        }
        if (zeros(bytes, 0, 12)) {
            return isPublicV4(bytes, 12); // ::, ::1 and the IPv4-compatible ::a.b.c.d
        }
        return !hidesNonPublicV4(bytes);
    }

    /**
     * Whether the address carries a non-public IPv4 address inside a prefix that must
     * only carry public ones: NAT64's well-known prefix (RFC 6052: never for non-global
     * IPv4 addresses), 6to4, Teredo and the IPv4-compatible form. Such an address is a
     * disguise, never a way to name a receiver on one's own network, so it is refused
     * even where private targets are allowed.
     */
    public static boolean hidesNonPublicV4(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return false;
        }
        if (zeros(bytes, 0, 12)) {
            // :: and ::1 are what they say; ::a.b.c.d, deprecated, is refused when
            // a.b.c.d is not public
            return !(zeros(bytes, 12, 15) && (bytes[15] & 0xfe) == 0) && !isPublicV4(bytes, 12);
        }
        return hidesNonPublicV4(bytes);
    }

    private static final byte[] NAT64 = { 0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

    private static final byte[] NAT64_LOCAL = { 0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0x00, 0x01 };

    private static final byte[] SIX_TO_FOUR = { 0x20, 0x02 };

    private static final byte[] TEREDO = { 0x20, 0x01, 0x00, 0x00 };

    private static final byte[] DOCUMENTATION = { 0x20, 0x01, 0x0d, (byte) 0xb8 };

    private static boolean hidesNonPublicV4(byte[] bytes) {
        if (startsWith(bytes, NAT64)) {
            return !isPublicV4(bytes, 12);
        }
        if (startsWith(bytes, SIX_TO_FOUR)) {
            return !isPublicV4(bytes, 2);
        }
        if (startsWith(bytes, TEREDO)) {
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~bytes[12 + i];
            }
            return !isPublicV4(bytes, 4) || !isPublicV4(client, 0);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] bytes, int at) {
        int a = bytes[at] & 0xff;
        int b = bytes[at + 1] & 0xff;
        int c = bytes[at + 2] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224 // this network, private,
                                                           // loopback, multicast,
                                                           // reserved
                || a == 100 && b >= 64 && b < 128 // carrier-grade NAT
                || a == 169 && b == 254 // link-local, the cloud metadata service
                || a == 172 && b >= 16 && b < 32 || a == 192 && b == 168 // private
                || a == 192 && b == 0 && (c == 0 || c == 2) // IETF protocol assignments,
                                                            // documentation
                || a == 198 && (b == 18 || b == 19) // benchmarking
                || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113); // documentation
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

}
