package dev.kapi.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The name server as the application sees it (the {@link DnsResolver} its outbound calls
 * look names up with): names a test gave answers, the system's resolver for every other.
 * A name given several answers answers them in turn, one per lookup, and its last one for
 * ever after, as a rebinding attacker's name server does.
 */
public final class TestDns implements DnsResolver {

    private record Name(List<InetAddress> answers, AtomicInteger lookups) {
    }

    private final Map<String, Name> names = new ConcurrentHashMap<>();

    /**
     * Makes {@code name} answer {@code answers} in turn, one a lookup, the last one from
     * then on.
     */
    public void answer(String name, String... answers) {
        try {
            InetAddress[] addresses = new InetAddress[answers.length];
            for (int i = 0; i < answers.length; i++) {
                addresses[i] = InetAddress.getByAddress(name, InetAddress.getByName(answers[i]).getAddress());
            }
            names.put(name, new Name(List.of(addresses), new AtomicInteger()));
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    /** How many times the application looked {@code name} up. */
    public int lookups(String name) {
        Name known = names.get(name);
        return known == null ? 0 : known.lookups().get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        Name known = names.get(host);
        if (known == null) {
            return SystemDefaultDnsResolver.INSTANCE.resolve(host);
        }
        int lookup = known.lookups().getAndIncrement();
        return new InetAddress[] { known.answers().get(Math.min(lookup, known.answers().size() - 1)) };
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return names.containsKey(host) ? host : SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

}
