package dev.kapi.identity.provider.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.stereotype.Component;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;

/**
 * The addresses Kapı itself calls for a client (its {@code backchannel_logout_uri} and
 * {@code jwks_uri}) pass the guard webhooks pass: {@link OutboundHttp}'s checked lookup,
 * which refuses loopback, private, link-local (cloud metadata) and disguised addresses
 * unless {@code kapi.identity.oauth-clients.allow-private}. Checked at registration, and
 * again by whoever connects, through {@link #resolver()}.
 */
@Component
public final class ClientTargets {

    static final int MAX_URL = 2048;

    private final CheckedResolver resolver;

    ClientTargets(OutboundHttp outbound, OAuthClientSettings settings) {
        this.resolver = outbound.resolver(settings.allowPrivate());
    }

    /**
     * The URL parsed and its host checked, or a 400 naming {@code field}
     * ({@code oauth-client-url-invalid}, {@code oauth-client-target-private}). Where
     * private targets are allowed only an IPv6 literal is looked at (a name may not
     * resolve from here yet; the call checks it).
     */
    URI check(String field, String url) {
        URI uri = parse(field, url);
        if (!resolver.admits(uri.getHost())) {
            throw ApiException.invalidField(field, "oauth-client-target-private");
        }
        return uri;
    }

    /** The lookup a call to a client's address connects through. */
    public CheckedResolver resolver() {
        return resolver;
    }

    private static URI parse(String field, String url) {
        if (url.length() > MAX_URL || url.contains(",")) {
            throw ApiException.invalidField(field, "oauth-client-url-invalid");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()
                    || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw ApiException.invalidField(field, "oauth-client-url-invalid");
            }
            return uri;
        }
        catch (URISyntaxException ex) {
            throw ApiException.invalidField(field, "oauth-client-url-invalid");
        }
    }

}
