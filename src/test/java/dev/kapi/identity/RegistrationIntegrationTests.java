package dev.kapi.identity;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationIntegrationTests extends IntegrationTest {

    @Test
    void registerWhenSeedExampleThenCreatedWithExactlyTheDocumentedUserFields() {
        String email = uniqueEmail();

        Map<String, Object> body = client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Ayşe Yılmaz"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(body).containsOnlyKeys("id", "email", "full_name", "status", "role", "is_active", "last_login",
                "failed_login_attempts", "password_changed_at", "email_verified", "frozen");
        assertThat(body).containsEntry("email", email)
            .containsEntry("full_name", "Ayşe Yılmaz")
            .containsEntry("role", "user")
            .containsEntry("is_active", true)
            .containsEntry("failed_login_attempts", 0)
            .containsEntry("last_login", null)
            .containsEntry("status", "active")
            .containsEntry("email_verified", false)
            .containsEntry("frozen", false);
        assertThat(body.get("id")).isInstanceOf(Number.class);
    }

    @Test
    void registerWhenEmailTakenInAnotherCaseThenConflict() {
        String email = registerUser();

        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email.toUpperCase(), "password", PASSWORD, "full_name", "Again"))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false)
            .jsonPath("$.message")
            .isEqualTo("Email zaten kayıtlı");
    }

    @Test
    void registerWhenSeveralFieldsAreBadThenBadRequestNamesEveryOne() {
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", "not-an-email", "password", "short"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false)
            .jsonPath("$.errors[*].field")
            .value(java.util.List.class,
                    fields -> assertThat(fields).containsExactlyInAnyOrder("email", "password", "full_name"))
            .jsonPath("$.message")
            .value(message -> assertThat((String) message).contains("email")
                .contains("password")
                .contains("full_name")
                .contains("en az 8"));
    }

    @Test
    void registerWhenPasswordHasSevenCharactersThenBadRequestAndEightIsEnough() {
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", "1234567", "full_name", "Seven"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("password");

        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", "kx7Rv2qT", "full_name", "Eight"))
            .exchange()
            .expectStatus()
            .isCreated();
    }

    @Test
    void registerWhenBodyIsNotJsonThenBadRequest() {
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body("{\"email\": ")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:malformed-json")
            .jsonPath("$.message")
            .isEqualTo("İstek gövdesi geçerli bir JSON değil");
    }

    @Test
    void registerWhenClientSendsPasswordHashThenBadRequestSaysSo() {
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password_hash", "$2a$10$abc", "full_name", "Hash"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("password_hash")
            .jsonPath("$.message")
            .value(message -> assertThat((String) message).contains("password"));
    }

    @Test
    void registerWhenEnglishRequestedThenMessagesInEnglish() {
        String email = registerUser();

        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Accept-Language", "en")
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Again"))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Email is already registered");
    }

    @Test
    void registerWhenPasswordIsLongerThanBcryptsLimitThenEveryCharacterCounts() {
        String email = uniqueEmail();
        // a strong start: password strength is measured on the first 48 characters
        String longPassword = "Kx7#mQ2v!Lp9zR4t" + "p".repeat(84) + "-tail-128-" + "x".repeat(18);
        assertThat(longPassword).hasSize(128);
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", longPassword, "full_name", "Long"))
            .exchange()
            .expectStatus()
            .isCreated();

        String samePrefix = "Kx7#mQ2v!Lp9zR4t" + "p".repeat(84) + "-tail-128-" + "y".repeat(18);
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", samePrefix))
            .exchange()
            .expectStatus()
            .isBadRequest();
        assertThat(login(email, longPassword)).isNotBlank();
    }

    @Test
    void registerAdminWhenSecretMatchesThenAccountHasAdminRole() {
        client().post()
            .uri("/auth/register/admin")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", PASSWORD, "full_name", "Boss", "admin_secret",
                    ADMIN_SECRET))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.role")
            .isEqualTo("admin");
    }

    @Test
    void registerAdminWhenSecretIsWrongThenForbiddenAndNoAccount() {
        String email = uniqueEmail();
        client().post()
            .uri("/auth/register/admin")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Boss", "admin_secret", "guess"))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false);

        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isBadRequest();
    }

    @Test
    void responsesNeverContainThePasswordOrItsHash() {
        String body = client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", PASSWORD, "full_name", "Quiet"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

        assertThat(body).doesNotContain(PASSWORD)
            .doesNotContain("$2a$")
            .doesNotContain("bcrypt")
            .doesNotContain("password_hash");
    }

    @Test
    void everyAnswerCarriesARequestIdAndEchoesTheCallersOne() {
        client().get()
            .uri("/users/me")
            .header("X-Request-Id", "trace-42")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectHeader()
            .valueEquals("X-Request-Id", "trace-42")
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false)
            .jsonPath("$.detail")
            .value(String.class, detail -> assertThat(detail).contains("token"))
            .jsonPath("$.stackTrace")
            .doesNotExist()
            .jsonPath("$.trace")
            .doesNotExist();
        client().get().uri("/actuator/health").exchange().expectHeader().exists("X-Request-Id");
    }

    @Test
    void queryWhenItIsNotValidPercentEncodingThenBadRequestNotServerError() throws Exception {
        String token = newUserToken();
        // Sent over a raw socket: HTTP clients refuse to send such a query at all.
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream()
                .write(("GET /events?cursor=%zz HTTP/1.1\r\nHost: localhost\r\n" + "Authorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("urn:kapi:problem:malformed-query");
        }
    }

    @Test
    void openApiDescribesTheSeedRoutes() {
        client().get()
            .uri("/v3/api-docs")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.paths['/auth/register'].post")
            .exists()
            .jsonPath("$.paths['/auth/login'].post")
            .exists()
            .jsonPath("$.paths['/users/me'].put")
            .exists()
            .jsonPath("$.paths['/users/{user_id}'].delete")
            .exists();
    }

}
