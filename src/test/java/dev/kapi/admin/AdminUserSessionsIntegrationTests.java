package dev.kapi.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class AdminUserSessionsIntegrationTests extends IntegrationTest {

    @Test
    @SuppressWarnings("unchecked")
    void listWhenTheUserHasTwoSessionsThenBothWithTheirDetails() {
        String admin = newAdminToken();
        String email = registerUser();
        login(email);
        login(email);

        Map<String, Object> body = as(admin).get()
            .uri("/api/admin/users/{id}/sessions", userIdOf(admin, email))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(body).containsEntry("success", true).containsEntry("count", 2);
        assertThat((List<Map<String, Object>>) body.get("data")).hasSize(2).allSatisfy(session -> {
            assertThat(session).containsOnlyKeys("id", "createdAt", "lastUsedAt", "expiresAt", "ip", "userAgent");
            assertThat(session.get("ip")).asString().startsWith("10.");
            assertThat(session.get("expiresAt")).isNotNull();
        });
    }

    @Test
    void deleteWhenTheUsersSessionThenItEndsAtOnceTheOtherStaysAndItIsAudited() {
        String admin = newAdminToken();
        String email = registerUser();
        String ended = login(email);
        String kept = login(email);
        String userId = userIdOf(admin, email);
        long accountId = accountIdOf(kept);
        String sessionId = sessionIdOf(ended);

        as(admin).delete()
            .uri("/api/admin/users/{id}/sessions/{s}", userId, sessionId)
            .exchange()
            .expectStatus()
            .isNoContent();

        as(ended).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(kept).get().uri("/users/me").exchange().expectStatus().isOk();
        as(admin).get()
            .uri("/api/admin/users/{id}/sessions", userId)
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1);
        as(admin).get()
            .uri("/api/admin/audit?user={u}&type=admin-session-revoked", accountId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data[0].details")
            .isEqualTo("session=" + sessionId);
        as(admin).delete()
            .uri("/api/admin/users/{id}/sessions/{s}", userId, sessionId)
            .exchange()
            .expectStatus()
            .isNotFound();
    }

    @Test
    void deleteWhenTheSessionIsAnotherUsersThenNotFoundAndTheSessionLives() {
        String admin = newAdminToken();
        String email = registerUser();
        login(email);
        String others = newUserToken();

        as(admin).delete()
            .uri("/api/admin/users/{id}/sessions/{s}", userIdOf(admin, email), sessionIdOf(others))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:session-not-found");

        as(others).get().uri("/users/me").exchange().expectStatus().isOk();
    }

    @Test
    void everyRouteWhenUserUnknownThenNotFoundAndWhenSessionIdMalformedThenBadRequest() {
        String admin = newAdminToken();
        String email = registerUser();

        as(admin).get()
            .uri("/api/admin/users/nosuchuser/sessions")
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kullanıcı bulunamadı");
        as(admin).delete()
            .uri("/api/admin/users/nosuchuser/sessions/{s}", UUID.randomUUID())
            .exchange()
            .expectStatus()
            .isNotFound();
        as(admin).delete()
            .uri("/api/admin/users/{id}/sessions/{s}", userIdOf(admin, email), UUID.randomUUID())
            .exchange()
            .expectStatus()
            .isNotFound();
        as(admin).delete()
            .uri("/api/admin/users/{id}/sessions/not-a-uuid", userIdOf(admin, email))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("sessionId");
    }

    @Test
    void everyRouteWhenNotAdminThenForbiddenAndWithoutTokenUnauthorized() {
        String user = newUserToken();

        as(user).get().uri("/api/admin/users/abc/sessions").exchange().expectStatus().isForbidden();
        as(user).delete()
            .uri("/api/admin/users/abc/sessions/{s}", UUID.randomUUID())
            .exchange()
            .expectStatus()
            .isForbidden();
        client().get().uri("/api/admin/users/abc/sessions").exchange().expectStatus().isUnauthorized();
    }

    /** The public userId of the account with this email, as the admin list shows it. */
    @SuppressWarnings("unchecked")
    String userIdOf(String admin, String email) {
        Map<String, Object> found = as(admin).get()
            .uri("/api/admin/users?search={q}", email)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return (String) ((List<Map<String, Object>>) found.get("data")).getFirst().get("userId");
    }

    /** The id of the session this token belongs to, from the user's own session list. */
    @SuppressWarnings("unchecked")
    private String sessionIdOf(String token) {
        Map<String, Object> body = as(token).get()
            .uri("/users/me/sessions")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return ((List<Map<String, Object>>) body.get("sessions")).stream()
            .filter(session -> Boolean.TRUE.equals(session.get("current")))
            .map(session -> (String) session.get("id"))
            .findFirst()
            .orElseThrow();
    }

}
