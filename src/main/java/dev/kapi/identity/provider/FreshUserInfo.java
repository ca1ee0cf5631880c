package dev.kapi.identity.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;

/**
 * {@code /userinfo}: the account's claims as they are now (not as the ID token froze
 * them), by the scopes of the access token presented. The token's authorization was found
 * live (its Kapı session not ended, its account not frozen) before this runs.
 */
final class FreshUserInfo implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

    private final ProviderClaims claims;

    FreshUserInfo(ProviderClaims claims) {
        this.claims = claims;
    }

    @Override
    public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sub", authorization.getPrincipalName());
        info.putAll(claims.of(Long.parseLong(authorization.getPrincipalName()), context.getAccessToken().getScopes()));
        return new OidcUserInfo(info);
    }

}
