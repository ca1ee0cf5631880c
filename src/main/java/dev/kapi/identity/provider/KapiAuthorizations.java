package dev.kapi.identity.provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.kapi.identity.hosted.SsoAuthentication;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.session.Sessions;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The provider's stored authorizations: Spring Authorization Server's table and JDBC
 * mapping, with what Kapı adds around them.
 * <ul>
 * <li>Every token value (code, access, ID, refresh, user and device code) is kept as
 * {@code h:} + base64url(SHA-256): a copy of the database hands out no usable token. A
 * lookup hashes the presented value and puts it back into the token it found.</li>
 * <li>A grant made by a signed-in browser is bound to its Kapı session: the row's
 * {@code session_id}/{@code account_id}, the attributes {@value #SID},
 * {@value #AUTH_TIME}, {@value #AMR}, {@value #ACR}, and a plain principal whose name is
 * the account id. Every lookup but the ID token's (logout needs it after the end) answers
 * nothing once that session ended or its account is frozen.</li>
 * <li>A code is exchanged once, atomically: a replay deletes the authorization and with
 * it every token the code issued.</li>
 * <li>Refresh tokens rotate with reuse detection, as {@code /auth/refresh}: a replaced
 * token presented again within the reuse grace is honoured (clients that race), later it
 * deletes the whole authorization (audited).</li>
 * </ul>
 */
public final class KapiAuthorizations implements OAuth2AuthorizationService {

    /** The Kapı session of a browser grant. */
    public static final String SID = "kapi.sid";

    /** When the session's owner last proved themselves, epoch seconds (as text). */
    public static final String AUTH_TIME = "kapi.auth_time";

    /** How they did, space-separated RFC 8176 values. */
    public static final String AMR = "kapi.amr";

    /** {@link SsoAuthentication#acr(java.util.Collection)} of the proof. */
    public static final String ACR = "kapi.acr";

    /**
     * Marks an authorization read from the table (never stored): saving it again may only
     * update its row, never bring back one deleted meanwhile.
     */
    private static final String LOADED = "kapi.loaded";

    /**
     * The hash of the refresh token a loaded authorization was found by (never stored).
     */
    private static final String LOADED_REFRESH = "kapi.loaded_refresh";

    /** How long a row with no token yet (a request waiting for consent) is kept. */
    private static final Duration PENDING = Duration.ofHours(1);

    private static final String PRINCIPAL = Principal.class.getName();

    private final JdbcOAuth2AuthorizationService rows;

    private final RegisteredClientRepository clients;

    private final JdbcClient jdbc;

    private final TransactionOperations transactions;

    private final Sessions sessions;

    private final AuditLog audit;

    private final Clock clock;

    private final Duration reuseGrace;

    private final Function<Authentication, Optional<UUID>> sessionOf;

    /**
     * @param sessionOf the Kapı session a browser's authentication stands for (empty for
     * any other principal, such as a client's own)
     */
    public KapiAuthorizations(JdbcOperations jdbcOperations, JdbcClient jdbc, TransactionOperations transactions,
            RegisteredClientRepository clients, Sessions sessions, AuditLog audit, Clock clock, Duration reuseGrace,
            Function<Authentication, Optional<UUID>> sessionOf) {
        this.rows = new JdbcOAuth2AuthorizationService(jdbcOperations, clients);
        this.clients = clients;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.reuseGrace = reuseGrace;
        this.sessionOf = sessionOf;
    }

    /** The stored form of a token value. */
    static String hash(String value) {
        try {
            return "h:" + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean hashed(String value) {
        return value.startsWith("h:");
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        boolean loaded = authorization.getAttribute(LOADED) != null;
        String loadedRefresh = authorization.getAttribute(LOADED_REFRESH);
        OAuth2Authorization stored = hashed(bound(authorization));
        String refresh = Optional.ofNullable(stored.getRefreshToken())
            .map(token -> token.getToken().getTokenValue())
            .orElse(null);
        String access = Optional.ofNullable(stored.getAccessToken())
            .map(token -> token.getToken().getTokenValue())
            .orElse(null);
        Binding binding = binding(stored);
        boolean saved = Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<String[]> row = jdbc
                .sql("SELECT coalesce(refresh_token_value, ''), coalesce(access_token_value, '') "
                        + "FROM oauth2_authorization WHERE id = :id FOR UPDATE")
                .param("id", stored.getId())
                .query((rs, number) -> new String[] { rs.getString(1), rs.getString(2) })
                .optional();
            if (row.isEmpty() && loaded) {
                // Deleted meanwhile (a replayed code, a reused refresh token, a logout).
                return false;
            }
            String before = row.map(values -> values[0]).filter(value -> !value.isEmpty()).orElse(null);
            if (loadedRefresh != null && before != null && !before.equals(loadedRefresh)
                    && !withinGrace(loadedRefresh)) {
                // Rotated by a concurrent request since this one read it, past the grace.
                return false;
            }
            rows.save(stored);
            if (before != null && !before.equals(refresh)) {
                jdbc.sql("""
                        INSERT INTO oauth2_refresh_token_history (token_hash, authorization_id, used_at)
                        VALUES (:hash, :id, :now) ON CONFLICT (token_hash) DO NOTHING
                        """)
                    .param("hash", before)
                    .param("id", stored.getId())
                    .param("now", utc(clock.instant()))
                    .update();
            }
            jdbc.sql("""
                    UPDATE oauth2_authorization SET session_id = coalesce(:session, session_id),
                        account_id = coalesce(:account, account_id), row_expires_at = :expires
                    WHERE id = :id
                    """)
                .param("session", binding.sessionId())
                .param("account", binding.accountId())
                .param("expires", utc(rowExpiry(stored)))
                .param("id", stored.getId())
                .update();
            if (access != null && !access.equals(row.map(values -> values[1]).orElse(null))) {
                // A token was issued: the grant succeeded (one row, in its transaction).
                audit.record(AuditType.OAUTH_TOKEN_GRANTED, binding.accountId(), binding.accountId(), "client="
                        + clientId(stored) + ",grant="
                        + (loadedRefresh != null ? "refresh_token" : stored.getAuthorizationGrantType().getValue()));
            }
            return true;
        }));
        if (!saved) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
        }
    }

    /** The public {@code client_id} of an authorization's client (its row id if gone). */
    private String clientId(OAuth2Authorization authorization) {
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        return client == null ? authorization.getRegisteredClientId() : client.getClientId();
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        rows.remove(authorization);
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return loaded(rows.findById(id));
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType == null) {
            // No hint (revocation, introspection): the tokens a client holds.
            OAuth2Authorization found = findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
            return found != null ? found : findByToken(token, OAuth2TokenType.REFRESH_TOKEN);
        }
        String type = tokenType.getValue();
        if (OAuth2ParameterNames.STATE.equals(type)) {
            return live(loaded(rows.findByToken(token, tokenType)));
        }
        if (OAuth2ParameterNames.CODE.equals(type)) {
            return exchanging(token);
        }
        if (OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
            return refreshing(token);
        }
        OAuth2Authorization found = presented(loaded(rows.findByToken(hash(token), tokenType)), token, type);
        // An ID token stays findable after the session ended: logout looks it up.
        return OidcParameterNames.ID_TOKEN.equals(type) ? found : live(found);
    }

    /**
     * The live authorization of an access or refresh token, for introspection: only the
     * current refresh token counts, and looking one up never ends anything (a replaced
     * refresh token shown to introspection is not a reuse).
     */
    public @Nullable OAuth2Authorization findForIntrospection(String token) {
        String hash = hash(token);
        OAuth2Authorization access = presented(loaded(rows.findByToken(hash, OAuth2TokenType.ACCESS_TOKEN)), token,
                OAuth2TokenType.ACCESS_TOKEN.getValue());
        if (access != null) {
            return live(access);
        }
        return live(presented(loaded(rows.findByToken(hash, OAuth2TokenType.REFRESH_TOKEN)), token,
                OAuth2TokenType.REFRESH_TOKEN.getValue()));
    }

    /**
     * The authorization of a code presented at the token endpoint, claimed for this one
     * exchange; a code presented again deletes its authorization (the tokens it issued
     * die with it) and finds nothing.
     */
    private @Nullable OAuth2Authorization exchanging(String code) {
        String hash = hash(code);
        // One exchange looks its code up twice (the PKCE check, then the grant): the
        // claim is this request's.
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String mark = "kapi.code." + hash;
        if (request != null && request.getAttribute(mark, RequestAttributes.SCOPE_REQUEST) instanceof String id) {
            return live(presented(loaded(rows.findById(id)), code, OAuth2ParameterNames.CODE));
        }
        Optional<String> claimed = jdbc.sql("""
                UPDATE oauth2_authorization SET code_used_at = :now
                WHERE authorization_code_value = :hash AND code_used_at IS NULL RETURNING id
                """).param("now", utc(clock.instant())).param("hash", hash).query(String.class).optional();
        if (claimed.isEmpty()) {
            jdbc.sql("DELETE FROM oauth2_authorization WHERE authorization_code_value = :hash RETURNING account_id, "
                    + "registered_client_id")
                .param("hash", hash)
                .query((rs, row) -> {
                    Long account = rs.getObject(1, Long.class);
                    audit.record(AuditType.OAUTH_CODE_REPLAYED, account, account, "client " + rs.getString(2));
                    return account;
                })
                .list();
            return null;
        }
        if (request != null) {
            request.setAttribute(mark, claimed.get(), RequestAttributes.SCOPE_REQUEST);
        }
        return live(presented(loaded(rows.findById(claimed.get())), code, OAuth2ParameterNames.CODE));
    }

    /**
     * The authorization of a refresh token: its current one, or one it rotated away from
     * within the reuse grace. A rotated token presented after the grace ends the whole
     * authorization.
     */
    private @Nullable OAuth2Authorization refreshing(String token) {
        String hash = hash(token);
        OAuth2Authorization found = loaded(rows.findByToken(hash, OAuth2TokenType.REFRESH_TOKEN));
        if (found == null) {
            Optional<Replaced> replaced = jdbc
                .sql("SELECT authorization_id, used_at FROM oauth2_refresh_token_history WHERE token_hash = :hash")
                .param("hash", hash)
                .query((rs, row) -> new Replaced(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .optional();
            if (replaced.isEmpty()) {
                return null;
            }
            if (clock.instant().isAfter(replaced.get().usedAt().plus(reuseGrace))) {
                Long account = jdbc.sql("SELECT account_id FROM oauth2_authorization WHERE id = :id")
                    .param("id", replaced.get().authorizationId())
                    .query(Long.class)
                    .optional()
                    .orElse(null);
                jdbc.sql("DELETE FROM oauth2_authorization WHERE id = :id")
                    .param("id", replaced.get().authorizationId())
                    .update();
                audit.record(AuditType.OAUTH_REFRESH_TOKEN_REUSE, account, account, null);
                return null;
            }
            found = loaded(rows.findById(replaced.get().authorizationId()));
        }
        found = live(presented(found, token, OAuth2TokenType.REFRESH_TOKEN.getValue()));
        return found == null ? null : OAuth2Authorization.from(found).attribute(LOADED_REFRESH, hash).build();
    }

    private boolean withinGrace(String refreshHash) {
        return jdbc.sql("SELECT used_at FROM oauth2_refresh_token_history WHERE token_hash = :hash")
            .param("hash", refreshHash)
            .query((rs, row) -> rs.getTimestamp(1).toInstant())
            .optional()
            .map(usedAt -> !clock.instant().isAfter(usedAt.plus(reuseGrace)))
            .orElse(false);
    }

    private record Replaced(String authorizationId, Instant usedAt) {
    }

    /** The authorization unless its Kapı session ended or its account is frozen. */
    private @Nullable OAuth2Authorization live(@Nullable OAuth2Authorization authorization) {
        if (authorization == null) {
            return null;
        }
        String sid = authorization.getAttribute(SID);
        if (sid == null) {
            return authorization;
        }
        Optional<CurrentAccount> account = sessions.resolve(UUID.fromString(sid));
        return account.filter(found -> !found.frozen())
            .filter(found -> Long.toString(found.id()).equals(authorization.getPrincipalName()))
            .isPresent() ? authorization : null;
    }

    private static @Nullable OAuth2Authorization loaded(@Nullable OAuth2Authorization authorization) {
        return authorization == null ? null : OAuth2Authorization.from(authorization).attribute(LOADED, true).build();
    }

    /** The found authorization with the presented value in place of its hash. */
    private static @Nullable OAuth2Authorization presented(@Nullable OAuth2Authorization authorization, String value,
            String type) {
        if (authorization == null) {
            return null;
        }
        Class<? extends OAuth2Token> tokenClass = switch (type) {
            case OAuth2ParameterNames.CODE -> OAuth2AuthorizationCode.class;
            case OidcParameterNames.ID_TOKEN -> OidcIdToken.class;
            case OAuth2ParameterNames.USER_CODE -> OAuth2UserCode.class;
            case OAuth2ParameterNames.DEVICE_CODE -> OAuth2DeviceCode.class;
            case "refresh_token" -> OAuth2RefreshToken.class;
            default -> OAuth2AccessToken.class;
        };
        OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(tokenClass);
        if (token == null) {
            return authorization;
        }
        return OAuth2Authorization.from(authorization)
            .token(withValue(token.getToken(), value), metadata -> metadata.putAll(token.getMetadata()))
            .build();
    }

    /** The authorization as stored: each token value hashed (once). */
    private static OAuth2Authorization hashed(OAuth2Authorization authorization) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        for (Class<? extends OAuth2Token> type : List.of(OAuth2AuthorizationCode.class, OAuth2AccessToken.class,
                OidcIdToken.class, OAuth2RefreshToken.class, OAuth2UserCode.class, OAuth2DeviceCode.class)) {
            OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type);
            if (token != null && !hashed(token.getToken().getTokenValue())) {
                builder.token(withValue(token.getToken(), hash(token.getToken().getTokenValue())),
                        metadata -> metadata.putAll(token.getMetadata()));
            }
        }
        return builder.attributes(attributes -> {
            attributes.remove(LOADED);
            attributes.remove(LOADED_REFRESH);
        }).build();
    }

    private static OAuth2Token withValue(OAuth2Token token, String value) {
        return switch (token) {
            case OAuth2AuthorizationCode code ->
                new OAuth2AuthorizationCode(value, code.getIssuedAt(), code.getExpiresAt());
            case OidcIdToken id -> new OidcIdToken(value, id.getIssuedAt(), id.getExpiresAt(), id.getClaims());
            case OAuth2RefreshToken refresh ->
                new OAuth2RefreshToken(value, refresh.getIssuedAt(), refresh.getExpiresAt());
            case OAuth2UserCode user -> new OAuth2UserCode(value, user.getIssuedAt(), user.getExpiresAt());
            case OAuth2DeviceCode device -> new OAuth2DeviceCode(value, device.getIssuedAt(), device.getExpiresAt());
            case OAuth2AccessToken access -> new OAuth2AccessToken(access.getTokenType(), value, access.getIssuedAt(),
                    access.getExpiresAt(), access.getScopes());
            default -> throw new IllegalArgumentException("Unknown token " + token.getClass().getName());
        };
    }

    /**
     * A browser's grant bound to its Kapı session: the proof as attributes, and a plain
     * principal named by the account id in place of the browser's authentication.
     */
    private OAuth2Authorization bound(OAuth2Authorization authorization) {
        Object principal = authorization.getAttribute(PRINCIPAL);
        if (!(principal instanceof Authentication authentication)) {
            return authorization;
        }
        Optional<UUID> sessionId = sessionOf.apply(authentication);
        if (sessionId.isEmpty()) {
            return authorization;
        }
        Sessions.Proof proof = sessions.proof(sessionId.get())
            .orElseThrow(() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.ACCESS_DENIED));
        return OAuth2Authorization.from(authorization)
            .attribute(PRINCIPAL,
                    UsernamePasswordAuthenticationToken.authenticated(authorization.getPrincipalName(), null,
                            List.of()))
            .attribute(SID, sessionId.get().toString())
            .attribute(AUTH_TIME, Long.toString(proof.authTime().getEpochSecond()))
            .attribute(AMR, String.join(" ", proof.amr()))
            .attribute(ACR, SsoAuthentication.acr(proof.amr()))
            .build();
    }

    private record Binding(@Nullable UUID sessionId, @Nullable Long accountId) {
    }

    private static Binding binding(OAuth2Authorization authorization) {
        String sid = authorization.getAttribute(SID);
        if (sid == null) {
            return new Binding(null, null);
        }
        return new Binding(UUID.fromString(sid), Long.valueOf(authorization.getPrincipalName()));
    }

    /** When the last token of the row dies (a request waiting for consent: soon). */
    private Instant rowExpiry(OAuth2Authorization authorization) {
        List<Instant> expiries = new ArrayList<>();
        for (Class<? extends OAuth2Token> type : List.of(OAuth2AuthorizationCode.class, OAuth2AccessToken.class,
                OidcIdToken.class, OAuth2RefreshToken.class, OAuth2UserCode.class, OAuth2DeviceCode.class)) {
            Optional.ofNullable(authorization.getToken(type))
                .map(OAuth2Authorization.Token::getToken)
                .map(OAuth2Token::getExpiresAt)
                .ifPresent(expiries::add);
        }
        return expiries.stream()
            .filter(Objects::nonNull)
            .max(Instant::compareTo)
            .orElseGet(() -> clock.instant().plus(PENDING));
    }

}
