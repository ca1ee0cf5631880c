package dev.kapi.identity;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Kapı instances on one PostgreSQL, requests alternating between them: limits,
 * lockouts and session ends must hold across both, as they would behind a load balancer.
 * The second is the shared {@link SecondInstance}, listening past PgBouncer as it would
 * behind one.
 */
class TwoInstancesIntegrationTests extends IntegrationTest {

    private static final String LISTENER = SecondInstance.LISTENER;

    private int secondPort;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void startSecondInstance() {
        secondPort = secondInstance().port();
        assertThat(secondPort).isNotEqualTo(port);
    }

    @Test
    void registerWhenSixthInAMinuteThenRefusedWhicheverInstanceGetsIt() {
        String ip = randomIp();
        for (int i = 0; i < 5; i++) {
            register(i % 2 == 0 ? onFirst(ip) : onSecond(ip)).expectStatus().isCreated();
        }

        register(onSecond(ip)).expectStatus().isEqualTo(429);
        register(onFirst(ip)).expectStatus().isEqualTo(429);
    }

    @Test
    void lockoutWhenReachedThroughOneInstanceThenItHoldsOnTheOther() {
        String email = registerUser();
        for (int i = 0; i < 5; i++) {
            login(i % 2 == 0 ? onFirst(randomIp()) : onSecond(randomIp()), email, "wrong-password").expectStatus()
                .isBadRequest();
        }

        login(onSecond(randomIp()), email, PASSWORD).expectStatus().isUnauthorized();
        login(onFirst(randomIp()), email, PASSWORD).expectStatus().isUnauthorized();
    }

    @Test
    void sessionWhenRevokedOnOneInstanceThenFailsAtOnceOnTheOther() {
        String token = login(onFirst(randomIp()), registerUser(), PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
        me(onSecond(randomIp()), token).expectStatus().isOk();

        onFirst(randomIp()).post()
            .uri("/auth/logout")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .exchange()
            .expectStatus()
            .isNoContent();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> me(onSecond(randomIp()), token).expectStatus().isUnauthorized());
    }

    @Test
    void refreshTokenReuseWhenDetectedOnOneInstanceThenTheSessionEndsOnBoth() {
        Token first = login(onFirst(randomIp()), registerUser(), PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        Token rotated = onSecond(randomIp()).post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", first.refresh_token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        me(onSecond(randomIp()), rotated.access_token()).expectStatus().isOk();

        clock.advance(Duration.ofSeconds(11));
        onFirst(randomIp()).post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", first.refresh_token()))
            .exchange()
            .expectStatus()
            .isUnauthorized();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> me(onSecond(randomIp()), rotated.access_token()).expectStatus().isUnauthorized());
        me(onFirst(randomIp()), rotated.access_token()).expectStatus().isUnauthorized();
    }

    @Test
    void profileWhenChangedThroughOneInstanceThenTheOtherShowsTheChange() {
        String token = login(onFirst(randomIp()), registerUser(), PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
        me(onSecond(randomIp()), token).expectBody().jsonPath("$.full_name").isEqualTo("Test User");

        onFirst(randomIp()).put()
            .uri("/users/me")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("full_name", "Renamed On First"))
            .exchange()
            .expectStatus()
            .isOk();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> me(onSecond(randomIp()), token).expectBody()
                .jsonPath("$.full_name")
                .isEqualTo("Renamed On First"));
    }

    @Test
    void listenerWhenADirectUrlIsGivenThenItListensThereAndSessionEndsStillReachIt() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(jdbc
                .sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND query LIKE 'LISTEN %'")
                .param("name", LISTENER)
                .query(Long.class)
                .single()).isEqualTo(1L));
        String token = login(onFirst(randomIp()), registerUser(), PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
        me(onSecond(randomIp()), token).expectStatus().isOk();

        onFirst(randomIp()).post()
            .uri("/auth/logout")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .exchange()
            .expectStatus()
            .isNoContent();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> me(onSecond(randomIp()), token).expectStatus().isUnauthorized());
    }

    @Test
    void listenerWhenItsDirectConnectionIsKilledThenItReconnectsThereAndDropsWhatItCached() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String email = registerUser();
        String token = login(onFirst(randomIp()), email, PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
        me(onSecond(randomIp()), token).expectBody().jsonPath("$.full_name").isEqualTo("Test User");
        await().atMost(Duration.ofSeconds(5))
            .until(() -> jdbc
                .sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND query LIKE 'LISTEN %'")
                .param("name", LISTENER)
                .query(Long.class)
                .single() == 1L);

        // A change no NOTIFY announces, then the listening session dies: the second
        // instance must not
        // keep answering from what it cached before the gap.
        jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name")
            .param("name", LISTENER)
            .query()
            .listOfRows();
        jdbc.sql("UPDATE accounts SET full_name = 'Changed Behind Its Back' WHERE lower(email) = lower(:email)")
            .param("email", email)
            .update();

        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> me(onSecond(randomIp()), token).expectBody()
                .jsonPath("$.full_name")
                .isEqualTo("Changed Behind Its Back"));
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(jdbc
                .sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND query LIKE 'LISTEN %'")
                .param("name", LISTENER)
                .query(Long.class)
                .single()).isEqualTo(1L));
    }

    @Test
    void secondFactorWhenAddedOnOneInstanceThenTheOtherAsksForItAtOnceAndNotAfterItIsRemoved() {
        String email = registerUser();
        // The second instance has seen the account sign in without a factor (and
        // remembers that it has none).
        login(onSecond(randomIp()), email, PASSWORD).expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.access_token")
            .exists();
        String token = login(onFirst(randomIp()), email, PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
        String secret = (String) as(token).post()
            .uri("/users/me/mfa/totp")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("secret");
        as(token).post()
            .uri("/users/me/mfa/totp/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", dev.kapi.support.Totp.atStep(secret, step())))
            .exchange()
            .expectStatus()
            .isOk();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> login(onSecond(randomIp()), email, PASSWORD).expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.mfa_required")
                .isEqualTo(true)
                .jsonPath("$.access_token")
                .doesNotExist());

        clock.advance(Duration.ofSeconds(30));
        as(token).method(org.springframework.http.HttpMethod.DELETE)
            .uri("/users/me/mfa/totp")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", dev.kapi.support.Totp.atStep(secret, step())))
            .exchange()
            .expectStatus()
            .isNoContent();
        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> login(onSecond(randomIp()), email, PASSWORD).expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.access_token")
                .exists()
                .jsonPath("$.mfa_required")
                .doesNotExist());
    }

    @Test
    void enrolmentWhenDoneOnOneInstanceThenTheOtherLetsTheSessionInAtOnceAndRefreshesItToAWholeToken()
            throws Exception {
        JdbcClient.create(dataSource)
            .sql("INSERT INTO user_types (name) SELECT 'auditor' WHERE NOT EXISTS "
                    + "(SELECT 1 FROM user_types WHERE name = 'auditor')")
            .update();
        Token session = login(onFirst(randomIp()), newUserOfType("auditor").email(), PASSWORD).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        // The second instance has seen the session as one that may only enrol.
        sessions(onSecond(randomIp()), session.access_token()).expectStatus().isForbidden();

        String secret = (String) as(session.access_token()).post()
            .uri("/users/me/mfa/totp")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("secret");
        as(session.access_token()).post()
            .uri("/users/me/mfa/totp/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", dev.kapi.support.Totp.atStep(secret, step())))
            .exchange()
            .expectStatus()
            .isOk();

        await().atMost(Duration.ofSeconds(1))
            .untilAsserted(() -> sessions(onSecond(randomIp()), session.access_token()).expectStatus().isOk());
        Token refreshed = onSecond(randomIp()).post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", session.refresh_token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        assertThat(com.nimbusds.jwt.SignedJWT.parse(refreshed.access_token()).getJWTClaimsSet().getClaim("scope"))
            .isNull();
    }

    private static RestTestClient.ResponseSpec sessions(RestTestClient client, String token) {
        return client.get().uri("/users/me/sessions").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private long step() {
        return Math.floorDiv(clock.instant().getEpochSecond(), 30);
    }

    private RestTestClient onFirst(String ip) {
        return client(ip);
    }

    private RestTestClient onSecond(String ip) {
        return bindToServer().baseUrl("http://localhost:" + secondPort).defaultHeader("X-Forwarded-For", ip).build();
    }

    private static RestTestClient.ResponseSpec register(RestTestClient client) {
        return client.post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", PASSWORD, "full_name", "Twin"))
            .exchange();
    }

    private static RestTestClient.ResponseSpec login(RestTestClient client, String email, String password) {
        return client.post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", password))
            .exchange();
    }

    private static RestTestClient.ResponseSpec me(RestTestClient client, String token) {
        return client.get().uri("/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

}
