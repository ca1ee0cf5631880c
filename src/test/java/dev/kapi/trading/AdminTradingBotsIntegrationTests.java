package dev.kapi.trading;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTradingBotsIntegrationTests extends TradingTestSupport {

    @Test
    void listWhenABotTradedThenNewestFirstWithItsOwnerAndRealizedPnl() {
        String email = registerUser();
        String token = login(email);
        long bot = id(createBot(token, simpleBot("BTCUSDT", "60000", "65000")));
        post(token, "/api/trading/trades", Map.of("bot_id", bot, "side", "buy", "price", 10, "quantity", 2));
        post(token, "/api/trading/trades", Map.of("bot_id", bot, "side", "sell", "price", 15, "quantity", 1));
        String admin = newAdminToken();

        Map<String, Object> listed = list(admin, "/api/admin/trading/bots").getFirst();

        assertThat(listed).containsOnlyKeys("id", "user_id", "name", "symbol", "interval", "strategy", "paper",
                "active", "status", "trade_count", "realized_pnl", "unrealized_pnl", "total_pnl", "last_trade_at",
                "created_at");
        assertThat(listed).containsEntry("id", (int) bot)
            .containsEntry("user_id", userIdOf(admin, email))
            .containsEntry("name", "Eşik botu")
            .containsEntry("symbol", "BTCUSDT")
            .containsEntry("strategy", "simple")
            .containsEntry("paper", true)
            .containsEntry("active", false)
            .containsEntry("trade_count", 2);
        Map<String, Object> summary = get(token, "/api/trading/reports/summary");
        @SuppressWarnings("unchecked")
        Map<String, Object> own = ((List<Map<String, Object>>) summary.get("bots")).getFirst();
        assertThat(decimal(listed.get("realized_pnl"))).isEqualByComparingTo("5")
            .isEqualByComparingTo(decimal(own.get("realized_pnl")));
        assertThat(listed.get("status")).isEqualTo(own.get("status"));
        assertThat(listed.get("total_pnl")).isEqualTo(own.get("total_pnl"));
    }

    @Test
    void listWhenPagingWithTheCursorThenEveryBotOnceNewestFirst() {
        String token = newUserToken();
        long first = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));
        long second = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));
        long third = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));
        String admin = newAdminToken();

        EntityExchangeResult<List<Map<String, Object>>> page1 = page(admin, "/api/admin/trading/bots?limit=2");
        String next = page1.getResponseHeaders().getFirst("X-Next-Cursor");
        EntityExchangeResult<List<Map<String, Object>>> page2 = page(admin,
                "/api/admin/trading/bots?limit=2&cursor=" + next);

        assertThat(page1.getResponseBody()).extracting(bot -> bot.get("id")).containsExactly((int) third, (int) second);
        assertThat(page2.getResponseBody().getFirst()).containsEntry("id", (int) first);
        assertThat(page2.getResponseBody()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void listWhenStatusGivenThenOnlyBotsOfThatStatus() {
        String token = newUserToken();
        long paused = id(createBot(token, simpleBot("BNBUSDT", "1", "2")));
        long idle = id(createBot(token, simpleBot("BNBUSDT", "1", "2")));
        as(token).put()
            .uri("/api/trading/bots/{id}/state", paused)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", "paused"))
            .exchange()
            .expectStatus()
            .isOk();
        String admin = newAdminToken();

        List<Map<String, Object>> pausedBots = list(admin, "/api/admin/trading/bots?status=paused&limit=500");

        assertThat(pausedBots).extracting(bot -> bot.get("status")).containsOnly("paused");
        assertThat(pausedBots).extracting(bot -> bot.get("id")).contains((int) paused).doesNotContain((int) idle);
    }

    @Test
    void listWhenInputInvalidThenBadRequestNamingTheParameter() {
        String admin = newAdminToken();

        assertThat(invalidFields(as(admin).get().uri("/api/admin/trading/bots?status=running")))
            .containsExactly("status");
        assertThat(invalidFields(as(admin).get().uri("/api/admin/trading/bots?cursor=%21%21")))
            .containsExactly("cursor");
        assertThat(invalidFields(as(admin).get().uri("/api/admin/trading/bots?cursor={c}", "aWR8MQ")))
            .containsExactly("cursor");
        assertThat(invalidFields(as(admin).get().uri("/api/admin/trading/bots?limit=0"))).containsExactly("limit");
        assertThat(invalidFields(as(admin).get().uri("/api/admin/trading/bots?limit=501"))).containsExactly("limit");
        assertThat(invalidFields(as(admin).get().uri("/api/admin/trading/bots?limit=x"))).containsExactly("limit");
    }

    @Test
    void listWhenNotAdminThenForbiddenAndWithoutTokenUnauthorized() {
        as(newUserToken()).get().uri("/api/admin/trading/bots").exchange().expectStatus().isForbidden();
        client().get().uri("/api/admin/trading/bots").exchange().expectStatus().isUnauthorized();
    }

    private EntityExchangeResult<List<Map<String, Object>>> page(String admin, String uri) {
        return as(admin).get().uri(uri).exchange().expectStatus().isOk().expectBody(JSON_ARRAY).returnResult();
    }

    @SuppressWarnings("unchecked")
    private String userIdOf(String admin, String email) {
        Map<String, Object> found = as(admin).get()
            .uri("/api/admin/users?search={q}", email)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return (String) ((List<Map<String, Object>>) found.get("data")).getFirst().get("userId");
    }

}
