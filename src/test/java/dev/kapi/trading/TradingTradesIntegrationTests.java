package dev.kapi.trading;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class TradingTradesIntegrationTests extends TradingTestSupport {

    @Test
    void recordWhenManualBuysAndAPartialSellThenFifoRealizedPnlNetOfFeesAndThePositionFollows() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));

        Map<String, Object> first = trade(token, bot, "buy", "100", "1", "1");
        trade(token, bot, "buy", "110", "1", "1.1");
        Map<String, Object> sell = trade(token, bot, "sell", "120", "1.5", "1.8");

        assertThat(first).containsOnlyKeys("id", "bot_id", "symbol", "side", "price", "quantity", "quote_quantity",
                "fee", "realized_pnl", "source", "client_order_id", "executed_at", "exit_reason");
        assertThat(first).containsEntry("symbol", "ETHUSDT")
            .containsEntry("source", "manual")
            .containsEntry("realized_pnl", 0);
        assertThat(decimal(sell.get("realized_pnl"))).isEqualByComparingTo("21.65");
        assertThat(decimal(sell.get("quote_quantity"))).isEqualByComparingTo("180");
        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("status", "in_position");
        @SuppressWarnings("unchecked")
        Map<String, Object> position = (Map<String, Object>) state.get("position");
        assertThat(decimal(position.get("quantity"))).isEqualByComparingTo("0.5");
        assertThat(decimal(position.get("cost"))).isEqualByComparingTo("55.55");
        assertThat(decimal(position.get("average_price"))).isEqualByComparingTo("111.1");

        Map<String, Object> last = trade(token, bot, "sell", "90", "0.5", "0.45");
        assertThat(decimal(last.get("realized_pnl"))).isEqualByComparingTo("-11");
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "idle");
    }

    @Test
    void recordWhenNoBotThenTheUsersOwnBookForTheSymbol() {
        String token = newUserToken();
        Map<String, Object> buy = new HashMap<>(Map.of("symbol", "SOLUSDT", "side", "buy", "price", 20, "quantity", 5));
        as(token).post()
            .uri("/api/trading/trades")
            .contentType(MediaType.APPLICATION_JSON)
            .body(buy)
            .exchange()
            .expectStatus()
            .isCreated();

        Map<String, Object> sell = post(token, "/api/trading/trades",
                Map.of("symbol", "SOLUSDT", "side", "sell", "price", 25, "quantity", 2, "fee", "0.05"));

        assertThat(sell).containsEntry("bot_id", null);
        assertThat(decimal(sell.get("realized_pnl"))).isEqualByComparingTo("9.95");
    }

    @Test
    void recordWhenInvalidThenBadRequestNamingTheField() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));

        assertThat(invalidTradeFields(token, Map.of("symbol", "ETHUSDT", "side", "hold", "price", 0)))
            .containsExactlyInAnyOrder("side", "price", "quantity");
        assertThat(invalidTradeFields(token, Map.of("side", "buy", "price", 1, "quantity", 1)))
            .containsExactly("symbol");
        assertThat(invalidTradeFields(token,
                Map.of("bot_id", bot, "symbol", "BTCUSDT", "side", "buy", "price", 1, "quantity", 1)))
            .containsExactly("symbol");
        assertThat(invalidTradeFields(token, Map.of("bot_id", bot, "side", "sell", "price", 1, "quantity", 1)))
            .containsExactly("quantity");
        assertThat(invalidTradeFields(token, Map.of("bot_id", bot, "side", "buy", "price", 1, "quantity", 1,
                "executed_at", clock.instant().plus(Duration.ofHours(1)).toString())))
            .containsExactly("executed_at");
        assertThat(invalidTradeFields(token,
                Map.of("bot_id", bot, "side", "buy", "price", 1, "quantity", 1, "executed_at", "yesterday")))
            .containsExactly("executed_at");
        assertThat(invalidTradeFields(newUserToken(), Map.of("bot_id", bot, "side", "buy", "price", 1, "quantity", 1)))
            .containsExactly("bot_id");
    }

    @Test
    void getWhenOwnTradeThenItAndWhenAnotherUsersThenNotFound() {
        String token = newUserToken();
        long id = id(post(token, "/api/trading/trades",
                Map.of("symbol", "BNBUSDT", "side", "buy", "price", 300, "quantity", "0.1")));

        assertThat(get(token, "/api/trading/trades/{id}", id)).containsEntry("symbol", "BNBUSDT");
        as(newUserToken()).get()
            .uri("/api/trading/trades/{id}", id)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:trade-not-found");
    }

    @Test
    void listWhenFiltersThenOnlyMatchingTradesNewestFirstAndPagedByCursor() {
        String token = newUserToken();
        long btc = id(createBot(token, simpleBot("BTCUSDT", "1", "2")));
        long eth = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        List<Long> btcTrades = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            btcTrades.add(id(tradeAt(token, btc, i % 2 == 0 ? "buy" : "sell", start.plus(Duration.ofMinutes(i)))));
        }
        tradeAt(token, eth, "buy", start.plus(Duration.ofMinutes(10)));

        assertThat(ids(list(token, "/api/trading/trades?bot_id={bot}", btc))).containsExactly(btcTrades.get(4),
                btcTrades.get(3), btcTrades.get(2), btcTrades.get(1), btcTrades.get(0));
        assertThat(ids(list(token, "/api/trading/trades?symbol=BTCUSDT&side=sell"))).containsExactly(btcTrades.get(3),
                btcTrades.get(1));
        assertThat(ids(list(token, "/api/trading/trades?bot_id={bot}&from={from}&to={to}", btc,
                start.plus(Duration.ofMinutes(1)), start.plus(Duration.ofMinutes(3)))))
            .containsExactly(btcTrades.get(2), btcTrades.get(1));
        assertThat(list(token, "/api/trading/trades")).hasSize(6);
        assertThat(list(newUserToken(), "/api/trading/trades?bot_id={bot}", btc)).isEmpty();

        EntityExchangeResult<List<Map<String, Object>>> page = as(token).get()
            .uri("/api/trading/trades?bot_id={bot}&limit=2", btc)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult();
        String cursor = page.getResponseHeaders().getFirst("X-Next-Cursor");
        assertThat(ids(page.getResponseBody())).containsExactly(btcTrades.get(4), btcTrades.get(3));
        EntityExchangeResult<List<Map<String, Object>>> next = as(token).get()
            .uri("/api/trading/trades?bot_id={bot}&limit=2&cursor={cursor}", btc, cursor)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult();
        assertThat(ids(next.getResponseBody())).containsExactly(btcTrades.get(2), btcTrades.get(1));
        String third = next.getResponseHeaders().getFirst("X-Next-Cursor");
        EntityExchangeResult<List<Map<String, Object>>> last = as(token).get()
            .uri("/api/trading/trades?bot_id={bot}&limit=2&cursor={cursor}", btc, third)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult();
        assertThat(ids(last.getResponseBody())).containsExactly(btcTrades.get(0));
        assertThat(last.getResponseHeaders().getFirst("X-Next-Cursor")).isNull();

        assertThat(invalidFields(as(token).get().uri("/api/trading/trades?cursor=bm9wZQ"))).containsExactly("cursor");
        assertThat(invalidFields(as(token).get().uri("/api/trading/trades?limit=501"))).containsExactly("limit");
        assertThat(invalidFields(as(token).get().uri("/api/trading/trades?from=2024-13-01"))).containsExactly("from");
    }

    @Test
    void reportsWhenTradesThenPerformanceTradeHistoryAndSummaryAcrossTheUsersBots() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));
        long quiet = id(createBot(token, simpleBot("BTCUSDT", "1", "2")));
        trade(token, bot, "buy", "100", "1", "0");
        trade(token, bot, "sell", "110", "1", "0");
        trade(token, bot, "buy", "110", "1", "0");
        trade(token, bot, "sell", "95", "1", "0");
        Map<String, Object> lastTrade = trade(token, bot, "buy", "100", "2", "0");

        Map<String, Object> report = get(token, "/api/trading/reports/{id}/performance", bot);

        assertThat(report).containsEntry("bot_id", (int) bot).containsEntry("symbol", "ETHUSDT");
        @SuppressWarnings("unchecked")
        Map<String, Object> performance = (Map<String, Object>) report.get("performance");
        assertThat(performance).containsEntry("trade_count", 5)
            .containsEntry("buys", 3)
            .containsEntry("sells", 2)
            .containsEntry("winning_sells", 1)
            .containsEntry("losing_sells", 1)
            .containsEntry("last_trade_at", lastTrade.get("executed_at"));
        assertThat(decimal(performance.get("realized_pnl"))).isEqualByComparingTo("-5");
        assertThat(decimal(performance.get("unrealized_pnl"))).isEqualByComparingTo("0");
        assertThat(decimal(performance.get("total_pnl"))).isEqualByComparingTo("-5");
        assertThat(decimal(performance.get("win_rate"))).isEqualByComparingTo("0.5");
        assertThat(decimal(performance.get("max_drawdown"))).isEqualByComparingTo("15");

        List<Map<String, Object>> sells = list(token, "/api/trading/reports/{id}/trades?side=sell", bot);
        assertThat(sells).hasSize(2).allSatisfy(trade -> assertThat(trade).containsEntry("side", "sell"));

        Map<String, Object> summary = get(token, "/api/trading/reports/summary");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) summary.get("bots");
        assertThat(lines).extracting(line -> ((Number) line.get("bot_id")).longValue()).containsExactly(bot, quiet);
        assertThat(lines.getFirst()).containsEntry("trade_count", 5);
        assertThat(lines.get(1)).containsEntry("trade_count", 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) summary.get("totals");
        assertThat(totals).containsEntry("bots", 2).containsEntry("active_bots", 0).containsEntry("trade_count", 5);
        assertThat(decimal(totals.get("realized_pnl"))).isEqualByComparingTo("-5");

        String other = newUserToken();
        as(other).get().uri("/api/trading/reports/{id}/performance", bot).exchange().expectStatus().isNotFound();
        as(other).get().uri("/api/trading/reports/{id}/trades", bot).exchange().expectStatus().isNotFound();
        assertThat(get(other, "/api/trading/reports/summary").get("bots")).isEqualTo(List.of());
    }

    @Test
    void deleteBotWhenItHasTradesThenTheyGoWithIt() {
        String token = newUserToken();
        long bot = id(createBot(token, simpleBot("ETHUSDT", "1", "2")));
        long trade = id(trade(token, bot, "buy", "100", "1", "0"));

        as(token).delete().uri("/api/trading/bots/{id}", bot).exchange().expectStatus().isNoContent();

        as(token).get().uri("/api/trading/trades/{id}", trade).exchange().expectStatus().isNotFound();
    }

    private Map<String, Object> trade(String token, long bot, String side, String price, String quantity, String fee) {
        return post(token, "/api/trading/trades",
                Map.of("bot_id", bot, "side", side, "price", price, "quantity", quantity, "fee", fee));
    }

    private Map<String, Object> tradeAt(String token, long bot, String side, Instant at) {
        return post(token, "/api/trading/trades",
                Map.of("bot_id", bot, "side", side, "price", "100", "quantity", "1", "executed_at", at.toString()));
    }

    private List<String> invalidTradeFields(String token, Map<String, Object> body) {
        return invalidFields(
                as(token).post().uri("/api/trading/trades").contentType(MediaType.APPLICATION_JSON).body(body));
    }

    private static List<Long> ids(List<Map<String, Object>> json) {
        return json.stream().map(IntegrationTest::id).toList();
    }

}
