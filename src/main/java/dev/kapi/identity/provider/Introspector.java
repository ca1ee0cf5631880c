package dev.kapi.identity.provider;

import java.net.URL;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.token.AccessTokens;

/**
 * What {@code /oauth2/introspect} knows about a token, whoever asks: Kapı's own HS256
 * access tokens (from the caches every request uses: verified tokens, live sessions; no
 * query) and the provider's access and refresh tokens (their stored grant, live while its
 * Kapı session lives). Who may learn what is the callers' business
 * ({@link Introspection}, {@link ClientIntrospection}).
 */
@Component
final class Introspector {

    /** The scope that makes a confidential client a resource server of every token. */
    static final String INTROSPECT_SCOPE = "introspect";

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final JwtDecoder decoder;

    private final Sessions sessions;

    private final SecondFactors factors;

    private final KapiAuthorizations authorizations;

    private final RegisteredClientRepository clients;

    Introspector(AccessTokens tokens, Sessions sessions, SecondFactors factors, KapiAuthorizations authorizations,
            RegisteredClientRepository clients) {
        this.decoder = tokens.decoder();
        this.sessions = sessions;
        this.factors = factors;
        this.authorizations = authorizations;
        this.clients = clients;
    }

    /**
     * The answer for Kapı's own access token, or empty when the token is not one (not
     * signed with Kapı's key, malformed or expired).
     */
    Optional<Map<String, Object>> kapiToken(String token) {
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        }
        catch (JwtException ex) {
            return Optional.empty();
        }
        UUID sessionId;
        try {
            sessionId = UUID.fromString(String.valueOf(jwt.getClaimAsString("sid")));
        }
        catch (IllegalArgumentException ex) {
            return Optional.of(INACTIVE);
        }
        Optional<CurrentAccount> account = sessions.resolve(sessionId)
            .filter(found -> Long.toString(found.id()).equals(jwt.getSubject()));
        if (account.isEmpty() || AccessTokens.enrolmentScoped(jwt) || factors.enrolmentOnly(sessionId)) {
            return Optional.of(INACTIVE);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("sub", jwt.getSubject());
        answer.put("sid", sessionId.toString());
        answer.put("exp", jwt.getExpiresAt().getEpochSecond());
        answer.put("iat", jwt.getIssuedAt() == null ? null : jwt.getIssuedAt().getEpochSecond());
        answer.put("role", account.get().role());
        answer.put("iss", jwt.getClaimAsString("iss"));
        answer.put("token_type", "Bearer");
        return Optional.of(answer);
    }

    /**
     * A live provider token (access or current refresh token) with the client it was
     * issued to, or empty.
     */
    Optional<Granted> providerToken(String token) {
        OAuth2Authorization authorization = authorizations.findForIntrospection(token);
        if (authorization == null) {
            return Optional.empty();
        }
        OAuth2Authorization.Token<OAuth2Token> found = authorization.getToken(token);
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        if (found == null || !found.isActive() || client == null) {
            return Optional.empty();
        }
        return Optional.of(new Granted(authorization, found, client));
    }

    /** A provider token found live, and the client it was issued to. */
    record Granted(OAuth2Authorization authorization, OAuth2Authorization.Token<OAuth2Token> token,
            RegisteredClient client) {

        /** RFC 7662's claims of the token. */
        OAuth2TokenIntrospection introspection() {
            OAuth2TokenIntrospection.Builder claims = OAuth2TokenIntrospection.builder(true);
            Map<String, Object> stored = token.getClaims();
            if (stored != null) {
                stored.forEach((name, value) -> {
                    switch (name) {
                        case "scope", "aud" -> claims.claim(name, list(value));
                        case "iss" -> claims.claim(name, String.valueOf(value));
                        case "exp", "iat", "nbf" -> claims.claim(name, instant(value));
                        default -> claims.claim(name, value instanceof Instant time ? time.getEpochSecond() : value);
                    }
                });
            }
            else {
                // A refresh token carries no claims of its own: those of its grant.
                claims.subject(authorization.getPrincipalName()).scopes(scopes -> {
                    scopes.clear();
                    scopes.addAll(authorization.getAuthorizedScopes());
                });
                String sid = authorization.getAttribute(KapiAuthorizations.SID);
                if (sid != null) {
                    claims.claim("sid", sid);
                }
            }
            claims.clientId(client.getClientId());
            OAuth2Token value = token.getToken();
            if (value.getIssuedAt() != null) {
                claims.issuedAt(value.getIssuedAt());
            }
            if (value.getExpiresAt() != null) {
                claims.expiresAt(value.getExpiresAt());
            }
            if (value instanceof OAuth2AccessToken access) {
                claims.tokenType(access.getTokenType().getValue());
            }
            return claims.build();
        }

    }

    /** An answer as JSON fields: times in epoch seconds, scopes space-separated. */
    static Map<String, Object> json(OAuth2TokenIntrospection introspection) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", introspection.isActive());
        introspection.getClaims().forEach((name, value) -> {
            if (!"active".equals(name)) {
                answer.put(name, jsonValue(name, value));
            }
        });
        return answer;
    }

    private static @Nullable Object jsonValue(String name, @Nullable Object value) {
        return switch (value) {
            case Instant instant -> instant.getEpochSecond();
            case URL url -> url.toString();
            case Collection<?> values when "scope".equals(name) -> String.join(" ", list(values));
            case null -> null;
            default -> value;
        };
    }

    /** Kapı's own token's answer in RFC 7662's type. */
    static OAuth2TokenIntrospection introspection(Map<String, Object> answer) {
        if (!Boolean.TRUE.equals(answer.get("active"))) {
            return OAuth2TokenIntrospection.builder().build();
        }
        OAuth2TokenIntrospection.Builder claims = OAuth2TokenIntrospection.builder(true);
        answer.forEach((name, value) -> {
            if (value == null || "active".equals(name)) {
                return;
            }
            switch (name) {
                case "exp" -> claims.expiresAt(Instant.ofEpochSecond(((Number) value).longValue()));
                case "iat" -> claims.issuedAt(Instant.ofEpochSecond(((Number) value).longValue()));
                default -> claims.claim(name, value);
            }
        });
        return claims.build();
    }

    private static Instant instant(Object value) {
        return value instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : (Instant) value;
    }

    private static List<String> list(@Nullable Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value).split(" "));
    }

}
