package dev.kapi.identity.provider;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A public client (a browser app, a CLI: registered with {@code none}, no secret) names
 * itself by {@code client_id} where SAS would otherwise refuse it: refreshing, the device
 * flow and revoking its own tokens. (At the code exchange PKCE proves it, as SAS does.) A
 * refresh token or device code is bound to its client, so naming another client's id gets
 * nothing: the grant then fails.
 */
final class PublicClients {

    private static final Set<String> GRANTS = Set.of(AuthorizationGrantType.REFRESH_TOKEN.getValue(),
            AuthorizationGrantType.DEVICE_CODE.getValue());

    private static final Set<String> ENDPOINTS = Set.of("/oauth2/device_authorization", "/oauth2/revoke");

    private PublicClients() {
    }

    /** The request of a public client where SAS has no converter for one, or null. */
    static AuthenticationConverter converter() {
        return PublicClients::convert;
    }

    private static @Nullable Authentication convert(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getParameter("client_secret") != null || request.getParameter("client_assertion") != null) {
            return null;
        }
        String grant = request.getParameter("grant_type");
        boolean applies = "/oauth2/token".equals(request.getRequestURI()) ? grant != null && GRANTS.contains(grant)
                : ENDPOINTS.contains(request.getRequestURI());
        String[] ids = request.getParameterValues("client_id");
        if (!applies || ids == null) {
            return null;
        }
        if (ids.length != 1 || ids[0].isBlank()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        Map<String, Object> parameters = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!"client_id".equals(name)) {
                parameters.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return new Token(ids[0], parameters);
    }

    /**
     * Authenticates the requests {@link #converter()} made: only clients registered
     * without a secret.
     */
    static AuthenticationProvider provider(RegisteredClientRepository clients) {
        return new AuthenticationProvider() {

            @Override
            public Authentication authenticate(Authentication authentication) {
                RegisteredClient client = clients.findByClientId((String) authentication.getPrincipal());
                if (client == null
                        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                    throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
                }
                return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return Token.class.isAssignableFrom(authentication);
            }

        };
    }

    /** A public client's request as {@link #converter()} read it. */
    static final class Token extends OAuth2ClientAuthenticationToken {

        Token(String clientId, Map<String, Object> parameters) {
            super(clientId, ClientAuthenticationMethod.NONE, null, parameters);
        }

    }

}
