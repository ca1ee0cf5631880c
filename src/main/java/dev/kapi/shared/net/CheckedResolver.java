package dev.kapi.shared.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * A host name's addresses, looked up once and checked: every address must be public (see
 * {@link PublicAddresses}), or, where private targets are allowed, at least not a
 * non-public IPv4 address disguised in a NAT64, 6to4, Teredo or IPv4-compatible address.
 * As the {@link DnsResolver} of an HTTP client's connection manager it is the only lookup
 * a connection makes, so the connection goes to an address that passed, never to a second
 * answer of the name (DNS rebinding); TLS still checks the certificate against the host
 * name.
 */
public final class CheckedResolver implements DnsResolver {

    private final DnsResolver dns;

    private final boolean allowPrivate;

    CheckedResolver(DnsResolver dns, boolean allowPrivate) {
        this.dns = dns;
        this.allowPrivate = allowPrivate;
    }

    /**
     * The host's addresses, all of them allowed; a {@link RefusedAddressException} when
     * one is not.
     */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = dns.resolve(name);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(name);
        }
        for (InetAddress address : addresses) {
            if (PublicAddresses.hidesNonPublicV4(address) || !allowPrivate && !PublicAddresses.isPublic(address)) {
                throw new RefusedAddressException(name);
            }
        }
        return addresses.clone();
    }

    /**
     * Whether a target being saved (a webhook, a client's address, a provider's issuer)
     * may be called: its host resolves to allowed addresses. Where private targets are
     * allowed only an IPv6 literal is looked at: a host name may not resolve from here
     * yet, and the call checks it again when it connects.
     */
    public boolean admits(String host) {
        if (allowPrivate && !host.startsWith("[")) {
            return true;
        }
        try {
            resolve(host);
            return true;
        }
        catch (UnknownHostException | SecurityException ex) {
            return false;
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return dns.resolveCanonicalHostname(host);
    }

    /** A host that resolves to an address calls may not go to. */
    public static final class RefusedAddressException extends UnknownHostException {

        RefusedAddressException(String host) {
            super(host + " resolves to a non-public address");
        }

    }

}
