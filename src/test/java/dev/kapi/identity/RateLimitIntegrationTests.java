package dev.kapi.identity;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitIntegrationTests extends IntegrationTest {

    @Test
    void registerWhenSixthInAMinuteThenTooManyRequestsWithRetryAfter() {
        RestTestClient sameClient = client(randomIp());
        for (int i = 0; i < 5; i++) {
            register(sameClient).expectStatus().isCreated();
        }

        register(sameClient).expectStatus()
            .isEqualTo(429)
            .expectHeader()
            .exists("Retry-After")
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false)
            .jsonPath("$.message")
            .value(message -> assertThat((String) message).contains("Çok fazla"));

        // Another client is not affected, and the same one may go on once the minute has
        // passed.
        register(client(randomIp())).expectStatus().isCreated();
        clock.advance(Duration.ofMinutes(1));
        register(sameClient).expectStatus().isCreated();
    }

    @Test
    void profileReadsWhenEleventhInAMinuteThenTooManyRequestsForThatUserOnly() {
        String token = newUserToken();
        for (int i = 0; i < 10; i++) {
            as(token).get().uri("/users/me").exchange().expectStatus().isOk();
        }

        // Counted per account, whichever address the requests come from.
        as(token).get().uri("/users/me").exchange().expectStatus().isEqualTo(429);
        as(newUserToken()).get().uri("/users/me").exchange().expectStatus().isOk();
    }

    @Test
    void passwordChangeUnderEitherNameWhenFourthInAMinuteThenTooManyRequests() {
        String token = newUserToken();
        for (int i = 0; i < 3; i++) {
            as(token).post()
                .uri("/auth/reset-password")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("current_password", "guess-" + i, "new_password", "whatever-new-1", "confirm_password",
                        "whatever-new-1"))
                .exchange()
                .expectStatus()
                .isBadRequest();
        }

        as(token).post()
            .uri("/auth/reset-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("current_password", "guess-4", "new_password", "whatever-new-1", "confirm_password",
                    "whatever-new-1"))
            .exchange()
            .expectStatus()
            .isEqualTo(429);
    }

    private RestTestClient.ResponseSpec register(RestTestClient client) {
        return client.post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", PASSWORD, "full_name", "Limited"))
            .exchange();
    }

}
