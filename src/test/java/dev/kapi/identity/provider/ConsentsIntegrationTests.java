package dev.kapi.identity.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consents users give the provider's clients: stored through the
 * {@link OAuth2AuthorizationConsentService} bean (as Spring Authorization Server's
 * consent step stores them), listed and taken back by their user over HTTP.
 */
class ConsentsIntegrationTests extends IntegrationTest {

    @Autowired
    OAuth2AuthorizationConsentService consents;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    JdbcClient jdbc;

    @Test
    void consentWhenGivenThenItsUserListsItAndTakesItBackWithWebhooksAndAudit() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks", Map.of("url", "http://127.0.0.1:9/hooks",
                "events", List.of("oauth.consent.granted", "oauth.consent.revoked")), 201);
        String clientId = newClient(admin, "Etkinlik sitesi");
        String registeredId = clients.findByClientId(clientId).getId();
        TestUser user = newUser();
        Instant given = clock.instant();

        consents.save(consent(registeredId, user, "openid", "profile"));
        clock.advance(Duration.ofMinutes(3));
        consents.save(consent(registeredId, user, "openid", "profile", "email"));

        List<Map<String, Object>> listed = list(user, "/users/me/consents");
        assertThat(listed).hasSize(1);
        assertThat(listed.getFirst()).containsEntry("client_id", clientId)
            .containsEntry("client_name", "Etkinlik sitesi")
            .containsEntry("scopes", List.of("email", "openid", "profile"));
        assertThat(Instant.parse((String) listed.getFirst().get("granted_at"))).isEqualTo(given);
        assertThat(list(newUser(), "/users/me/consents")).isEmpty();

        as(user.token()).delete().uri("/users/me/consents/" + clientId).exchange().expectStatus().isNoContent();

        assertThat(list(user, "/users/me/consents")).isEmpty();
        assertThat(consents.findById(registeredId, Long.toString(user.id()))).isNull();
        as(user.token()).delete().uri("/users/me/consents/" + clientId).exchange().expectStatus().isNotFound();
        List<String> bodies = jdbc.sql("SELECT body FROM webhook_deliveries WHERE webhook_id = :id ORDER BY id")
            .param("id", id(webhook))
            .query(String.class)
            .list();
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0)).contains("\"type\":\"oauth.consent.granted\"")
            .contains("\"scopes\":[\"openid\",\"profile\"]");
        assertThat(bodies.get(1)).contains("\"scopes\":[\"email\",\"openid\",\"profile\"]");
        assertThat(bodies.get(2)).contains("\"type\":\"oauth.consent.revoked\"")
            .contains("\"client_id\":\"" + clientId + "\"")
            .contains("\"account_id\":" + user.id());
        assertThat(jdbc
            .sql("SELECT type FROM audit_events WHERE actor_id = :user AND type LIKE 'oauth-consent-%' "
                    + "ORDER BY id")
            .param("user", user.id())
            .query(String.class)
            .list()).containsExactly("oauth-consent-granted", "oauth-consent-granted", "oauth-consent-revoked");
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void revokeWhenTheConsentIsAnotherUsersOrTheClientUnknownThen404AndNothingChanges() {
        String clientId = newClient(newAdmin(), "Mesajlar");
        String registeredId = clients.findByClientId(clientId).getId();
        TestUser owner = newUser();
        consents.save(consent(registeredId, owner, "openid"));

        TestUser other = newUser();
        as(other.token()).delete().uri("/users/me/consents/" + clientId).exchange().expectStatus().isNotFound();
        as(other.token()).delete().uri("/users/me/consents/no-such-client").exchange().expectStatus().isNotFound();

        assertThat(list(owner, "/users/me/consents")).extracting(consent -> consent.get("client_id"))
            .containsExactly(clientId);
    }

    @Test
    void revokeWhenTheAccountIsFrozenThenStillAllowed() {
        String clientId = newClient(newAdmin(), "Borsa paneli");
        TestUser user = newUser();
        consents.save(consent(clients.findByClientId(clientId).getId(), user, "openid"));
        post(user, "/users/me/freeze", 200);

        as(user.token()).delete().uri("/users/me/consents/" + clientId).exchange().expectStatus().isNoContent();

        assertThat(list(user, "/users/me/consents")).isEmpty();
    }

    @Test
    void consentsWhenTheClientOrTheAccountIsDeletedThenGoWithIt() {
        TestUser admin = newAdmin();
        String clientId = newClient(admin, "Silinecek");
        String registeredId = clients.findByClientId(clientId).getId();
        TestUser user = newUser();
        TestUser leaving = newUser();
        consents.save(consent(registeredId, user, "openid"));
        consents.save(consent(registeredId, leaving, "openid"));

        as(leaving.token()).delete().uri("/users/me").exchange().expectStatus().isNoContent();
        assertThat(consents.findById(registeredId, Long.toString(leaving.id()))).isNull();
        assertThat(consents.findById(registeredId, Long.toString(user.id()))).isNotNull();

        as(admin.token()).delete().uri("/api/admin/oauth-clients/" + clientId).exchange().expectStatus().isNoContent();
        assertThat(list(user, "/users/me/consents")).isEmpty();
    }

    private String newClient(TestUser admin, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", name);
        body.put("client_type", "public");
        body.put("redirect_uris", List.of("http://127.0.0.1/cb"));
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("scopes", List.of("openid", "profile", "email"));
        return (String) post(admin, "/api/admin/oauth-clients", body, 201).get("client_id");
    }

    private static OAuth2AuthorizationConsent consent(String registeredId, TestUser user, String... scopes) {
        OAuth2AuthorizationConsent.Builder builder = OAuth2AuthorizationConsent.withId(registeredId,
                Long.toString(user.id()));
        for (String scope : scopes) {
            builder.scope(scope);
        }
        return builder.build();
    }

}
