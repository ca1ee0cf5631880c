package dev.kapi.identity.federation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API of external identity providers: presets, the sealed secret never
 * answered, who may change them, and the audit and webhook of each change.
 */
class IdentityProvidersIntegrationTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private static String alias() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createWhenGooglePresetThenItsIssuerAndScopesAreFilledAndTheSecretIsNeverAnswered() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", "http://127.0.0.1:9/hooks", "events",
                        List.of("identity_provider.created", "identity_provider.updated", "identity_provider.deleted")),
                201);
        String alias = alias();

        Map<String, Object> created = post(admin, "/api/admin/identity-providers", Map.of("alias", alias, "preset",
                "google", "client_id", "123.apps.googleusercontent.com", "client_secret", "GOCSPX-very-secret"), 201);

        assertThat(created).containsEntry("alias", alias)
            .containsEntry("type", "oidc")
            .containsEntry("display_name", "Google")
            .containsEntry("issuer_uri", "https://accounts.google.com")
            .containsEntry("scopes", List.of("openid", "email", "profile"))
            .containsEntry("enabled", true)
            .containsEntry("link_by_verified_email", false)
            .containsEntry("trust_provider_mfa", false)
            .doesNotContainKey("client_secret");
        assertThat(get(admin, "/api/admin/identity-providers/" + alias, 200)).doesNotContainKey("client_secret");
        assertThat(list(admin, "/api/admin/identity-providers")).extracting(provider -> provider.get("alias"))
            .contains(alias);
        String stored = jdbc.sql("SELECT client_secret FROM identity_providers WHERE alias = :alias")
            .param("alias", alias)
            .query(String.class)
            .single();
        assertThat(stored).startsWith("v1:").doesNotContain("GOCSPX");

        Map<String, Object> updated = put(admin, "/api/admin/identity-providers/" + alias,
                Map.of("preset", "google", "client_id", "456.apps.googleusercontent.com", "link_by_verified_email",
                        true, "allowed_email_domains", List.of("Example.COM")),
                200);
        assertThat(updated).containsEntry("client_id", "456.apps.googleusercontent.com")
            .containsEntry("link_by_verified_email", true)
            .containsEntry("allowed_email_domains", List.of("example.com"));
        assertThat(jdbc.sql("SELECT client_secret FROM identity_providers WHERE alias = :alias")
            .param("alias", alias)
            .query(String.class)
            .single()).as("an update without a secret keeps it").isEqualTo(stored);

        as(admin.token()).delete()
            .uri("/api/admin/identity-providers/" + alias)
            .exchange()
            .expectStatus()
            .isNoContent();
        get(admin, "/api/admin/identity-providers/" + alias, 404);

        List<String> bodies = jdbc.sql("SELECT body FROM webhook_deliveries WHERE webhook_id = :id ORDER BY id")
            .param("id", id(webhook))
            .query(String.class)
            .list()
            .stream()
            .filter(body -> body.contains("\"alias\":\"" + alias + "\""))
            .toList();
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0)).contains("\"type\":\"identity_provider.created\"");
        assertThat(bodies.get(2)).contains("\"type\":\"identity_provider.deleted\"");
        assertThat(bodies).noneSatisfy(body -> assertThat(body).contains("GOCSPX"));
        assertThat(jdbc
            .sql("SELECT type FROM audit_events WHERE actor_id = :admin AND type LIKE 'identity-provider-%' "
                    + "ORDER BY id")
            .param("admin", admin.id())
            .query(String.class)
            .list())
            .containsExactly("identity-provider-created", "identity-provider-updated", "identity-provider-deleted");
    }

    @Test
    void createWhenMicrosoftPresetThenItNeedsATenant() {
        TestUser admin = newAdmin();

        assertThat(invalidFields(post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias(), "preset", "microsoft", "client_id", "app", "client_secret", "s"), 400)))
            .containsExactly("tenant");
        Map<String, Object> created = post(admin, "/api/admin/identity-providers", Map.of("alias", alias(), "preset",
                "microsoft", "tenant", "contoso.onmicrosoft.com", "client_id", "app", "client_secret", "s"), 201);
        assertThat(created)
            .containsEntry("issuer_uri", "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0")
            .containsEntry("display_name", "Microsoft");
    }

    @Test
    void createWhenInputIsBadThenEachFieldIsNamed() {
        TestUser admin = newAdmin();

        assertThat(
                invalidFields(post(admin, "/api/admin/identity-providers",
                        Map.of("alias", "Bad Alias", "type", "oidc", "display_name", "X", "issuer_uri",
                                "https://idp.example", "client_id", "c", "client_secret", "s"),
                        400)))
            .containsExactly("alias");
        assertThat(
                invalidFields(
                        post(admin, "/api/admin/identity-providers",
                                Map.of("alias", alias(), "type", "oidc", "display_name", "X", "issuer_uri",
                                        "ftp://idp.example", "client_id", "c", "client_secret", "s"),
                                400)))
            .containsExactly("issuer_uri");
        assertThat(invalidFields(post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias(), "type", "oidc", "display_name", "X", "client_id", "c", "client_secret", "s"),
                400)))
            .containsExactly("issuer_uri");
        assertThat(invalidFields(post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias(), "preset", "github", "client_id", "c"), 400)))
            .containsExactly("client_secret");
        assertThat(invalidFields(post(admin, "/api/admin/identity-providers", Map.of("alias", alias(), "preset",
                "github", "client_id", "c", "client_secret", "s", "scopes", List.of("a".repeat(101))), 400)))
            .containsExactly("scopes[0]");
        String alias = alias();
        post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias, "preset", "github", "client_id", "c", "client_secret", "s"), 201);
        assertThat(post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias, "preset", "github", "client_id", "c", "client_secret", "s"), 409))
            .containsEntry("type", "urn:kapi:problem:identity-provider-exists");
    }

    @Test
    void changeWhenTheAdminSessionIsNotRecentThenReauthenticationRequired() {
        TestUser admin = newAdmin();
        clock.advance(Duration.ofMinutes(6));

        Map<String, Object> problem = post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias(), "preset", "github", "client_id", "c", "client_secret", "s"), 401);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:reauthentication-required");
        assertThat(list(admin, "/api/admin/identity-providers")).isNotNull();
    }

    @Test
    void changeWhenAReadOnlyKeyOrAUserThenRefused() {
        TestUser admin = newAdmin();
        String readKey = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "reader", "scopes", List.of("admin:read")), 201)
            .get("key");
        String writeKey = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "writer", "scopes", List.of("admin:write")), 201)
            .get("key");
        Map<String, Object> body = Map.of("alias", alias(), "preset", "github", "client_id", "c", "client_secret", "s");

        withKey(readKey).post()
            .uri("/api/admin/identity-providers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isForbidden();
        withKey(readKey).get().uri("/api/admin/identity-providers").exchange().expectStatus().isOk();
        post(newUser(), "/api/admin/identity-providers", body, 403);
        withKey(writeKey).post()
            .uri("/api/admin/identity-providers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isCreated();
    }

    private org.springframework.test.web.servlet.client.RestTestClient withKey(String key) {
        return bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader("X-Forwarded-For", randomIp())
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .build();
    }

}
