package dev.kapi.identity.federation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.PublicUrl;

/**
 * Where a finished external sign-in may send the browser with its one-time code: a path
 * of Kapı itself, an address under {@code KAPI_PUBLIC_URL}, an address on an origin
 * {@code KAPI_CORS_ORIGINS} lists, or exactly a registered client's redirect URI. Any
 * other address would hand the code to whoever chose it.
 */
@Component
final class ReturnTargets {

    static final int MAX_LENGTH = 2048;

    private final String publicBase;

    private final List<String> origins;

    private final JdbcClient jdbc;

    ReturnTargets(PublicUrl publicUrl, UrlBasedCorsConfigurationSource cors, JdbcClient jdbc) {
        this.publicBase = publicUrl.base();
        CorsConfiguration all = cors.getCorsConfigurations().get("/**");
        this.origins = all == null || all.getAllowedOrigins() == null ? List.of()
                : all.getAllowedOrigins().stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
        this.jdbc = jdbc;
    }

    /** The address, checked; a 400 {@code external-return-to-invalid} otherwise. */
    String check(String returnTo) {
        if (returnTo == null || returnTo.isEmpty() || returnTo.length() > MAX_LENGTH || returnTo.indexOf('\\') >= 0
                || returnTo.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw invalid();
        }
        URI uri;
        try {
            uri = new URI(returnTo);
        }
        catch (URISyntaxException ex) {
            throw invalid();
        }
        if (uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw invalid();
        }
        if (uri.getScheme() == null) {
            if (uri.getRawAuthority() != null || !returnTo.startsWith("/") || returnTo.startsWith("//")) {
                throw invalid();
            }
            return returnTo;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw invalid();
        }
        String origin = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        if (origins.contains(origin) || returnTo.equals(publicBase) || returnTo.startsWith(publicBase + "/")
                || returnTo.startsWith(publicBase + "?") || registeredRedirect(returnTo)) {
            return returnTo;
        }
        throw invalid();
    }

    private boolean registeredRedirect(String uri) {
        return jdbc
            .sql("SELECT count(*) FROM oauth2_registered_client "
                    + "WHERE :uri = ANY (string_to_array(redirect_uris, ','))")
            .param("uri", uri)
            .query(Long.class)
            .single() > 0;
    }

    private static ApiException invalid() {
        return ApiException.invalidField("return_to", "external-return-to-invalid");
    }

}
