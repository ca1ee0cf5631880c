package dev.kapi.identity.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's clients through the admin API, checked where Spring Authorization Server
 * reads them: the {@link RegisteredClientRepository} bean and the {@link PasswordEncoder}
 * its client authentication uses.
 */
class OAuthClientsIntegrationTests extends IntegrationTest {

    private static final String PATH = "/api/admin/oauth-clients";

    @Autowired
    RegisteredClientRepository repository;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @Test
    void createWhenConfidentialThenTheSecretIsShownOnceKeptHashedAndTheClientCarriesKapisPolicy() {
        TestUser admin = newAdmin();

        Map<String, Object> created = post(admin, PATH, confidential(), 201);

        String clientId = (String) created.get("client_id");
        String secret = (String) created.get("client_secret");
        assertThat(secret).startsWith("kapi_cs_").hasSizeGreaterThanOrEqualTo(8 + 43);
        assertThat(created).containsEntry("client_type", "confidential")
            .containsEntry("require_consent", true)
            .containsEntry("id_token_signed_response_alg", "RS256")
            .containsEntry("token_endpoint_auth_methods", List.of("client_secret_basic", "client_secret_post"))
            .containsEntry("grant_types", List.of("authorization_code", "refresh_token"))
            .containsEntry("created_by", ((Number) admin.id()).intValue());
        Map<String, Object> shown = get(admin, PATH + "/" + clientId, 200);
        assertThat(shown).doesNotContainKey("client_secret").containsEntry("client_name", "Etkinlik sitesi");
        assertThat(list(admin, PATH + "?limit=100").toString()).doesNotContain(secret);
        String stored = jdbc.sql("SELECT client_secret FROM oauth2_registered_client WHERE client_id = :id")
            .param("id", clientId)
            .query(String.class)
            .single();
        assertThat(stored).doesNotContain(secret.substring(8));

        RegisteredClient client = repository.findByClientId(clientId);
        assertThat(encoder.matches(secret, client.getClientSecret())).isTrue();
        assertThat(encoder.matches(secret + "x", client.getClientSecret())).isFalse();
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(client.getClientSettings().isRequireAuthorizationConsent()).isTrue();
        assertThat(client.getClientSettings().<String>getSetting("kapi.backchannel_logout_uri"))
            .isEqualTo("http://127.0.0.1:9/logout");
        assertThat(client.getTokenSettings().getAuthorizationCodeTimeToLive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(client.getTokenSettings().getAccessTokenTimeToLive()).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.getTokenSettings().isReuseRefreshTokens()).isFalse();
        assertThat(client.getTokenSettings().getRefreshTokenTimeToLive()).isEqualTo(Duration.ofDays(30));
        assertThat(client.getTokenSettings().getIdTokenSignatureAlgorithm()).isEqualTo(SignatureAlgorithm.RS256);
        assertThat(client.getRedirectUris()).containsExactly("https://events.example.com/login/oauth2/code/kapi");
    }

    @Test
    void rotateSecretWhenAskedThenOnlyTheNewSecretMatchesAndNeitherIsShownAgain() {
        TestUser admin = newAdmin();
        Map<String, Object> created = post(admin, PATH, confidential(), 201);
        String clientId = (String) created.get("client_id");
        String old = (String) created.get("client_secret");

        Map<String, Object> rotated = post(admin, PATH + "/" + clientId + "/rotate-secret", 200);

        String secret = (String) rotated.get("client_secret");
        assertThat(secret).startsWith("kapi_cs_").isNotEqualTo(old);
        RegisteredClient client = repository.findByClientId(clientId);
        assertThat(encoder.matches(secret, client.getClientSecret())).isTrue();
        assertThat(encoder.matches(old, client.getClientSecret())).isFalse();
        assertThat(get(admin, PATH + "/" + clientId, 200)).doesNotContainKey("client_secret");
        assertThat(jdbc
            .sql("SELECT count(*) FROM audit_events WHERE type = 'oauth-client-secret-rotated' "
                    + "AND actor_id = :admin AND details = :details")
            .param("admin", admin.id())
            .param("details", "client=" + clientId)
            .query(Long.class)
            .single()).isOne();
    }

    @Test
    void rotateSecretWhenAnotherInstanceHasTheClientCachedThenItDropsTheOldSecretAtOnce() {
        TestUser admin = newAdmin();
        Map<String, Object> created = post(admin, PATH, confidential(), 201);
        String clientId = (String) created.get("client_id");
        RegisteredClientRepository other = secondInstance().getBean(RegisteredClientRepository.class);
        String cached = other.findByClientId(clientId).getClientSecret();
        assertThat(encoder.matches((String) created.get("client_secret"), cached)).isTrue();

        String secret = (String) post(admin, PATH + "/" + clientId + "/rotate-secret", 200).get("client_secret");

        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(encoder.matches(secret, other.findByClientId(clientId).getClientSecret()))
                .isTrue());
        as(admin.token()).delete().uri(PATH + "/" + clientId).exchange().expectStatus().isNoContent();
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(other.findByClientId(clientId)).isNull());
    }

    @Test
    void createWhenPublicThenNoSecretAuthenticationNoneAndNoClientCredentials() {
        TestUser admin = newAdmin();
        Map<String, Object> spa = new HashMap<>(confidential());
        spa.put("client_type", "public");
        spa.put("redirect_uris",
                List.of("http://localhost:5173/callback", "http://127.0.0.1/cb", "http://[::1]:8080/"));

        Map<String, Object> created = post(admin, PATH, spa, 201);

        assertThat(created).doesNotContainKey("client_secret")
            .containsEntry("token_endpoint_auth_methods", List.of("none"));
        RegisteredClient client = repository.findByClientId((String) created.get("client_id"));
        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.NONE);
        assertThat(client.getClientSecret()).isNull();
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        post(admin, PATH + "/" + created.get("client_id") + "/rotate-secret", 409);

        spa.put("grant_types", List.of("client_credentials"));
        assertThat(invalidFields(post(admin, PATH, spa, 400))).containsExactly("grant_types");
    }

    @Test
    void createWhenARedirectUriBreaksARuleThenA400NamingIt() {
        TestUser admin = newAdmin();
        Map<String, String> refused = Map.of("https://*.example.com/cb", "oauth-client-redirect-invalid",
                "https://app.example.com/cb*", "oauth-client-redirect-invalid", "http://app.example.com/cb",
                "oauth-client-redirect-http", "http://10.0.0.5/cb", "oauth-client-redirect-http",
                "https://app.example.com/cb#frag", "oauth-client-redirect-invalid", "/relative/cb",
                "oauth-client-redirect-invalid", "https://user@app.example.com/cb", "oauth-client-redirect-invalid",
                "https://app.example.com/a,b", "oauth-client-redirect-invalid", "myapp://callback",
                "oauth-client-redirect-invalid");
        refused.forEach((uri, code) -> {
            Map<String, Object> body = new HashMap<>(confidential());
            body.put("redirect_uris", List.of("https://ok.example.com/cb", uri));
            Map<String, Object> problem = post(admin, PATH, body, 400);
            assertThat(problem).as(uri).containsEntry("type", "urn:kapi:problem:" + code);
            assertThat(invalidFields(problem)).as(uri).containsExactly("redirect_uris[1]");
        });
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("https://app.example.com/cb" + i);
        }
        Map<String, Object> tooMany = new HashMap<>(confidential());
        tooMany.put("redirect_uris", eleven);
        assertThat(invalidFields(post(admin, PATH, tooMany, 400))).containsExactly("redirect_uris");
        Map<String, Object> none = new HashMap<>(confidential());
        none.put("redirect_uris", List.of());
        assertThat(invalidFields(post(admin, PATH, none, 400))).containsExactly("redirect_uris");
        Map<String, Object> logout = new HashMap<>(confidential());
        logout.put("post_logout_redirect_uris", List.of("http://app.example.com/bye"));
        assertThat(invalidFields(post(admin, PATH, logout, 400))).containsExactly("post_logout_redirect_uris[0]");
        assertThat(jdbc.sql("SELECT count(*) FROM oauth2_registered_client WHERE created_by = :admin")
            .param("admin", admin.id())
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void createWhenGrantsScopesOrAlgorithmAreUnknownThenA400NamingThem() {
        TestUser admin = newAdmin();
        Map<String, Object> body = new HashMap<>(confidential());
        body.put("grant_types", List.of("authorization_code", "password"));
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("grant_types[1]");
        body = new HashMap<>(confidential());
        body.put("grant_types", List.of("refresh_token"));
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("grant_types");
        body = new HashMap<>(confidential());
        body.put("scopes", List.of("openid", "Admin Everything"));
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("scopes[1]");
        body = new HashMap<>(confidential());
        body.put("id_token_signed_response_alg", "none");
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("id_token_signed_response_alg");
        body = new HashMap<>(confidential());
        body.put("id_token_signed_response_alg", "HS256");
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("id_token_signed_response_alg");
        body = new HashMap<>(confidential());
        body.put("scopes", List.of("openid", "events:read"));
        body.put("id_token_signed_response_alg", "ES256");
        Map<String, Object> created = post(admin, PATH, body, 201);
        assertThat(created).containsEntry("scopes", List.of("events:read", "openid"))
            .containsEntry("id_token_signed_response_alg", "ES256");
        assertThat(repository.findByClientId((String) created.get("client_id"))
            .getTokenSettings()
            .getIdTokenSignatureAlgorithm()).isEqualTo(SignatureAlgorithm.ES256);
    }

    @Test
    void createWhenTheBackchannelOrKeysAddressHidesAPrivateAddressThenA400NamingIt() {
        TestUser admin = newAdmin();
        Map<String, Object> body = new HashMap<>(confidential());
        body.put("backchannel_logout_uri", "http://[64:ff9b::a9fe:a9fe]/logout");
        Map<String, Object> problem = post(admin, PATH, body, 400);
        assertThat(problem).containsEntry("type", "urn:kapi:problem:oauth-client-target-private");
        assertThat(invalidFields(problem)).containsExactly("backchannel_logout_uri");
        body = new HashMap<>(confidential());
        body.put("jwks_uri", "http://[2002:c0a8:101::1]/jwks");
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("jwks_uri");
        body = new HashMap<>(confidential());
        body.put("jwks_uri", "ftp://keys.example.com/jwks");
        assertThat(invalidFields(post(admin, PATH, body, 400))).containsExactly("jwks_uri");

        body = new HashMap<>(confidential());
        body.put("jwks_uri", "http://127.0.0.1:9/jwks");
        Map<String, Object> created = post(admin, PATH, body, 201);
        assertThat(created).containsEntry("token_endpoint_auth_methods",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        assertThat(repository.findByClientId((String) created.get("client_id")).getClientSettings().getJwkSetUrl())
            .isEqualTo("http://127.0.0.1:9/jwks");
    }

    @Test
    void updateAndDeleteWhenAnAdminAsksThenTheRepositorySeesTheChangeAtOnce() {
        TestUser admin = newAdmin();
        Map<String, Object> created = post(admin, PATH, confidential(), 201);
        String clientId = (String) created.get("client_id");
        String secret = (String) created.get("client_secret");
        assertThat(repository.findByClientId(clientId).getClientName()).isEqualTo("Etkinlik sitesi");

        Map<String, Object> changed = new HashMap<>(confidential());
        changed.put("client_name", "Etkinlikler");
        changed.put("require_consent", false);
        changed.put("redirect_uris", List.of("https://events.example.com/cb2"));
        changed.put("backchannel_logout_uri", null);
        Map<String, Object> updated = put(admin, PATH + "/" + clientId, changed, 200);

        assertThat(updated).containsEntry("client_name", "Etkinlikler")
            .containsEntry("require_consent", false)
            .doesNotContainKey("backchannel_logout_uri")
            .doesNotContainKey("client_secret");
        RegisteredClient client = repository.findByClientId(clientId);
        assertThat(client.getClientName()).isEqualTo("Etkinlikler");
        assertThat(client.getRedirectUris()).containsExactly("https://events.example.com/cb2");
        assertThat(client.getClientSettings().isRequireAuthorizationConsent()).isFalse();
        assertThat(client.getClientSettings().<String>getSetting("kapi.backchannel_logout_uri")).isNull();
        assertThat(encoder.matches(secret, client.getClientSecret())).as("the secret stays").isTrue();
        changed.put("client_type", "public");
        assertThat(invalidFields(put(admin, PATH + "/" + clientId, changed, 400))).containsExactly("client_type");

        as(admin.token()).delete().uri(PATH + "/" + clientId).exchange().expectStatus().isNoContent();

        assertThat(repository.findByClientId(clientId)).isNull();
        get(admin, PATH + "/" + clientId, 404);
        as(admin.token()).delete().uri(PATH + "/" + clientId).exchange().expectStatus().isNotFound();
        post(admin, PATH + "/unknown-client/rotate-secret", 404);
        put(admin, PATH + "/unknown-client", confidential(), 404);
    }

    @Test
    void whenTheCallerIsNoAdminOrAReadOnlyKeyThenNothingChanges() {
        TestUser admin = newAdmin();
        String clientId = (String) post(admin, PATH, confidential(), 201).get("client_id");
        String readOnly = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "okuyucu", "scopes", List.of("admin:read")), 201)
            .get("key");
        String writer = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "yazıcı", "scopes", List.of("admin:write")), 201)
            .get("key");

        as(readOnly).get().uri(PATH + "/" + clientId).exchange().expectStatus().isOk();
        for (var request : List.of(as(readOnly).post().uri(PATH), as(readOnly).put().uri(PATH + "/" + clientId))) {
            Map<String, Object> problem = request.contentType(MediaType.APPLICATION_JSON)
                .body(confidential())
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody();
            assertThat(problem).containsEntry("type", "urn:kapi:problem:service-key-scope-missing");
        }
        as(readOnly).post().uri(PATH + "/" + clientId + "/rotate-secret").exchange().expectStatus().isForbidden();
        as(readOnly).delete().uri(PATH + "/" + clientId).exchange().expectStatus().isForbidden();
        TestUser user = newUser();
        post(user, PATH, confidential(), 403);
        get(user, PATH + "/" + clientId, 403);
        RegisteredClient unchanged = repository.findByClientId(clientId);
        assertThat(unchanged.getClientName()).isEqualTo("Etkinlik sitesi");

        // An admin:write key is the admin's automation: it may register a client.
        as(writer).post()
            .uri(PATH)
            .contentType(MediaType.APPLICATION_JSON)
            .body(confidential())
            .exchange()
            .expectStatus()
            .isCreated();
    }

    @Test
    void createWhenTheAdminsProofIsOlderThanFiveMinutesThenReauthenticationRequired() {
        TestUser admin = newAdmin();
        clock.advance(Duration.ofMinutes(6));

        Map<String, Object> problem = post(admin, PATH, confidential(), 401);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:reauthentication-required");
    }

    @Test
    void createWhenAWebhookWantsItThenOauthClientCreatedIsQueuedAndTheCreationAudited() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", "http://127.0.0.1:9/hooks", "events", List.of("oauth.client.created")), 201);

        String clientId = (String) post(admin, PATH, confidential(), 201).get("client_id");

        String body = jdbc.sql("SELECT body FROM webhook_deliveries WHERE webhook_id = :id")
            .param("id", id(webhook))
            .query(String.class)
            .single();
        assertThat(body).contains("\"type\":\"oauth.client.created\"")
            .contains("\"client_id\":\"" + clientId + "\"")
            .contains("\"client_type\":\"confidential\"")
            .doesNotContain("kapi_cs_");
        assertThat(jdbc
            .sql("SELECT count(*) FROM audit_events WHERE type = 'oauth-client-created' "
                    + "AND actor_id = :admin AND details LIKE :details")
            .param("admin", admin.id())
            .param("details", "client=" + clientId + ",%")
            .query(Long.class)
            .single()).isOne();
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void theClientSecretEncoderIsTheOnlyPasswordEncoderAndNoUserDetailsServiceWouldTakeIt() {
        assertThat(context.getBeanNamesForType(PasswordEncoder.class)).containsExactly("clientSecretEncoder");
        assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
    }

    private static Map<String, Object> confidential() {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Etkinlik sitesi");
        body.put("client_type", "confidential");
        body.put("redirect_uris", List.of("https://events.example.com/login/oauth2/code/kapi"));
        body.put("post_logout_redirect_uris", List.of("https://events.example.com/"));
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", true);
        body.put("backchannel_logout_uri", "http://127.0.0.1:9/logout");
        return body;
    }

}
