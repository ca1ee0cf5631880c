package dev.kapi.admin;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.plans.Credits;
import dev.kapi.shared.SqlTime;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardIntegrationTests extends IntegrationTest {

    @Autowired
    Credits credits;

    @Autowired
    Traffic traffic;

    @Autowired
    JdbcClient jdbc;

    @Test
    void dashboardWhenAUserSignsUpAndLogsInThenTodayCountsThemAndTheyAreActiveNow() {
        String admin = newAdminToken();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Object> before = todayOf(dashboard(admin, "?from=" + today + "&to=" + today));

        // when
        login(registerUser());

        // then
        Map<String, Object> data = data(dashboard(admin, "?from=" + today + "&to=" + today));
        Map<String, Object> after = todayOf(data);
        assertThat(number(after, "signUps")).isEqualTo(number(before, "signUps") + 1);
        assertThat(number(after, "logins")).isEqualTo(number(before, "logins") + 1);
        Map<String, Object> users = map(data, "users");
        assertThat(number(users, "activeNow")).isGreaterThanOrEqualTo(2);
        assertThat(number(users, "activeWindowMinutes")).isEqualTo(15);
    }

    @Test
    void dashboardWhenNoRangeThenTheLastSevenDaysEachListedOnce() {
        Map<String, Object> data = data(dashboard(newAdminToken(), ""));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);

        assertThat(data).containsEntry("from", today.minusDays(6).toString()).containsEntry("to", today.toString());
        assertThat(list(map(data, "users"), "days")).extracting(day -> day.get("date"))
            .containsExactly(today.minusDays(6).toString(), today.minusDays(5).toString(),
                    today.minusDays(4).toString(), today.minusDays(3).toString(), today.minusDays(2).toString(),
                    today.minusDays(1).toString(), today.toString());
        assertThat(map(data, "counts")).containsKeys("queues", "bots", "requests");
        assertThat(map(map(data, "counts"), "queues")).containsKeys("created", "running", "completed");
        assertThat(map(map(data, "counts"), "bots")).containsKeys("idle", "in_position", "paused", "error");
        assertThat(map(map(data, "counts"), "requests")).containsKeys("open", "answered", "closed");
    }

    @Test
    void dashboardWhenRequestsWereAnsweredThenEndpointsAndTheCurrentMinuteCountThemWithTheirErrors() {
        String admin = newAdminToken();
        clock.advance(Duration.ofMinutes(1));
        traffic.sample();

        // when: two answers of 404 and three of 200 in this minute
        as(admin).get().uri("/api/admin/support/requests/999999991").exchange().expectStatus().isNotFound();
        as(admin).get().uri("/api/admin/support/requests/999999992").exchange().expectStatus().isNotFound();
        for (int i = 0; i < 3; i++) {
            as(admin).get().uri("/api/admin/support/requests?limit=1").exchange().expectStatus().isOk();
        }
        traffic.sample();

        // then
        Map<String, Object> trafficView = map(data(dashboard(admin, "")), "traffic");
        assertThat(trafficView).containsEntry("scope", "instance");
        Map<String, Object> minute = list(trafficView, "perMinute").getLast();
        assertThat(number(minute, "requests")).isGreaterThanOrEqualTo(4);
        assertThat(number(minute, "clientErrors")).isGreaterThanOrEqualTo(1);
        List<Map<String, Object>> endpoints = list(trafficView, "endpoints");
        Map<String, Object> one = endpoints.stream()
            .filter(e -> "/api/admin/support/requests/{id}".equals(e.get("uri")) && "GET".equals(e.get("method")))
            .findFirst()
            .orElseThrow();
        assertThat(number(one, "clientErrors")).isGreaterThanOrEqualTo(2);
        assertThat(((Number) one.get("clientErrorRate")).doubleValue()).isGreaterThan(0);
        assertThat(one).containsKeys("requests", "serverErrors", "errorRate", "meanMillis");
    }

    @Test
    void dashboardWhenAUserSpentCreditsSentMessagesAndRunsABotThenTheirUsageShowsIt() {
        // given
        String admin = newAdminToken();
        String token = newUserToken();
        long id = accountIdOf(token);
        credits.load(id, 1_000_000, "test", null);
        credits.commit(credits.reserve(id, 900_000, "dashboard test").id());
        // two messages handed to a provider, written as the sender would (the sender
        // itself is messaging's test)
        for (int i = 0; i < 2; i++) {
            jdbc.sql("""
                    INSERT INTO messaging_messages (queue_id, owner_id, phone, status, due_at, sent_at, updated_at)
                    VALUES (-1, :owner, :phone, 'sent', :now, :now, :now)""")
                .param("owner", id)
                .param("phone", "+90555999" + id + i)
                .param("now", SqlTime.utc(clock.instant()))
                .update();
        }
        Map<String, Object> bot = new HashMap<>(Map.of("name", "Eşik botu", "symbol", "BTCUSDT", "quote_amount",
                new BigDecimal("100"), "strategy", "simple", "params",
                Map.of("buy_below", new BigDecimal("1"), "sell_above", new BigDecimal("2"))));
        Number botId = (Number) as(token).post()
            .uri("/api/trading/bots")
            .contentType(MediaType.APPLICATION_JSON)
            .body(bot)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("id");
        as(token).post().uri("/api/trading/bots/" + botId + "/start").exchange().expectStatus().isOk();

        // when
        List<Map<String, Object>> usage = list(data(dashboard(admin, "?top=500")), "usage");

        // then
        Map<String, Object> row = usage.stream()
            .filter(u -> ((Number) u.get("accountId")).longValue() == id)
            .findFirst()
            .orElseThrow();
        assertThat(row).containsEntry("name", "Test User").containsKey("userId");
        assertThat(number(row, "creditsSpent")).isEqualTo(900_000);
        assertThat(number(row, "messagesSent")).isEqualTo(2);
        assertThat(number(row, "activeBots")).isEqualTo(1);
        as(token).post().uri("/api/trading/bots/" + botId + "/stop").exchange().expectStatus().isOk();
    }

    @Test
    void dashboardWhenRangeIsBackwardsOrTooLongThenBadRequestNamingTheField() {
        String admin = newAdminToken();

        as(admin).get()
            .uri("/api/admin/dashboard?from=2026-11-10&to=2026-11-01")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("from");
        as(admin).get()
            .uri("/api/admin/dashboard?from=2024-01-01&to=2026-11-01")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("to");
        as(admin).get().uri("/api/admin/dashboard?from=yesterday").exchange().expectStatus().isBadRequest();
    }

    @Test
    void dashboardWhenNotAdminThenForbidden() {
        as(newUserToken()).get().uri("/api/admin/dashboard").exchange().expectStatus().isForbidden();
        client().get().uri("/api/admin/dashboard").exchange().expectStatus().isUnauthorized();
    }

    private Map<String, Object> dashboard(String token, String query) {
        Map<String, Object> body = as(token).get()
            .uri("/api/admin/dashboard" + query)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(body).containsEntry("success", true);
        return body;
    }

    private static Map<String, Object> todayOf(Map<String, Object> body) {
        Map<String, Object> data = body.containsKey("data") ? data(body) : body;
        return list(map(data, "users"), "days").getLast();
    }

    private static Map<String, Object> data(Map<String, Object> body) {
        return map(body, "data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> body, String key) {
        return (Map<String, Object>) body.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    private static long number(Map<String, Object> body, String key) {
        return ((Number) body.get(key)).longValue();
    }

}
