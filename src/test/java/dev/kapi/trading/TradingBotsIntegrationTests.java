package dev.kapi.trading;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class TradingBotsIntegrationTests extends TradingTestSupport {

    @Test
    void createWhenSimpleStrategyThenCreatedStoppedOnPaperWithEveryField() {
        String token = newUserToken();

        Map<String, Object> bot = createBot(token, simpleBot("BTCUSDT", "60000", "65000.5"));

        assertThat(bot).containsOnlyKeys("id", "name", "symbol", "quote_amount", "interval", "strategy", "params",
                "api_key_id", "paper", "max_daily_loss", "max_position", "active", "status", "created_at", "updated_at",
                "stop_loss", "take_profit", "trailing_stop", "trailing_offset", "max_drawdown", "cooldown_minutes",
                "position_sizing", "starting_balance", "exchange", "price_feed", "order_type", "limit_offset",
                "unfilled_timeout_minutes", "on_unfilled", "stop_on_exchange");
        assertThat(bot).containsEntry("name", "Eşik botu")
            .containsEntry("symbol", "BTCUSDT")
            .containsEntry("interval", "1m")
            .containsEntry("strategy", "simple")
            .containsEntry("paper", true)
            .containsEntry("active", false)
            .containsEntry("status", "idle")
            .containsEntry("exchange", "binance")
            .containsEntry("price_feed", "live")
            .containsEntry("stop_on_exchange", false);
        assertThat(decimal(bot.get("quote_amount"))).isEqualByComparingTo("100");
        assertThat(bot.get("params")).isEqualTo(Map.of("buy_below", 60000, "sell_above", 65000.5));
    }

    @Test
    void createWhenEmaWithOnePeriodOrACrossoverThenCreated() {
        String token = newUserToken();

        assertThat(createBot(token, emaBot("ETHUSDT", Map.of("ema_period", 20))).get("params"))
            .isEqualTo(Map.of("ema_period", 20));
        Map<String, Object> crossover = emaBot("ETHUSDT", Map.of("fast_period", 12, "slow_period", 26));
        crossover.put("interval", "15m");
        Map<String, Object> created = createBot(token, crossover);
        assertThat(created.get("params")).isEqualTo(Map.of("fast_period", 12, "slow_period", 26));
        assertThat(created).containsEntry("interval", "15m");
    }

    @Test
    void createWhenFieldsInvalidThenBadRequestNamingEachField() {
        String token = newUserToken();

        assertThat(invalidBotFields(token, Map.of("name", " ", "symbol", "btc-usdt", "quote_amount", -1, "strategy",
                "simple", "params", Map.of())))
            .containsExactlyInAnyOrder("name", "symbol", "quote_amount");
        assertThat(invalidBotFields(token, with(simpleBot("BTCUSDT", "1", "2"), "strategy", "martingale")))
            .containsExactly("strategy");
        assertThat(invalidBotFields(token, with(simpleBot("BTCUSDT", "1", "2"), "interval", "7m")))
            .containsExactly("interval");
        assertThat(invalidBotFields(token, simpleBot("BTCUSDT", "200", "100"))).containsExactly("sell_above");
        assertThat(invalidBotFields(token, with(simpleBot("BTCUSDT", "1", "2"), "params", Map.of("buy_below", 1))))
            .containsExactly("sell_above");
        assertThat(invalidBotFields(token, with(simpleBot("BTCUSDT", "1", "2"), "params",
                Map.of("buy_below", 1, "sell_above", 2, "stop_loss", 3))))
            .containsExactly("stop_loss");
        assertThat(invalidBotFields(token, emaBot("BTCUSDT", Map.of("ema_period", 1)))).containsExactly("ema_period");
        assertThat(invalidBotFields(token, emaBot("BTCUSDT", Map.of()))).containsExactly("ema_period");
        assertThat(invalidBotFields(token, emaBot("BTCUSDT", Map.of("ema_period", 9, "slow_period", 26))))
            .containsExactly("slow_period");
        assertThat(invalidBotFields(token, emaBot("BTCUSDT", Map.of("fast_period", 26, "slow_period", 12))))
            .containsExactly("fast_period");
        assertThat(invalidBotFields(token, emaBot("BTCUSDT", Map.of("fast_period", 12))))
            .containsExactly("slow_period");
        assertThat(invalidBotFields(token, with(simpleBot("BTCUSDT", "1", "2"), "max_position", 50)))
            .containsExactly("max_position");
        assertThat(invalidBotFields(token, with(simpleBot("BTCUSDT", "1", "2"), "api_key_id", 987654321)))
            .containsExactly("api_key_id");
    }

    @Test
    void createWhenAnotherUsersApiKeyThenBadRequestNamingIt() {
        long othersKey = id(createKey(newUserToken(), "someone-elses-key"));

        assertThat(invalidBotFields(newUserToken(), with(simpleBot("BTCUSDT", "1", "2"), "api_key_id", othersKey)))
            .containsExactly("api_key_id");
    }

    @Test
    void getListUpdateAndDeleteWhenOwnerThenDoneAndForAnotherUserNotFound() {
        String owner = newUserToken();
        String other = newUserToken();
        long bot = id(createBot(owner, simpleBot("BTCUSDT", "1", "2")));

        assertThat(list(owner, "/api/trading/bots")).extracting(json -> id(json)).containsExactly(bot);
        assertThat(list(other, "/api/trading/bots")).isEmpty();
        Map<String, Object> changed = with(emaBot("BTCUSDT", Map.of("ema_period", 5)), "name", "Yeni ad");
        for (var request : new RestTestClient.RequestHeadersSpec<?>[] {
                as(other).get().uri("/api/trading/bots/{id}", bot),
                as(other).put()
                    .uri("/api/trading/bots/{id}", bot)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(changed),
                as(other).delete().uri("/api/trading/bots/{id}", bot),
                as(other).post().uri("/api/trading/bots/{id}/start", bot),
                as(other).post().uri("/api/trading/bots/{id}/stop", bot),
                as(other).get().uri("/api/trading/bots/{id}/state", bot),
                as(other).put()
                    .uri("/api/trading/bots/{id}/state", bot)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("status", "paused")) }) {
            request.exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("urn:kapi:problem:bot-not-found");
        }

        Map<String, Object> updated = as(owner).put()
            .uri("/api/trading/bots/{id}", bot)
            .contentType(MediaType.APPLICATION_JSON)
            .body(changed)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(updated).containsEntry("name", "Yeni ad")
            .containsEntry("strategy", "ema")
            .containsEntry("params", Map.of("ema_period", 5));
        assertThat(get(owner, "/api/trading/bots/{id}", bot)).containsEntry("name", "Yeni ad");

        as(owner).delete().uri("/api/trading/bots/{id}", bot).exchange().expectStatus().isNoContent();
        as(owner).get().uri("/api/trading/bots/{id}", bot).exchange().expectStatus().isNotFound();
    }

    @Test
    void startStopAndDeleteWhenActiveThenStateFollowsAndDeletionWaitsForStop() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("BTCUSDT", "1", "2")));

        assertThat(post(token, "/api/trading/bots/" + bot + "/start", null)).containsEntry("active", true);
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("active", true)
            .containsEntry("status", "idle");
        as(token).delete()
            .uri("/api/trading/bots/{id}", bot)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:bot-active");

        assertThat(post(token, "/api/trading/bots/" + bot + "/stop", null)).containsEntry("active", false);
        as(token).delete().uri("/api/trading/bots/{id}", bot).exchange().expectStatus().isNoContent();
    }

    @Test
    void stateWhenNewThenIdleFlatAndNeverRun() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("BTCUSDT", "1", "2")));

        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);

        assertThat(state).containsOnlyKeys("bot_id", "status", "active", "position", "last_signal", "last_price",
                "last_candle_at", "last_run_at", "error_count", "last_error", "status_reason", "entry_price",
                "high_water", "equity", "peak_equity", "cooldown_until");
        assertThat(state).containsEntry("status", "idle")
            .containsEntry("last_signal", null)
            .containsEntry("last_run_at", null)
            .containsEntry("error_count", 0);
        Map<String, Object> position = new HashMap<>();
        position.put("quantity", 0);
        position.put("cost", 0);
        position.put("average_price", null);
        assertThat(state.get("position")).isEqualTo(position);
    }

    @Test
    void updateStateWhenPausedThenResumedAndAnErrorResetBeforeStart() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("BTCUSDT", "1", "2")));

        assertThat(putState(token, bot, "paused")).containsEntry("status", "paused");
        assertThat(putState(token, bot, "idle")).containsEntry("status", "idle");

        jdbc.sql("UPDATE trading_bots SET status = 'error', error_count = 3, last_error = 'boom' WHERE id = :id")
            .param("id", bot)
            .update();
        as(token).post()
            .uri("/api/trading/bots/{id}/start", bot)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:bot-in-error");
        assertThat(putState(token, bot, "in_position")).containsEntry("status", "idle")
            .containsEntry("error_count", 0)
            .containsEntry("last_error", null);
        assertThat(post(token, "/api/trading/bots/" + bot + "/start", null)).containsEntry("active", true);
        assertThat(invalidFields(as(token).put()
            .uri("/api/trading/bots/{id}/state", bot)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", "error")))).containsExactly("status");
    }

    @Test
    void routesWhenNoTokenThenUnauthorized() {
        client().get().uri("/api/trading/bots").exchange().expectStatus().isUnauthorized();
        client().get().uri("/api/trading/api-keys").exchange().expectStatus().isUnauthorized();
        client().get().uri("/api/trading/trades").exchange().expectStatus().isUnauthorized();
        client().get().uri("/api/trading/reports/summary").exchange().expectStatus().isUnauthorized();
    }

    private Map<String, Object> putState(String token, long bot, String status) {
        return as(token).put()
            .uri("/api/trading/bots/{id}/state", bot)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", status))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(field, value);
        return changed;
    }

}
