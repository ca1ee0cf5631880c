package dev.kapi.identity;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileIntegrationTests extends IntegrationTest {

    @Test
    void updateProfileWhenSeedFieldsThenChanged() {
        String token = newUserToken();
        String newEmail = uniqueEmail();

        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("full_name", "Yeni Ad", "email", newEmail.toUpperCase(), "status", "busy"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.full_name")
            .isEqualTo("Yeni Ad")
            .jsonPath("$.email")
            .isEqualTo(newEmail)
            .jsonPath("$.status")
            .isEqualTo("busy")
            .jsonPath("$.role")
            .isEqualTo("user");
        assertThat(login(newEmail)).isNotBlank();
    }

    @Test
    void updateProfileWhenRoleSentThenBadRequestAndRoleUnchanged() {
        String token = newUserToken();

        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("full_name", "Sneaky", "role", "admin"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("role");
        as(token).get()
            .uri("/users/me")
            .exchange()
            .expectBody()
            .jsonPath("$.role")
            .isEqualTo("user")
            .jsonPath("$.full_name")
            .isEqualTo("Test User");
    }

    @Test
    void updateProfileWhenDeactivatingSelfThenBadRequestAndStillActive() {
        String token = newUserToken();

        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("is_active", false))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("is_active");
        as(token).get().uri("/users/me").exchange().expectBody().jsonPath("$.is_active").isEqualTo(true);
    }

    @Test
    void updateProfileWhenEmailTakenThenConflict() {
        String other = registerUser();
        String token = newUserToken();

        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", other))
            .exchange()
            .expectStatus()
            .isEqualTo(409);
    }

    @Test
    void changePasswordWhenCurrentPasswordWrongThenBadRequest() {
        changePassword(newUserToken(), "wrong-current", "new-password-1", "new-password-1").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Mevcut şifre yanlış")
            .jsonPath("$.errors[0].field")
            .isEqualTo("current_password");
    }

    @Test
    void changePasswordWhenNewPasswordTooShortThenBadRequest() {
        changePassword(newUserToken(), PASSWORD, "short", "short").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("new_password")
            .jsonPath("$.errors[0].message")
            .value(message -> assertThat((String) message).contains("kısa"));
    }

    @Test
    void changePasswordWhenConfirmationDiffersThenBadRequest() {
        changePassword(newUserToken(), PASSWORD, "new-password-1", "new-password-2").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Şifreler eşleşmiyor");
    }

    @Test
    void changePasswordWhenSameAsOldThenBadRequest() {
        changePassword(newUserToken(), PASSWORD, PASSWORD, PASSWORD).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Yeni şifre eski şifre ile aynı");
    }

    @Test
    void changePasswordWhenValidThenOtherSessionsEndAndThisOneLives() {
        String email = registerUser();
        String phone = login(email);
        String laptop = login(email);

        changePassword(laptop, PASSWORD, "brand-new-password", "brand-new-password").expectStatus().isNoContent();

        as(phone).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(laptop).get()
            .uri("/users/me")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.password_changed_at")
            .isNotEmpty();
        assertThat(login(email, "brand-new-password")).isNotBlank();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isBadRequest();
    }

    @Test
    void deleteMeThenEverySessionEndsAndTheAccountIsGone() {
        String email = registerUser();
        String first = login(email);
        String second = login(email);

        as(first).delete().uri("/users/me").exchange().expectStatus().isNoContent();

        as(first).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(second).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isBadRequest();
        // The email is free again.
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Back"))
            .exchange()
            .expectStatus()
            .isCreated();
    }

    private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec changePassword(String token,
            String current, String replacement, String confirmation) {
        return as(token).post()
            .uri("/users/me/change-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("current_password", current, "new_password", replacement, "confirm_password", confirmation))
            .exchange();
    }

}
