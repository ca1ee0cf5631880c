package dev.kapi.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Service keys for machine clients and RFC 7662 introspection with them. */
class ServiceKeysIntegrationTests extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void createWhenAnAdminAsksThenTheKeyIsShownOnceAndKeptHashed() {
        TestUser admin = newAdmin();

        Map<String, Object> created = post(admin, "/api/admin/service-keys",
                Map.of("name", "Etkinlik servisi", "scopes", List.of("introspect")), 201);

        String key = (String) created.get("key");
        assertThat(key).startsWith("kapi_sk_").hasSizeGreaterThan(40);
        assertThat(created).containsEntry("scopes", List.of("introspect")).containsEntry("name", "Etkinlik servisi");
        Map<String, Object> shown = get(admin, "/api/admin/service-keys/" + id(created), 200);
        assertThat(shown).doesNotContainKey("key").containsEntry("key_prefix", key.substring(0, 14));
        assertThat(list(admin, "/api/admin/service-keys?limit=100").toString()).doesNotContain(key);
        assertThat(jdbc.sql("SELECT count(*) FROM service_keys WHERE key_hash = :key OR key_prefix = :key")
            .param("key", key)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void createWhenScopesAreWrongThenA400NamingThem() {
        TestUser admin = newAdmin();
        assertThat(invalidFields(
                post(admin, "/api/admin/service-keys", Map.of("name", "x", "scopes", List.of("root")), 400)))
            .containsExactly("scopes[0]");
        assertThat(invalidFields(post(admin, "/api/admin/service-keys", Map.of("name", "", "scopes", List.of()), 400)))
            .containsExactlyInAnyOrder("name", "scopes");
        post(newUser(), "/api/admin/service-keys", Map.of("name", "x", "scopes", List.of("introspect")), 403);
    }

    @Test
    void introspectWhenTheSessionLivesThenActiveAndAfterLogoutInactiveAtOnce() {
        String key = key(newAdmin(), "introspect");
        TestUser user = newUser();

        Map<String, Object> live = introspect(client(), key, user.token(), 200);
        assertThat(live).containsEntry("active", true)
            .containsEntry("sub", Long.toString(user.id()))
            .containsEntry("role", "user")
            .containsKeys("sid", "exp", "iat");
        assertThat(((Number) live.get("exp")).longValue() - ((Number) live.get("iat")).longValue()).isEqualTo(1800);

        as(user.token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();

        assertThat(introspect(client(), key, user.token(), 200)).isEqualTo(Map.of("active", false));
        assertThat(introspect(client(), key, "not.a.token", 200)).isEqualTo(Map.of("active", false));
    }

    @Test
    void introspectWhenTheTokenExpiredThenInactive() {
        String key = key(newAdmin(), "introspect");
        TestUser user = newUser();
        clock.advance(Duration.ofMinutes(31));
        assertThat(introspect(client(), key, user.token(), 200)).isEqualTo(Map.of("active", false));
    }

    @Test
    void introspectWhenNoKeyOrTheWrongKindOfCallerThenRefused() {
        TestUser admin = newAdmin();
        TestUser user = newUser();
        String adminOnly = key(admin, "admin:read");

        client().post()
            .uri("/oauth2/introspect")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("token=" + user.token())
            .exchange()
            .expectStatus()
            .isUnauthorized();
        as(user.token()).post()
            .uri("/oauth2/introspect")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("token=" + user.token())
            .exchange()
            .expectStatus()
            .isForbidden();
        introspect(client(), adminOnly, user.token(), 403);
        introspect(client(), "kapi_sk_unknown", user.token(), 401);
        assertThat(invalidFields(introspectForm(client(), key(admin, "introspect"), "nothing=here", 400)))
            .containsExactly("token");
    }

    @Test
    void revokeWhenDoneThenTheKeyIsRefusedAtOnce() {
        TestUser admin = newAdmin();
        Map<String, Object> created = post(admin, "/api/admin/service-keys",
                Map.of("name", "kısa ömürlü", "scopes", List.of("introspect")), 201);
        String key = (String) created.get("key");
        introspect(client(), key, newUserToken(), 200);

        as(admin.token()).delete()
            .uri("/api/admin/service-keys/" + id(created))
            .exchange()
            .expectStatus()
            .isNoContent();

        introspect(client(), key, newUserToken(), 401);
        as(admin.token()).delete().uri("/api/admin/service-keys/" + id(created)).exchange().expectStatus().isNotFound();
        assertThat(get(admin, "/api/admin/service-keys/" + id(created), 200).get("revoked_at")).isNotNull();
    }

    @Test
    void adminApisWhenCalledWithAServiceKeyThenItsScopesDecide() {
        TestUser admin = newAdmin();
        String writer = key(admin, "admin:write");
        String reader = key(admin, "admin:read");
        String introspector = key(admin, "introspect");
        String email = uniqueEmail();
        Map<String, Object> user = Map.of("username", email.substring(0, email.indexOf('@')), "password", PASSWORD,
                "name", "Arka", "surname", "Ofis", "email", email, "userTypeName", "user");

        // a back office creates a user without anyone's password
        withKey(writer).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(user)
            .exchange()
            .expectStatus()
            .isCreated();
        login(email);
        withKey(reader).get().uri("/api/admin/users").exchange().expectStatus().isOk();
        withKey(reader).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(user)
            .exchange()
            .expectStatus()
            .isForbidden();
        withKey(introspector).get().uri("/api/admin/users").exchange().expectStatus().isForbidden();
        // a service key is no one's session and makes no service keys
        withKey(writer).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        withKey(writer).post()
            .uri("/api/admin/service-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "more", "scopes", List.of("admin:write")))
            .exchange()
            .expectStatus()
            .isForbidden();
    }

    @Test
    void backupRoutesWhenCalledWithAReadOrWriteKeyThenRefusedAndABackupKeyReachesOnlyThem() {
        // a read-only key downloaded every password hash and pending code (issue 27)
        TestUser admin = newAdmin();
        String reader = key(admin, "admin:read");
        String writer = key(admin, "admin:write");
        String backup = key(admin, "admin:backup");

        for (String key : List.of(reader, writer)) {
            assertThat(withKey(key).get()
                .uri("/api/admin/export")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody()).containsEntry("type", "urn:kapi:problem:service-key-scope-missing");
            assertThat(withKey(key).post()
                .uri("/api/admin/import")
                .contentType(MediaType.valueOf("application/zip"))
                .body(new byte[] { 'P', 'K' })
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody()).containsEntry("type", "urn:kapi:problem:service-key-scope-missing");
        }
        withKey(reader).head().uri("/api/admin/export").exchange().expectStatus().isForbidden();

        byte[] archive = withKey(backup).get()
            .uri("/api/admin/export")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.valueOf("application/zip"))
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
        assertThat(archive).startsWith('P', 'K');
        // it reaches the import (which refuses this database, holding data) and nothing
        // else
        assertThat(withKey(backup).post()
            .uri("/api/admin/import")
            .contentType(MediaType.valueOf("application/zip"))
            .body(archive)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:archive-database-not-empty");
        assertThat(withKey(backup).get()
            .uri("/api/admin/users")
            .header("Accept-Language", "en")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:service-key-scope-missing")
            .containsEntry("message", "This service key lacks the scope admin:read this route needs");
        withKey(backup).post()
            .uri("/oauth2/introspect")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("token=x")
            .exchange()
            .expectStatus()
            .isForbidden();
        // a person admin keeps the export
        as(admin.token()).get().uri("/api/admin/export").exchange().expectStatus().isOk();
    }

    @Test
    void keyWhenItsCreatorIsFrozenDeactivatedOrDemotedThenRefusedAtOnceAndWorksAgainWhenUndone() {
        // a frozen admin's admin:write key still created admins (issue 27)
        TestUser creator = newAdmin();
        TestUser other = newAdmin();
        String key = key(creator, "admin:write");
        String creatorId = jdbc.sql("SELECT public_id FROM accounts WHERE id = :id")
            .param("id", creator.id())
            .query(String.class)
            .single();
        RestTestClient otherInstance = withKeyOn(secondInstance().port(), key);
        withKey(key).get().uri("/api/admin/users").exchange().expectStatus().isOk();
        otherInstance.get().uri("/api/admin/users").exchange().expectStatus().isOk();

        // frozen by itself: refused at once, here and on the other instance, reads and
        // writes alike
        post(creator, "/users/me/freeze", 200);
        assertOwnerInactive(withKey(key).get().uri("/api/admin/users"));
        assertOwnerInactive(withKey(key).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(newAdminBody()));
        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> assertOwnerInactive(otherInstance.get().uri("/api/admin/users")));
        post(creator, "/users/me/unfreeze", 200);
        withKey(key).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(newAdminBody())
            .exchange()
            .expectStatus()
            .isCreated();

        // deactivated by another admin, then reactivated
        put(other, "/api/admin/users/" + creatorId, Map.of("isActive", false), 200);
        assertOwnerInactive(withKey(key).get().uri("/api/admin/users"));
        put(other, "/api/admin/users/" + creatorId, Map.of("isActive", true), 200);
        withKey(key).get().uri("/api/admin/users").exchange().expectStatus().isOk();

        // demoted, then made an admin again
        put(other, "/api/admin/users/" + creatorId, Map.of("userTypeName", "user"), 200);
        assertOwnerInactive(withKey(key).get().uri("/api/admin/users"));
        put(other, "/api/admin/users/" + creatorId, Map.of("userTypeName", "admin"), 200);
        withKey(key).get().uri("/api/admin/users").exchange().expectStatus().isOk();
        otherInstance.get().uri("/api/admin/users").exchange().expectStatus().isOk();
    }

    private static void assertOwnerInactive(RestTestClient.RequestHeadersSpec<?> request) {
        assertThat(request.exchange()
            .expectStatus()
            .isForbidden()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:service-key-owner-inactive");
    }

    private static Map<String, Object> newAdminBody() {
        String email = uniqueEmail();
        return Map.of("username", email.substring(0, email.indexOf('@')), "password", PASSWORD, "name", "Yeni",
                "surname", "Yönetici", "email", email, "userTypeName", "admin");
    }

    @Test
    void introspectWhenTheSessionEndsOnOneInstanceThenInactiveAtOnceOnTheOther() {
        String key = key(newAdmin(), "introspect");
        TestUser user = newUser();
        RestTestClient other = onSecondInstance();
        assertThat(introspect(other, key, user.token(), 200)).containsEntry("active", true);

        as(user.token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(
                    () -> assertThat(introspect(other, key, user.token(), 200)).isEqualTo(Map.of("active", false)));
    }

    @Test
    void introspectionIsCountedInMemoryAndTakesNoRateLimitRowInTheDatabase() {
        String key = key(newAdmin(), "introspect");
        TestUser user = newUser();
        for (int i = 0; i < 5; i++) {
            assertThat(introspect(client(), key, user.token(), 200)).containsEntry("active", true);
        }

        assertThat(bucketRows("POST /oauth2/introspect|%")).isZero();
        as(user.token()).get().uri("/users/me").exchange().expectStatus().isOk();
        assertThat(bucketRows("GET /users/me|%")).isPositive();
    }

    private long bucketRows(String pattern) {
        return JdbcClient.create(dataSource)
            .sql("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE :pattern")
            .param("pattern", pattern)
            .query(Long.class)
            .single();
    }

    private String key(TestUser admin, String scope) {
        return (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "test " + scope, "scopes", List.of(scope)), 201)
            .get("key");
    }

    private RestTestClient withKey(String key) {
        return bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader("X-Forwarded-For", randomIp())
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .build();
    }

    private static RestTestClient withKeyOn(int port, String key) {
        return bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader("X-Forwarded-For", randomIp())
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .build();
    }

    private static Map<String, Object> introspect(RestTestClient api, String key, String token, int status) {
        return introspectForm(api, key, "token=" + token + "&token_type_hint=access_token", status);
    }

    private static Map<String, Object> introspectForm(RestTestClient api, String key, String form, int status) {
        return api.post()
            .uri("/oauth2/introspect")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(form)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private RestTestClient onSecondInstance() {
        return bindToServer().baseUrl(secondInstance().baseUrl()).defaultHeader("X-Forwarded-For", randomIp()).build();
    }

}
