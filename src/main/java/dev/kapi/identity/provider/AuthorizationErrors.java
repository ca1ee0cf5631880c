package dev.kapi.identity.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.kapi.identity.hosted.HostedErrors;

/**
 * An authorization request's error. Spring Authorization Server keeps the redirect URI on
 * the error only when it checked it against the client's registration: then the client
 * hears the error there (with {@code state}), as SAS does. Otherwise (an unknown
 * {@code client_id}, a missing, unregistered or mismatched {@code redirect_uri}) the
 * browser gets Kapı's hosted error page, in its language, with a 400 instead of SAS's
 * plain one, and is sent nowhere.
 */
final class AuthorizationErrors implements AuthenticationFailureHandler {

    private final HostedErrors page;

    AuthorizationErrors(HostedErrors page) {
        this.page = page;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        OAuth2AuthorizationCodeRequestAuthenticationToken authorization = exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException failed
                ? failed.getAuthorizationCodeRequestAuthentication() : null;
        if (authorization == null || !StringUtils.hasText(authorization.getRedirectUri())) {
            page.show(request, response, pageCode(error));
            return;
        }
        UriComponentsBuilder target = UriComponentsBuilder.fromUriString(authorization.getRedirectUri())
            .queryParam("error", error.getErrorCode());
        if (StringUtils.hasText(error.getDescription())) {
            target.queryParam("error_description", UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(error.getUri())) {
            target.queryParam("error_uri", UriUtils.encode(error.getUri(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(authorization.getState())) {
            target.queryParam("state", UriUtils.encode(authorization.getState(), StandardCharsets.UTF_8));
        }
        response.sendRedirect(target.build(true).toUriString());
    }

    /**
     * What the page explains: SAS names the parameter it refused in the description
     * ({@code OAuth 2.0 Parameter: client_id}).
     */
    static String pageCode(OAuth2Error error) {
        String description = error.getDescription() == null ? "" : error.getDescription();
        if (description.endsWith(" client_id")) {
            return OAuth2ErrorCodes.INVALID_CLIENT;
        }
        if (description.endsWith(" redirect_uri")) {
            return "invalid_redirect_uri";
        }
        return error.getErrorCode();
    }

}
