package dev.kapi.identity.hosted;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.PublicUrl;

/**
 * The browser's single sign-on cookie: a random 256-bit value whose SHA-256 a Kapı
 * session row holds. Named {@code __Host-kapi_sso} (Secure, no Domain) when Kapı is
 * reached over https, {@code kapi_sso} otherwise; always HttpOnly, SameSite=Lax (the
 * top-level redirect from a client carries it) and Path=/.
 */
@Component
public final class SsoCookie {

    private static final int MAX_VALUE_LENGTH = 64;

    private final boolean secure;

    private final String name;

    private final long maxAgeSeconds;

    private final Sessions sessions;

    SsoCookie(PublicUrl site, IdentitySettings settings, Sessions sessions) {
        this.sessions = sessions;
        this.secure = site.publicUrl().startsWith("https://");
        this.name = secure ? "__Host-kapi_sso" : "kapi_sso";
        this.maxAgeSeconds = settings.session().absoluteLifetime().toSeconds();
    }

    public String name() {
        return name;
    }

    /** Whether Kapı's public address is https, so its cookies are Secure. */
    boolean secure() {
        return secure;
    }

    /** The cookie's value, when the request carries one of a plausible length. */
    public Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isEmpty()
                    && cookie.getValue().length() <= MAX_VALUE_LENGTH) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Makes the session the browser's single sign-on session: a new random value, its
     * hash on the session row, the cookie on the response. False (and no cookie) when the
     * session ended meanwhile.
     */
    boolean attach(UUID sessionId, HttpServletResponse response) {
        String value = SecretTokens.generate();
        if (!sessions.attachSsoToken(sessionId, hash(value))) {
            return false;
        }
        write(response, value);
        return true;
    }

    /** Sets the cookie to {@code value} for the session's absolute lifetime. */
    private void write(HttpServletResponse response, String value) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(value, maxAgeSeconds).toString());
    }

    /** Tells the browser to forget the cookie (the session itself is ended elsewhere). */
    public void clear(HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie("", 0).toString());
    }

    private ResponseCookie cookie(String value, long maxAge) {
        return ResponseCookie.from(name, value)
            .httpOnly(true)
            .secure(secure)
            .sameSite("Lax")
            .path("/")
            .maxAge(maxAge)
            .build();
    }

    /** What the session row keeps of a cookie value. */
    static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
