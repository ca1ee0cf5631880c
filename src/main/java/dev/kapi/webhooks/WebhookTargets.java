package dev.kapi.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;
import dev.kapi.shared.net.PublicAddresses;

/**
 * Which URLs a webhook may point at: http or https, at most 2048 characters, and (unless
 * private targets are allowed) a host whose every address is public (see
 * {@link PublicAddresses}): no loopback, private, link-local (cloud metadata),
 * carrier-grade NAT, multicast or unspecified address, nor one of those inside a NAT64,
 * 6to4 or Teredo address. Checked when a webhook is saved, and by the delivery's own
 * lookup, whose checked answer is the address it connects to ({@link #resolver()}). Where
 * private targets are allowed, a non-public IPv4 address disguised in a NAT64, 6to4,
 * Teredo or IPv4-compatible address is still refused.
 */
final class WebhookTargets {

    static final int MAX_URL = 2048;

    private final CheckedResolver resolver;

    WebhookTargets(OutboundHttp outbound, boolean allowPrivate) {
        this.resolver = outbound.resolver(allowPrivate);
    }

    /**
     * The URL parsed, or a 400 naming {@code url}; a target refused by its addresses is
     * {@code webhook-target-private}. Where private targets are allowed, only an IPv6
     * literal is looked at (a host name may not resolve from here yet: the delivery
     * checks it).
     */
    URI check(String url) {
        URI uri = parse(url);
        if (!resolver.admits(uri.getHost())) {
            throw ApiException.invalidField("url", "webhook-target-private");
        }
        return uri;
    }

    /**
     * The lookup deliveries connect through: it refuses what {@link #check} refuses, at
     * the moment of connecting.
     */
    CheckedResolver resolver() {
        return resolver;
    }

    static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw ApiException.invalidField("url", "webhook-url-invalid");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()
                    || uri.getRawUserInfo() != null) {
                throw ApiException.invalidField("url", "webhook-url-invalid");
            }
            return uri;
        }
        catch (URISyntaxException ex) {
            throw ApiException.invalidField("url", "webhook-url-invalid");
        }
    }

}
