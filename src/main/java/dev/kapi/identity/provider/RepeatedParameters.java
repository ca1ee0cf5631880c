package dev.kapi.identity.provider;

import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * RFC 6749 (3.1, 3.2): a parameter sent more than once is an {@code invalid_request}. The
 * first of the client endpoints' client authentication converters, ahead of SAS's: SAS's
 * PKCE check ({@code CodeVerifierAuthenticator}) casts a repeated {@code code} to a
 * string and threw a {@code ClassCastException}, a 500 for any client that sent
 * {@code code} twice. The client authentication filter answers SAS's RFC 6749 JSON.
 * {@code resource} and {@code audience} may be repeated (RFC 8707, RFC 8693).
 */
final class RepeatedParameters implements AuthenticationConverter {

    private static final Set<String> REPEATABLE = Set.of("resource", "audience");

    @Override
    public Authentication convert(HttpServletRequest request) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getValue().length > 1 && !REPEATABLE.contains(parameter.getKey())) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                        "OAuth 2.0 Parameter: " + parameter.getKey(), null));
            }
        }
        return null;
    }

}
