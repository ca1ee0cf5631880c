package dev.kapi.identity.provider;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * {@code /oauth2/introspect} for a client that authenticated with its own credentials (a
 * secret or {@code private_key_jwt}; a public client has none), in place of Spring
 * Authorization Server's, which tells any client about every client's tokens. RFC 7662
 * section 4: a client learns only about the provider's tokens issued to it; anything else
 * is {@code active: false}, exactly as a dead token. A confidential client registered
 * with the scope {@value Introspector#INTROSPECT_SCOPE} is a resource server: it learns
 * about every live token, Kapı's own access tokens and every client's, as a service key
 * with that scope does.
 */
final class ClientIntrospection implements AuthenticationProvider {

    private final Introspector introspector;

    ClientIntrospection(Introspector introspector) {
        this.introspector = introspector;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2TokenIntrospectionAuthenticationToken request = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller) || !caller.isAuthenticated()
                || caller.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient client = caller.getRegisteredClient();
        boolean resourceServer = resourceServer(client, caller);
        String token = request.getToken();
        OAuth2TokenIntrospection answer = introspector.providerToken(token)
            .filter(granted -> resourceServer || granted.client().getId().equals(client.getId()))
            .map(Introspector.Granted::introspection)
            .orElseGet(() -> resourceServer
                    ? introspector.kapiToken(token)
                        .map(Introspector::introspection)
                        .orElseGet(() -> OAuth2TokenIntrospection.builder().build())
                    : OAuth2TokenIntrospection.builder().build());
        return new OAuth2TokenIntrospectionAuthenticationToken(token, caller, answer);
    }

    /** A confidential client with the scope that lets it read every token. */
    static boolean resourceServer(RegisteredClient client, OAuth2ClientAuthenticationToken caller) {
        return client.getScopes().contains(Introspector.INTROSPECT_SCOPE)
                && !ClientAuthenticationMethod.NONE.equals(caller.getClientAuthenticationMethod());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenIntrospectionAuthenticationToken.class.isAssignableFrom(authentication);
    }

}
