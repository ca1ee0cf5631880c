package dev.kapi.identity;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003's admin routes over all users, {@code GET /users}, {@code GET /users/{id}} and
 * {@code DELETE /users/{id}} (seed 004's {@code /api/admin/users} is
 * {@code admin.AdminUsersIntegrationTests}).
 */
class UserDirectoryIntegrationTests extends IntegrationTest {

    @Test
    void listUsersWhenAdminThenPageAndTotal() {
        String admin = newAdminToken();
        registerUser();
        registerUser();

        Map<String, Object> page = as(admin).get()
            .uri("/users?skip=0&limit=2")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(page).containsOnlyKeys("users", "total");
        assertThat((Iterable<?>) page.get("users")).hasSize(2);
        assertThat(((Number) page.get("total")).longValue()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void listUsersWhenDefaultsThenTenAtMost() {
        String admin = newAdminToken();
        for (int i = 0; i < 10; i++) {
            registerUser();
        }

        as(admin).get()
            .uri("/users")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.users.length()")
            .isEqualTo(10);
    }

    @Test
    void listUsersWhenPagingValuesAreBadThenBadRequestNamingThem() {
        String admin = newAdminToken();

        as(admin).get()
            .uri("/users?limit=101")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("limit");
        as(admin).get()
            .uri("/users?skip=-1")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("skip");
        as(admin).get()
            .uri("/users?limit=ten")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("limit");
    }

    @Test
    void adminRoutesWhenNotAdminThenForbiddenAndWithoutTokenUnauthorized() {
        String user = newUserToken();

        as(user).get()
            .uri("/users")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false);
        as(user).get().uri("/users/1").exchange().expectStatus().isForbidden();
        as(user).delete().uri("/users/1").exchange().expectStatus().isForbidden();
        client().get().uri("/users").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void getUserWhenAdminThenUserAndUnknownIdNotFound() {
        String admin = newAdminToken();
        TestUser user = newUser();

        as(admin).get()
            .uri("/users/{id}", user.id())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.email")
            .isEqualTo(user.email());
        as(admin).get()
            .uri("/users/{id}", Long.MAX_VALUE)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kullanıcı bulunamadı");
    }

    @Test
    void deleteUserWhenAdminThenUserAndSessionsGone() {
        String admin = newAdminToken();
        TestUser victim = newUser();

        as(admin).delete().uri("/users/{id}", victim.id()).exchange().expectStatus().isNoContent();

        as(victim.token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(admin).get().uri("/users/{id}", victim.id()).exchange().expectStatus().isNotFound();
    }

    @Test
    void deleteUserWhenOwnAccountThenForbidden() {
        TestUser admin = newAdmin();

        as(admin.token()).delete()
            .uri("/users/{id}", admin.id())
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kendi hesabınızı silemezsiniz");
    }

}
