package dev.kapi.identity.provider;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.kapi.identity.hosted.SsoAuthentication;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider's stored authorizations against the real table and Kapı's real sessions:
 * hashed at rest, bound to the session, single-use codes, rotating refresh tokens with
 * reuse detection. (The grants themselves, over HTTP, are the provider's tests.)
 */
class KapiAuthorizationsIntegrationTests extends IntegrationTest {

    private static final RegisteredClient CLIENT = RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId("store-test-" + UUID.randomUUID())
        .clientName("Store test")
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUri("http://127.0.0.1/callback")
        .scope("openid")
        .build();

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private RegisteredClientRepository clients;

    @Autowired
    private KapiAuthorizations store;

    @BeforeEach
    void registerClient() {
        if (clients.findById(CLIENT.getId()) == null) {
            clients.save(CLIENT);
        }
    }

    @Test
    void savedTokensAreHashedAtRestAndFoundByTheirValue() {
        Signed user = signedIn();
        String code = SecretTokens.generate();
        String access = "eyJ.access." + SecretTokens.generate();
        String refresh = SecretTokens.generate();
        store.save(withCode(user, code).accessToken(access(access)).refreshToken(refresh(refresh)).build());

        Map<String, Object> row = row(code);
        assertThat(row.get("authorization_code_value")).isEqualTo(KapiAuthorizations.hash(code));
        assertThat(row.get("access_token_value")).isEqualTo(KapiAuthorizations.hash(access));
        assertThat(row.get("refresh_token_value")).isEqualTo(KapiAuthorizations.hash(refresh));
        assertThat(row.values().stream().map(String::valueOf))
            .noneMatch(value -> value.contains(code) || value.contains(access) || value.contains(refresh));

        OAuth2Authorization found = store.findByToken(access, OAuth2TokenType.ACCESS_TOKEN);
        assertThat(found).isNotNull();
        assertThat(found.getAccessToken().getToken().getTokenValue()).isEqualTo(access);
        assertThat(found.getToken(access)).isNotNull();
        assertThat(store.findByToken(refresh, null)).isNotNull();
        assertThat(store.findByToken("not-" + access, OAuth2TokenType.ACCESS_TOKEN)).isNull();
    }

    @Test
    void aBrowserGrantIsBoundToItsKapiSessionAndDiesWithIt() {
        Signed user = signedIn();
        String code = SecretTokens.generate();
        String access = SecretTokens.generate();
        String idToken = SecretTokens.generate();
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("sub", Long.toString(user.id())));
        store.save(withCode(user, code).accessToken(access(access))
            .token(new OidcIdToken(idToken, now(), now().plusSeconds(600), claims),
                    metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims))
            .build());

        Map<String, Object> row = row(code);
        assertThat(row.get("session_id")).isEqualTo(user.sessionId());
        assertThat(row.get("account_id")).isEqualTo(user.id());
        assertThat(row.get("principal_name")).isEqualTo(Long.toString(user.id()));
        OAuth2Authorization found = store.findByToken(access, OAuth2TokenType.ACCESS_TOKEN);
        assertThat((String) found.getAttribute(KapiAuthorizations.SID)).isEqualTo(user.sessionId().toString());
        assertThat((String) found.getAttribute(KapiAuthorizations.AMR)).isEqualTo("pwd");
        assertThat((String) found.getAttribute(KapiAuthorizations.ACR)).isEqualTo(SsoAuthentication.ACR_SFA);
        assertThat(Long.parseLong(found.getAttribute(KapiAuthorizations.AUTH_TIME))).isPositive();
        // The browser's authentication is not kept: a plain principal named by the
        // account.
        assertThat(((java.security.Principal) found.getAttribute(Principal.class.getName())).getName())
            .isEqualTo(Long.toString(user.id()));

        as(user.token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();

        assertThat(store.findByToken(access, OAuth2TokenType.ACCESS_TOKEN)).isNull();
        // Logout still finds the grant by its ID token.
        assertThat(store.findByToken(idToken, new OAuth2TokenType(OidcParameterNames.ID_TOKEN))).isNotNull();
    }

    @Test
    void aCodeIsExchangedOnceAndItsReplayKillsWhatItIssued() {
        Signed user = signedIn();
        String code = SecretTokens.generate();
        store.save(withCode(user, code).build());
        OAuth2TokenType codeType = new OAuth2TokenType("code");

        OAuth2Authorization exchanging = store.findByToken(code, codeType);
        assertThat(exchanging).isNotNull();
        String access = SecretTokens.generate();
        OAuth2AuthorizationCode presented = exchanging.getToken(OAuth2AuthorizationCode.class).getToken();
        assertThat(presented.getTokenValue()).isEqualTo(code);
        store.save(OAuth2Authorization.from(exchanging).accessToken(access(access)).invalidate(presented).build());
        assertThat(store.findByToken(access, OAuth2TokenType.ACCESS_TOKEN)).isNotNull();

        assertThat(store.findByToken(code, codeType)).isNull();

        assertThat(store.findByToken(access, OAuth2TokenType.ACCESS_TOKEN)).isNull();
        assertThat(auditTypesOf(user.id())).contains("oauth-code-replayed");
    }

    @Test
    void twoExchangesOfOneCodeRaceAndOnlyTheFirstIsSaved() {
        Signed user = signedIn();
        String code = SecretTokens.generate();
        store.save(withCode(user, code).build());
        OAuth2TokenType codeType = new OAuth2TokenType("code");

        OAuth2Authorization first = store.findByToken(code, codeType);
        // The second exchange finds nothing and removes the authorization...
        assertThat(store.findByToken(code, codeType)).isNull();
        // ...so the first one cannot bring it back with its tokens.
        assertThatThrownBy(
                () -> store.save(OAuth2Authorization.from(first).accessToken(access(SecretTokens.generate())).build()))
            .isInstanceOf(OAuth2AuthenticationException.class);
        assertThat(jdbc.sql("SELECT count(*) FROM oauth2_authorization WHERE id = :id")
            .param("id", first.getId())
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void aRotatedRefreshTokenIsHonouredWithinTheGraceAndEndsTheFamilyAfter() {
        Signed user = signedIn();
        String first = SecretTokens.generate();
        store.save(withCode(user, SecretTokens.generate()).refreshToken(refresh(first)).build());

        String second = SecretTokens.generate();
        OAuth2Authorization found = store.findByToken(first, OAuth2TokenType.REFRESH_TOKEN);
        store.save(OAuth2Authorization.from(found).refreshToken(refresh(second)).build());
        assertThat(store.findByToken(second, OAuth2TokenType.REFRESH_TOKEN)).isNotNull();

        // A client racing itself presents the old one a moment later: still served.
        clock.advance(Duration.ofSeconds(5));
        OAuth2Authorization racing = store.findByToken(first, OAuth2TokenType.REFRESH_TOKEN);
        assertThat(racing).isNotNull();
        assertThat(racing.getRefreshToken().getToken().getTokenValue()).isEqualTo(first);
        String third = SecretTokens.generate();
        store.save(OAuth2Authorization.from(racing).refreshToken(refresh(third)).build());

        // A thief presenting it after the grace ends the whole family, the owner's too.
        clock.advance(Duration.ofSeconds(11));
        assertThat(store.findByToken(first, OAuth2TokenType.REFRESH_TOKEN)).isNull();
        assertThat(store.findByToken(third, OAuth2TokenType.REFRESH_TOKEN)).isNull();
        assertThat(auditTypesOf(user.id())).contains("oauth-refresh-token-reuse");
    }

    @Test
    void aStaleRotationPastTheGraceIsRefused() {
        Signed user = signedIn();
        String first = SecretTokens.generate();
        store.save(withCode(user, SecretTokens.generate()).refreshToken(refresh(first)).build());
        OAuth2Authorization one = store.findByToken(first, OAuth2TokenType.REFRESH_TOKEN);
        OAuth2Authorization other = store.findByToken(first, OAuth2TokenType.REFRESH_TOKEN);
        store.save(OAuth2Authorization.from(one).refreshToken(refresh(SecretTokens.generate())).build());

        clock.advance(Duration.ofSeconds(11));
        assertThatThrownBy(() -> store
            .save(OAuth2Authorization.from(other).refreshToken(refresh(SecretTokens.generate())).build()))
            .isInstanceOf(OAuth2AuthenticationException.class);
    }

    private record Signed(String token, long id, UUID sessionId) {
    }

    private Signed signedIn() {
        String token = login(registerUser());
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        UUID sid = UUID.fromString(JsonMapper.builder().build().readTree(payload).get("sid").asString());
        return new Signed(token, accountIdOf(token), sid);
    }

    private OAuth2Authorization.Builder withCode(Signed user, String code) {
        CurrentAccount account = new CurrentAccount(user.id(), "p", user.sessionId(), "user", false);
        return OAuth2Authorization.withRegisteredClient(CLIENT)
            .id(UUID.randomUUID().toString())
            .principalName(Long.toString(user.id()))
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizedScopes(Set.of("openid"))
            .attribute(Principal.class.getName(), new TestingAuthenticationToken(account, null, List.of()))
            .token(new OAuth2AuthorizationCode(code, now(), now().plusSeconds(60)));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private OAuth2AccessToken access(String value) {
        return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, now(), now().plusSeconds(1800),
                Set.of("openid"));
    }

    private OAuth2RefreshToken refresh(String value) {
        return new OAuth2RefreshToken(value, now(), now().plus(Duration.ofDays(30)));
    }

    private Map<String, Object> row(String code) {
        return jdbc.sql("SELECT * FROM oauth2_authorization WHERE authorization_code_value = :hash")
            .param("hash", KapiAuthorizations.hash(code))
            .query()
            .singleRow();
    }

    private List<String> auditTypesOf(long accountId) {
        return jdbc.sql("SELECT type FROM audit_events WHERE target_id = :id")
            .param("id", accountId)
            .query(String.class)
            .list();
    }

}
