package dev.kapi.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.identity.session.SessionStream;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class AccountLifecycleIntegrationTests extends IntegrationTest {

    @Test
    void freezeThenReadsAndIdentityWorkButWritesOfAnyOtherModuleAreForbiddenUntilUnfrozen() {
        String token = newUserToken();

        as(token).post()
            .uri("/users/me/freeze")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.frozen")
            .isEqualTo(true);

        as(token).get().uri("/users/me").exchange().expectStatus().isOk();
        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", "away"))
            .exchange()
            .expectStatus()
            .isOk();
        as(token).post()
            .uri("/api/messaging/customers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:account-frozen")
            .jsonPath("$.message")
            .value(String.class, message -> assertThat(message).contains("dondurulmuş"));

        as(token).post()
            .uri("/users/me/unfreeze")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.frozen")
            .isEqualTo(false);
        as(token).post()
            .uri("/api/messaging/customers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isBadRequest();
    }

    @Test
    void sessionEventsWhenTheSessionIsEndedElsewhereThenTheClientHearsItAtOnce() throws Exception {
        String email = registerUser();
        String watched = login(email);
        String other = login(email);
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://localhost:" + port + "/users/me/session-events"))
            .header("Authorization", "Bearer " + watched)
            .header("Accept", "text/event-stream")
            .build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
            .send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> received = CompletableFuture
            .supplyAsync(() -> response.body().takeWhile(line -> !line.contains("reason")).toList());

        as(other).post().uri("/auth/reset-session-login").exchange().expectStatus().isNoContent();

        List<String> lines = received.get(10, TimeUnit.SECONDS);
        assertThat(lines).contains("event:connected", "event:session-ended");
        as(watched).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void sessionEventsWhenAnAccountOpensTooManyStreamsThenRefused() throws Exception {
        String token = newUserToken();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://localhost:" + port + "/users/me/session-events"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .build();
        List<HttpResponse<Stream<String>>> open = new java.util.ArrayList<>();
        for (int i = 0; i < SessionStream.MAX_STREAMS_PER_ACCOUNT; i++) {
            open.add(http.send(request, HttpResponse.BodyHandlers.ofLines()));
            assertThat(open.getLast().statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(429);
        as(token).post().uri("/auth/logout").exchange().expectStatus().isNoContent();
        open.forEach(response -> response.body().close());
    }

    @Test
    void sessionEventsWithoutTokenThenUnauthorized() {
        client().get().uri("/users/me/session-events").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void auditLogThenAdminsSeeSecurityEventsOfAUserAndOthersAreForbidden() {
        String email = registerUser();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", "wrong-password"))
            .exchange()
            .expectStatus()
            .isBadRequest();
        String token = login(email);
        as(token).post().uri("/users/me/freeze").exchange().expectStatus().isOk();
        long id = accountIdOf(token);
        String admin = newAdminToken();

        as(admin).get()
            .uri("/api/admin/audit?user={id}", id)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true)
            .jsonPath("$.data[*].type")
            .value(List.class,
                    types -> assertThat(types).contains("account-registered", "login-failed", "login-succeeded",
                            "account-frozen"))
            .jsonPath("$.data[0].occurredAt")
            .isNotEmpty();
        as(admin).get()
            .uri("/api/admin/audit?user={id}&type=login-failed", id)
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1)
            .jsonPath("$.data[0].ip")
            .isNotEmpty();
        as(admin).get()
            .uri("/api/admin/audit?user={id}&limit=2", id)
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(2)
            .jsonPath("$.nextCursor")
            .isNotEmpty();
        as(admin).get()
            .uri("/api/admin/audit?from=0001-01-01T00:00:00Z")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:date-out-of-range");
        as(admin).get()
            .uri("/api/admin/audit?from=yesterday")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("from");
        as(token).get().uri("/api/admin/audit").exchange().expectStatus().isForbidden();
    }

}
