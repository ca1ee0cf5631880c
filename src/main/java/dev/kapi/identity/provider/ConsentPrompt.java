package dev.kapi.identity.provider;

import java.util.Arrays;
import java.util.Set;

import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * When an authorization asks for consent: Spring Authorization Server's rule (a client
 * that requires consent, unless only {@code openid} is asked or a remembered consent
 * covers every scope asked), and also whenever the request says {@code prompt=consent}
 * (OpenID Connect Core 3.1.2.1: asked again even when remembered), which Spring
 * Authorization Server does not read.
 */
final class ConsentPrompt {

    private ConsentPrompt() {
    }

    static boolean required(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationRequest request = context.getAuthorizationRequest();
        if (asked(request.getAdditionalParameters().get("prompt"))) {
            return true;
        }
        if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
            return false;
        }
        Set<String> scopes = request.getScopes();
        if (scopes.contains("openid") && scopes.size() == 1) {
            return false;
        }
        OAuth2AuthorizationConsent remembered = context.getAuthorizationConsent();
        return remembered == null || !remembered.getScopes().containsAll(scopes);
    }

    /** Whether a {@code prompt} value (space-separated) holds {@code consent}. */
    static boolean asked(Object prompt) {
        return prompt instanceof String value && Arrays.asList(value.trim().split("\\s+")).contains("consent");
    }

}
