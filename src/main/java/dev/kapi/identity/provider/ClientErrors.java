package dev.kapi.identity.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The RFC 6749 (section 5.2) error answers of the provider's client endpoints (token,
 * introspection, revocation, device authorization) that Spring Authorization Server does
 * not write itself: a request that names no client credentials at all (SAS leaves it
 * unauthenticated, and the chain's default entry point answered a bare 401, or a bearer
 * token's 401), and a request whose parameters cannot be read (Boot's error JSON before).
 * JSON with {@code error}, never cached.
 */
final class ClientErrors implements AuthenticationEntryPoint {

    /** No client credentials: {@code invalid_client}, 401, with the Basic challenge. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"kapi\"");
        write(response, HttpStatus.UNAUTHORIZED, OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed");
    }

    /** Parameters that cannot be read: {@code invalid_request}, 400. */
    static void unreadable(HttpServletResponse response) throws IOException {
        write(response, HttpStatus.BAD_REQUEST, OAuth2ErrorCodes.INVALID_REQUEST, "The request could not be read");
    }

    private static void write(HttpServletResponse response, HttpStatus status, String error, String description)
            throws IOException {
        response.setStatus(status.value());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
        response.flushBuffer();
    }

}
