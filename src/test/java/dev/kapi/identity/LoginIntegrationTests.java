package dev.kapi.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class LoginIntegrationTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void loginWithJsonThenBearerTokenForThirtyMinutesThatOpensTheProfile() {
        String email = registerUser();

        Token token = client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();

        assertThat(token.token_type()).isEqualTo("bearer");
        assertThat(token.expires_in()).isEqualTo(1800);
        as(token.access_token()).get()
            .uri("/users/me")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.email")
            .isEqualTo(email)
            .jsonPath("$.last_login")
            .isNotEmpty();
    }

    @Test
    void loginWithFormFieldsThenToken() {
        String email = registerUser();
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", email);
        form.add("password", PASSWORD);

        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(form)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.access_token")
            .isNotEmpty()
            .jsonPath("$.token_type")
            .isEqualTo("bearer");
    }

    @Test
    void loginWhenEmailInOtherCaseThenSignedIn() {
        String email = registerUser();

        assertThat(login(email.toUpperCase(), PASSWORD)).isNotBlank();
    }

    @Test
    void loginWhenWrongPasswordThenSameAnswerAsForAnUnknownEmail() {
        String email = registerUser();

        String wrongPassword = new String(client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", "not-the-password"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Yanlış email/şifre")
            .returnResult()
            .getResponseBody());
        String unknownEmail = new String(client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", uniqueEmail(), "password", "not-the-password"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Yanlış email/şifre")
            .returnResult()
            .getResponseBody());

        assertThat(unknownEmail).isEqualTo(wrongPassword);
    }

    @Test
    void loginWhenFiveFailuresThenAccountLockedFor15Minutes() {
        String email = registerUser();
        for (int i = 0; i < 5; i++) {
            failLogin(email).expectStatus().isBadRequest();
        }

        // Locked: even the right password is refused, with 401.
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.message")
            .value(message -> assertThat((String) message).contains("kilitli"));

        clock.advance(Duration.ofMinutes(14));
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isUnauthorized();

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(login(email)).isNotBlank();
    }

    @Test
    void loginWhenUnknownEmailFailsFiveTimesThenLockedJustLikeARealAccount() {
        String nobody = uniqueEmail();
        for (int i = 0; i < 5; i++) {
            failLogin(nobody).expectStatus().isBadRequest();
        }

        failLogin(nobody).expectStatus().isUnauthorized();
    }

    @Test
    void loginWhenSuccessThenFailureCountStartsAgain() {
        String email = registerUser();
        for (int i = 0; i < 4; i++) {
            failLogin(email).expectStatus().isBadRequest();
        }
        login(email);

        for (int i = 0; i < 4; i++) {
            failLogin(email).expectStatus().isBadRequest();
        }
        assertThat(login(email)).isNotBlank();
    }

    @Test
    void loginWhenFailuresThenProfileCountsThem() {
        String email = registerUser();
        String token = login(email);
        as(token).get().uri("/users/me").exchange().expectBody().jsonPath("$.failed_login_attempts").isEqualTo(0);

        failLogin(email).expectStatus().isBadRequest();
        failLogin(email).expectStatus().isBadRequest();

        // The profile just read is cached; the failures must show all the same.
        as(token).get().uri("/users/me").exchange().expectBody().jsonPath("$.failed_login_attempts").isEqualTo(2);
    }

    @Test
    void loginWhenTwentyConcurrentWrongAttemptsThenOnlyFiveReachThePasswordCheck() throws Exception {
        String email = registerUser();
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(() -> client().post()
                .uri("/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("username", email, "password", "wrong-password"))
                .exchange()
                .returnResult()
                .getStatus()
                .value());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<Integer> result : pool.invokeAll(attempts)) {
                statuses.add(result.get());
            }
        }

        assertThat(statuses).filteredOn(status -> status == 400).hasSize(5);
        assertThat(statuses).filteredOn(status -> status == 401).hasSize(15);
    }

    @Test
    void loginWhenAccountInactiveThenUnauthorized() {
        String email = registerUser();
        jdbc.sql("UPDATE accounts SET is_active = false WHERE email = :email").param("email", email).update();

        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Hesap aktif değil; admin onayı gerekli");
    }

    @Test
    void loginWhenHashIsFromAnOlderAlgorithmThenItIsUpgraded() {
        String email = registerUser();
        String legacy = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
        jdbc.sql("UPDATE accounts SET password_hash = :hash WHERE email = :email")
            .param("hash", legacy)
            .param("email", email)
            .update();

        login(email);

        String stored = jdbc.sql("SELECT password_hash FROM accounts WHERE email = :email")
            .param("email", email)
            .query(String.class)
            .single();
        assertThat(stored).startsWith("{bcrypt-sha256}");
        assertThat(login(email)).isNotBlank();
    }

    @Test
    void tokenWhenThirtyMinutesPassedThenRejected() {
        String token = newUserToken();
        as(token).get().uri("/users/me").exchange().expectStatus().isOk();

        clock.advance(Duration.ofMinutes(31));

        as(token).get()
            .uri("/users/me")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectHeader()
            .valueEquals("WWW-Authenticate", "Bearer")
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false);
    }

    @Test
    void tokenWhenTamperedThenRejected() {
        String token = newUserToken();
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        as(forged).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as("not-a-jwt").get().uri("/users/me").exchange().expectStatus().isUnauthorized();
    }

    private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec failLogin(String username) {
        return client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", username, "password", "wrong-password"))
            .exchange();
    }

}
