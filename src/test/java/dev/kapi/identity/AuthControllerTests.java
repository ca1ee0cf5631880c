package dev.kapi.identity;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuthControllerTests {

    @Test
    void registerAdminWhenNoSecretConfiguredThenTheRouteDoesNotExist() {
        IdentitySettings noSecret = new IdentitySettings(null, "", Duration.ofMinutes(30), Duration.ofDays(30),
                new IdentitySettings.Lockout(5, Duration.ofMinutes(15)),
                new IdentitySettings.Password(8, 256, "bcrypt", 4, 0, Duration.ofSeconds(5)));
        AuthController controller = new AuthController(null, null, noSecret);

        assertThatExceptionOfType(ApiException.class)
                .isThrownBy(() -> controller.registerAdmin(new AuthController.AdminRegisterRequest("a@b.co",
                        "password-1", "Name", "")))
                .satisfies(ex -> org.assertj.core.api.Assertions.assertThat(ex.status())
                        .isEqualTo(HttpStatus.NOT_FOUND));
    }
}
