package dev.kapi.identity;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class SessionIntegrationTests extends IntegrationTest {

    @Test
    void loginThenAlsoARefreshTokenThatRotates() {
        Token first = signIn(registerUser(), PASSWORD);
        assertThat(first.refresh_token()).hasSizeGreaterThanOrEqualTo(43);

        Token second = refresh(first.refresh_token()).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();

        assertThat(second.refresh_token()).isNotEqualTo(first.refresh_token());
        assertThat(second.token_type()).isEqualTo("bearer");
        as(second.access_token()).get().uri("/users/me").exchange().expectStatus().isOk();
        refresh(second.refresh_token()).expectStatus().isOk();
    }

    @Test
    void refreshWhenUsedTokenPresentedAfterGraceThenWholeSessionRevoked() {
        Token login = signIn(registerUser(), PASSWORD);
        Token rotated = refresh(login.refresh_token()).expectBody(Token.class).returnResult().getResponseBody();

        clock.advance(Duration.ofSeconds(11));
        refresh(login.refresh_token()).expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:refresh-token-reused");

        // Every token of that session is dead now, the thief's and the owner's.
        as(login.access_token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(rotated.access_token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        refresh(rotated.refresh_token()).expectStatus().isUnauthorized();
    }

    @Test
    void refreshWhenUsedTokenPresentedWithinGraceThenRacingClientStillServed() {
        Token login = signIn(registerUser(), PASSWORD);
        refresh(login.refresh_token()).expectStatus().isOk();

        clock.advance(Duration.ofSeconds(5));

        Token again = refresh(login.refresh_token()).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        as(again.access_token()).get().uri("/users/me").exchange().expectStatus().isOk();
    }

    @Test
    void publicRoutesWhenAStaleAccessTokenIsStillSentThenItIsIgnored() {
        String email = registerUser();
        Token login = signIn(email, PASSWORD);
        as(login.access_token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();
        Token second = signIn(email, PASSWORD);

        // A client that keeps sending its old, now dead, access token can still sign in
        // and refresh.
        as(login.access_token()).post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk();
        as(login.access_token()).post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", second.refresh_token()))
            .exchange()
            .expectStatus()
            .isOk();
    }

    @Test
    void refreshWhenTokenUnknownOrMissingThenRejected() {
        refresh("no-such-token").expectStatus().isUnauthorized();
        client().post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("refresh_token");
    }

    @Test
    void sessionWhenUnusedForTheIdleTimeoutThenEnded() {
        Token login = signIn(registerUser(), PASSWORD);

        clock.advance(Duration.ofDays(7).plusMinutes(1));

        refresh(login.refresh_token()).expectStatus().isUnauthorized();
    }

    @Test
    void sessionWhenUsedThenIdleTimeoutSlidesButAbsoluteLifetimeHolds() {
        Token token = signIn(registerUser(), PASSWORD);
        for (int week = 0; week < 4; week++) {
            clock.advance(Duration.ofDays(6));
            token = refresh(token.refresh_token()).expectStatus()
                .isOk()
                .expectBody(Token.class)
                .returnResult()
                .getResponseBody();
        }

        clock.advance(Duration.ofDays(6).plusMinutes(1));

        // 30 days after login the session ends however busy it was.
        refresh(token.refresh_token()).expectStatus().isUnauthorized();
    }

    @Test
    void logoutThenAccessAndRefreshTokensFailAtOnce() {
        Token login = signIn(registerUser(), PASSWORD);

        as(login.access_token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();

        as(login.access_token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        refresh(login.refresh_token()).expectStatus().isUnauthorized();
    }

    @Test
    void resetSessionLoginThenEveryOtherSessionEnds() {
        String email = registerUser();
        String phone = login(email);
        String tablet = login(email);
        String laptop = login(email);

        as(laptop).post().uri("/auth/reset-session-login").exchange().expectStatus().isNoContent();

        as(phone).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(tablet).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(laptop).get().uri("/users/me").exchange().expectStatus().isOk();
    }

    @Test
    void listSessionsThenOwnLiveSessionsWithTheCurrentOneMarked() {
        String email = registerUser();
        client("10.9.8.7").post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .header("User-Agent", "KapiPhone/1.0")
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk();
        String current = login(email);
        as(newUserToken()).get().uri("/users/me").exchange().expectStatus().isOk();

        as(current).get()
            .uri("/users/me/sessions")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.sessions.length()")
            .isEqualTo(2)
            .jsonPath("$.sessions[?(@.current == true)].id")
            .value(java.util.List.class, ids -> assertThat(ids).hasSize(1))
            .jsonPath("$.sessions[?(@.user_agent == 'KapiPhone/1.0')].ip")
            .value(java.util.List.class, ips -> assertThat(ips).containsExactly("10.9.8.7"))
            .jsonPath("$.sessions[0].created_at")
            .isNotEmpty()
            .jsonPath("$.sessions[0].last_used_at")
            .isNotEmpty();
    }

    @Test
    void endSessionWhenOwnThenItEndsAndWhenAnotherUsersThenNotFound() {
        String email = registerUser();
        String phone = login(email);
        String laptop = login(email);
        String phoneSession = currentSessionId(phone);
        String stranger = newUserToken();

        as(stranger).delete().uri("/users/me/sessions/{id}", phoneSession).exchange().expectStatus().isNotFound();
        as(phone).get().uri("/users/me").exchange().expectStatus().isOk();

        as(laptop).delete().uri("/users/me/sessions/{id}", phoneSession).exchange().expectStatus().isNoContent();
        as(phone).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(laptop).delete().uri("/users/me/sessions/{id}", "not-a-uuid").exchange().expectStatus().isBadRequest();
    }

    private String currentSessionId(String token) {
        return as(token).get()
            .uri("/users/me/sessions")
            .exchange()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("sessions") instanceof java.util.List<?> list
                    ? list.stream()
                        .map(Map.class::cast)
                        .filter(s -> Boolean.TRUE.equals(s.get("current")))
                        .map(s -> (String) s.get("id"))
                        .findFirst()
                        .orElseThrow()
                    : null;
    }

    private RestTestClient.ResponseSpec refresh(String refreshToken) {
        return client().post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", refreshToken))
            .exchange();
    }

}
