package dev.kapi.identity.account;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import dev.kapi.identity.TestSettings;
import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuthControllerTests {

    @Test
    void registerAdminWhenNoSecretConfiguredThenTheRouteDoesNotExist() {
        AuthController controller = new AuthController(null, null, null, null, null, TestSettings.identity(null, ""));

        assertThatExceptionOfType(ApiException.class)
            .isThrownBy(() -> controller
                .registerAdmin(new AuthController.AdminRegisterRequest("a@b.co", "password-1", "Name", "")))
            .satisfies(ex -> org.assertj.core.api.Assertions.assertThat(ex.status()).isEqualTo(HttpStatus.NOT_FOUND));
    }

}
