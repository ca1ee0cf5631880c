package dev.kapi.identity.hosted;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The headers of every hosted page: a strict Content-Security-Policy (no inline script,
 * no framing, forms only to Kapı itself and to the origins a page names), no framing and
 * no referrer. Chrome applies {@code form-action} to the redirects that follow a form's
 * POST, so a page whose form ends at a client (sign-in or consent, then the client's
 * redirect URI) names the origins of that client's registered redirect URIs.
 */
public final class HostedPolicy {

    private static final String BASE = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'%s; frame-ancestors 'none'; "
            + "base-uri 'none'";

    private HostedPolicy() {
    }

    /** The policy whose {@code form-action} also allows these origins. */
    public static String contentSecurityPolicy(Collection<String> formActionOrigins) {
        StringBuilder extra = new StringBuilder();
        for (String origin : new TreeSet<>(formActionOrigins)) {
            // Only origins that were parsed as such: nothing can close the directive.
            if (origin.matches("[a-z][a-z0-9+.-]*://[A-Za-z0-9.\\-\\[\\]:]+")) {
                extra.append(' ').append(origin);
            }
        }
        return BASE.formatted(extra);
    }

    /** Writes the policy and its companion headers on a response. */
    public static void apply(HttpServletResponse response, Collection<String> formActionOrigins) {
        response.setHeader("Content-Security-Policy", contentSecurityPolicy(formActionOrigins));
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
    }

    /**
     * The origins ({@code scheme://host[:port]}) of redirect URIs, skipping any that does
     * not parse.
     */
    public static Set<String> originsOf(Collection<String> uris) {
        Set<String> origins = new TreeSet<>();
        for (String uri : uris) {
            try {
                URI parsed = URI.create(uri);
                if (parsed.getScheme() != null && parsed.getHost() != null) {
                    origins.add(parsed.getScheme().toLowerCase(Locale.ROOT) + "://"
                            + parsed.getHost().toLowerCase(Locale.ROOT)
                            + (parsed.getPort() == -1 ? "" : ":" + parsed.getPort()));
                }
            }
            catch (IllegalArgumentException ex) {
                // Not a URI: not an origin either.
            }
        }
        return origins;
    }

}
