package dev.kapi.identity.federation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.stereotype.Component;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;

/**
 * The addresses Kapı calls for a provider (its issuer, and what the issuer's discovery
 * document names) pass the webhooks' guard: {@link OutboundHttp}'s checked lookup, which
 * refuses loopback, private, link-local and disguised addresses unless
 * {@code KAPI_IDENTITY_PROVIDERS_ALLOW_PRIVATE}. Checked when an admin saves the
 * provider, and again by every connection ({@link #resolver()}).
 */
@Component
final class IssuerTargets {

    static final int MAX_URL = 2048;

    private final boolean allowPrivate;

    private final CheckedResolver resolver;

    IssuerTargets(OutboundHttp outbound, FederationSettings settings) {
        this.allowPrivate = settings.allowPrivate();
        this.resolver = outbound.resolver(settings.allowPrivate());
    }

    /**
     * The issuer parsed (https, or http where private targets are allowed) and its host
     * checked, or a 400 naming {@code field}.
     */
    URI check(String field, String url) {
        URI uri = parse(field, url);
        if (!resolver.admits(uri.getHost())) {
            throw ApiException.invalidField(field, "identity-provider-issuer-private");
        }
        return uri;
    }

    /** The lookup every call to a provider connects through. */
    CheckedResolver resolver() {
        return resolver;
    }

    private URI parse(String field, String url) {
        if (url.length() > MAX_URL) {
            throw ApiException.invalidField(field, "identity-provider-issuer-invalid");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean schemeAllowed = scheme.equals("https") || (allowPrivate && scheme.equals("http"));
            if (!schemeAllowed || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw ApiException.invalidField(field, "identity-provider-issuer-invalid");
            }
            return uri;
        }
        catch (URISyntaxException ex) {
            throw ApiException.invalidField(field, "identity-provider-issuer-invalid");
        }
    }

}
