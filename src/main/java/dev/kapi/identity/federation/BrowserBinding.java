package dev.kapi.identity.federation;

import java.util.Optional;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.PublicUrl;

/**
 * The cookie that ties an external sign-in to the browser that started it (HttpOnly,
 * SameSite=Lax so the provider's redirect back carries it, {@code __Host-} on https):
 * only its hash is stored with the flow, so a callback or code sent to another browser
 * (login CSRF, a link pasted to a victim) finds no match.
 */
@Component
public final class BrowserBinding {

    private static final int MAX_VALUE_LENGTH = 64;

    private final String name;

    private final boolean secure;

    private final long maxAgeSeconds;

    BrowserBinding(PublicUrl site, FederationSettings settings) {
        this.secure = site.publicUrl().startsWith("https://");
        this.name = secure ? "__Host-kapi_external" : "kapi_external";
        this.maxAgeSeconds = settings.stateTtl().toSeconds();
    }

    /** The browser's secret, when it has one of a plausible shape. */
    public Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isEmpty()
                    && cookie.getValue().length() <= MAX_VALUE_LENGTH && cookie.getValue().matches("[A-Za-z0-9_-]+")) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The browser's secret, a new one set on the response when it has none (a second
     * tab's flow keeps the first one's).
     */
    String readOrIssue(HttpServletRequest request, HttpServletResponse response) {
        String secret = read(request).orElseGet(SecretTokens::generate);
        response.addHeader(HttpHeaders.SET_COOKIE,
                ResponseCookie.from(name, secret)
                    .httpOnly(true)
                    .secure(secure)
                    .sameSite("Lax")
                    .path("/")
                    .maxAge(maxAgeSeconds)
                    .build()
                    .toString());
        return secret;
    }

}
