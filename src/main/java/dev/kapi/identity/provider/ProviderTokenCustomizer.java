package dev.kapi.identity.provider;

import dev.kapi.identity.provider.client.CachedRegisteredClients;
import dev.kapi.identity.token.KapiJwtEncoder;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * What Kapı puts into the provider's tokens, read from the stored authorization (at the
 * token endpoint there is no browser): an ID token gets the Kapı session ({@code sid},
 * the same for every client of that browser session), {@code auth_time}, {@code amr},
 * {@code acr} and the account's claims by scope; an access token is an RFC 9068 one
 * ({@code typ: at+jwt}, {@code client_id}, {@code scope} as a string) with the session.
 * SAS's own {@code sid} (an HTTP session's) never appears.
 */
final class ProviderTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final ProviderClaims claims;

    ProviderTokenCustomizer(ProviderClaims claims) {
        this.claims = claims;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        String sid = authorization == null ? null : authorization.getAttribute(KapiAuthorizations.SID);
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            context.getJwsHeader().type("at+jwt");
            context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
            context.getClaims().claims(all -> {
                all.remove("sid");
                all.remove("scope");
            });
            if (!context.getAuthorizedScopes().isEmpty()) {
                context.getClaims()
                    .claim("scope", String.join(" ", context.getAuthorizedScopes().stream().sorted().toList()));
            }
            if (sid != null) {
                context.getClaims().claim("sid", sid);
                context.getClaims().claim("auth_time", authTime(authorization));
                context.getClaims().claim("acr", authorization.<String>getAttribute(KapiAuthorizations.ACR));
            }
            return;
        }
        if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            return;
        }
        context.getJwsHeader().type("JWT");
        Object algorithm = context.getRegisteredClient()
            .getClientSettings()
            .getSetting(CachedRegisteredClients.ID_TOKEN_ALG);
        if ("EdDSA".equals(algorithm)) {
            // Not one of SAS's algorithms: the client's choice is applied here.
            context.getJwsHeader().algorithm(KapiJwtEncoder.algorithm("EdDSA"));
        }
        context.getClaims().claims(all -> all.remove("sid"));
        if (sid != null) {
            context.getClaims().claim("sid", sid);
            context.getClaims().claim("auth_time", authTime(authorization));
            String amr = authorization.getAttribute(KapiAuthorizations.AMR);
            context.getClaims().claim("amr", amr == null || amr.isBlank() ? List.of() : Arrays.asList(amr.split(" ")));
            context.getClaims().claim("acr", authorization.<String>getAttribute(KapiAuthorizations.ACR));
        }
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            long account = Long.parseLong(context.getPrincipal().getName());
            claims.of(account, context.getAuthorizedScopes()).forEach(context.getClaims()::claim);
        }
    }

    /**
     * A {@link Date}: SAS reads an ID token's {@code auth_time} back as one on refresh.
     */
    private static Date authTime(OAuth2Authorization authorization) {
        return Date
            .from(Instant.ofEpochSecond(Long.parseLong(authorization.getAttribute(KapiAuthorizations.AUTH_TIME))));
    }

}
