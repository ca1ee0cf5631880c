package dev.kapi.identity.provider;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where an authorization request without a signed-in browser goes. It already passed
 * SAS's checks of client, redirect URI and PKCE (a bad one never gets here: it is an
 * error page, never a redirect). With {@code prompt=none} the client hears
 * {@code login_required} at its redirect URI; otherwise the browser goes to Kapı's
 * sign-in page, which comes back to the same request.
 */
final class KapiLoginEntryPoint implements AuthenticationEntryPoint {

    private final String issuer;

    KapiLoginEntryPoint(String issuer) {
        this.issuer = issuer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        Object validated = request.getAttribute(OAuth2AuthorizationCodeRequestAuthenticationToken.class.getName());
        if (validated instanceof OAuth2AuthorizationCodeRequestAuthenticationToken authorization
                && "none".equals(request.getParameter("prompt")) && authorization.getRedirectUri() != null) {
            UriComponentsBuilder target = UriComponentsBuilder.fromUriString(authorization.getRedirectUri())
                .queryParam("error", "login_required");
            if (authorization.getState() != null) {
                target.queryParam("state", URLEncoder.encode(authorization.getState(), StandardCharsets.UTF_8));
            }
            target.queryParam("iss", URLEncoder.encode(issuer, StandardCharsets.UTF_8));
            response.sendRedirect(target.build(true).toUriString());
            return;
        }
        response.sendRedirect("/login?return=" + URLEncoder.encode(returnTo(request), StandardCharsets.UTF_8));
    }

    /** The same authorization request, as a same-origin path. */
    static String returnTo(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURI() + (query == null ? "" : "?" + query);
    }

}
