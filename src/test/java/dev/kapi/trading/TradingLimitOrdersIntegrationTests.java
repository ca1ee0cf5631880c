package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.trading.exchange.Candles;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.runner.LimitOrders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limit orders end to end: placed at the last close moved by the bot's offset, each fill
 * recorded as it comes (the order's one trade grows), and after the unfilled timeout on
 * the injected clock the rest cancelled once, also with two instances polling, on the
 * Binance and BtcTurk stubs (answers shaped as their API documentation shows) and on
 * paper.
 */
class TradingLimitOrdersIntegrationTests extends TradingTestSupport {

    @Autowired
    BotRunner runner;

    @Autowired
    LimitOrders limits;

    @Autowired
    Candles store;

    @Autowired
    JsonMapper json;

    @Test
    void limitOrderWhenItFillsPartlyThenTimesOutOnBinanceThenEachFillGrowsOneTradeAndTheRestIsCancelledOnce()
            throws Exception {
        String token = newUserToken();
        String base = "L" + ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        String symbol = base + "USDT";
        binance.rulesWithMinimumValue(symbol, base);
        Instant first = candles(ExchangeName.BINANCE, symbol, "99", "99");
        Map<String, Object> body = limitBot(symbol, "100", "1000", "cancel");
        body.put("api_key_id", id(createKey(token, "limit-" + base)));
        long bot = startedBot(token, body);
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;
        BINANCE.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson(BinanceStandIn.limitBuy(symbol, order, "NEW", "0", "0") + "")));

        runner.tick(first.plus(Duration.ofMinutes(1)));

        // 99 less 1% is 98.01 (on the 0.01 tick); 100 USDT buys 1.0203 on the 0.00001
        // step.
        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("side", equalTo("BUY"))
                    .withQueryParam("type", equalTo("LIMIT"))
                    .withQueryParam("timeInForce", equalTo("GTC"))
                    .withQueryParam("price", equalTo("98.01"))
                    .withQueryParam("quantity", equalTo("1.0203"))
                    .withQueryParam("newClientOrderId", equalTo(order)));
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
        assertThat(orderStatus(order)).isEqualTo("open");

        // Half of it fills: one trade of 0.5.
        binance.limitBuyState(symbol, order, "PARTIALLY_FILLED", "0.5", "49.005",
                "[" + BinanceStandIn.limitBuyTrade(symbol, "0.5") + "]");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        Map<String, Object> trade = onlyTrade(token, bot);
        assertThat(trade).containsEntry("side", "buy").containsEntry("client_order_id", order);
        assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo("0.5");
        assertThat(decimal(trade.get("price"))).isEqualByComparingTo("98.01");
        assertThat(decimal(trade.get("fee"))).isEqualByComparingTo("0.049005");

        // More fills: the same trade grows to 0.8, its fee with it.
        binance.limitBuyState(symbol, order, "PARTIALLY_FILLED", "0.8", "78.408",
                "[" + BinanceStandIn.limitBuyTrade(symbol, "0.5") + ", " + BinanceStandIn.limitBuyTrade(symbol, "0.3")
                        + "]");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        trade = onlyTrade(token, bot);
        assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo("0.8");
        assertThat(decimal(trade.get("price"))).isEqualByComparingTo("98.01");
        assertThat(decimal(trade.get("fee"))).isEqualByComparingTo("0.078408");
        assertThat(decimal(position(token, bot).get("quantity"))).isEqualByComparingTo("0.8");

        // Five minutes after it was placed, both instances poll at once: one cancel.
        BINANCE.stubFor(WireMock.delete(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson(BinanceStandIn.limitBuy(symbol, order, "CANCELED", "0.8", "78.408"))));
        clock.advance(Duration.ofMinutes(4));
        bothInstancesPass();

        BINANCE.verify(1, deleteRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(order)));
        assertThat(orderStatus(order)).isEqualTo("canceled");
        trade = onlyTrade(token, bot);
        assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo("0.8");
        assertThat(decimal(position(token, bot).get("quantity"))).isEqualByComparingTo("0.8");
        limits.pass();
        BINANCE.verify(1,
                deleteRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol)));
        BINANCE.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol)));
    }

    @Test
    void limitOrderWhenItFillsPartlyThenTimesOutOnBtcturkThenTheFillIsRecordedAndTheRestIsCancelledOnce()
            throws Exception {
        String token = newUserToken();
        String symbol = "K" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "TRY";
        btcturk.rules(symbol);
        Instant first = candles(ExchangeName.BTCTURK, symbol, "3950000", "3950000");
        Map<String, Object> body = limitBot(symbol, "4000000", "9000000", "cancel");
        body.put("quote_amount", new BigDecimal("1000"));
        body.put("api_key_id", id(createBtcturkKey(token)));
        long bot = startedBot(token, body);
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;
        BTCTURK.stubFor(WireMock.post(urlPathEqualTo("/api/v1/order")).willReturn(okJson("""
                {"success": true, "message": "SUCCESS", "code": 0,
                 "data": {"id": 8812, "datetime": 1765094465000, "type": "Buy", "method": "Limit", "price": "3910500",
                          "stopPrice": "0", "quantity": "0.00025572", "pairSymbol": "%s", "pairSymbolNormalized": "%s",
                          "newOrderClientId": "%s"}}
                """.formatted(symbol, symbol, order))));

        runner.tick(first.plus(Duration.ofMinutes(1)));

        List<LoggedRequest> posted = BTCTURK.findAll(postRequestedFor(urlPathEqualTo("/api/v1/order")))
            .stream()
            .filter(request -> request.getBodyAsString().contains(order))
            .toList();
        assertThat(posted).hasSize(1);
        JsonNode sent = json.readTree(posted.getFirst().getBodyAsString());
        // 3,950,000 less 1% on the tick of 1 TRY; 1,000 TRY buys 0.00025572 BTC.
        assertThat(sent.path("orderMethod").asString()).isEqualTo("limit");
        assertThat(sent.path("orderType").asString()).isEqualTo("buy");
        assertThat(sent.path("price").asString()).isEqualTo("3910500");
        assertThat(sent.path("quantity").asString()).isEqualTo("0.00025572");
        assertThat(sent.path("pairSymbol").asString()).isEqualTo(symbol);
        assertThat(orderStatus(order)).isEqualTo("open");

        btcturk.limitBuyState(symbol, order, "Partial");
        btcturk.trades(
                BtcturkStandIn.trade("buy", 8812, 7001, 1765094500000L, "3910500", "0.0001", "-0.39105", "-0.070389"));
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        Map<String, Object> trade = onlyTrade(token, bot);
        assertThat(trade).containsEntry("side", "buy").containsEntry("client_order_id", order);
        assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo("0.0001");
        assertThat(decimal(trade.get("price"))).isEqualByComparingTo("3910500");
        assertThat(decimal(trade.get("fee"))).isEqualByComparingTo("0.461439");

        BTCTURK.stubFor(WireMock.delete(urlPathEqualTo("/api/v1/order"))
            .withQueryParam("id", equalTo("8812"))
            .willReturn(okJson("""
                    {"success": true, "message": "SUCCESS", "code": 0}
                    """)));
        clock.advance(Duration.ofMinutes(5));
        bothInstancesPass();

        BTCTURK.verify(1, deleteRequestedFor(urlPathEqualTo("/api/v1/order")).withQueryParam("id", equalTo("8812")));
        assertThat(orderStatus(order)).isEqualTo("canceled");
        assertThat(decimal(onlyTrade(token, bot).get("quantity"))).isEqualByComparingTo("0.0001");
        assertThat(decimal(position(token, bot).get("quantity"))).isEqualByComparingTo("0.0001");
    }

    @Test
    void paperLimitOrderWhenALaterCandleCrossesItsPriceThenItFillsThereInFull() {
        String token = newUserToken();
        String symbol = paperSymbol();
        Instant first = candles(ExchangeName.BINANCE, symbol, "99", "99");
        long bot = startedBot(token, limitBot(symbol, "100", "1000", "cancel"));

        runner.tick(first.plus(Duration.ofMinutes(1)));
        // The next candle's low (98.5) stays above 98.01: nothing fills.
        candle(symbol, first.plus(Duration.ofMinutes(1)), "98.5", "99");
        runner.tick(first.plus(Duration.ofMinutes(2)));
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
        // Meanwhile the chart shows it resting in the paper book.
        assertThat(chartOrders(token, bot)).singleElement().satisfies(order -> {
            assertThat(order).containsEntry("kind", "limit")
                .containsEntry("side", "buy")
                .containsEntry("status", "open");
            assertThat(decimal(order.get("price"))).isEqualByComparingTo("98.01");
            assertThat(decimal(order.get("quantity"))).isEqualByComparingTo("1.02030405");
        });
        // This one's low goes through it.
        candle(symbol, first.plus(Duration.ofMinutes(2)), "97", "99");
        runner.tick(first.plus(Duration.ofMinutes(3)));

        Map<String, Object> trade = onlyTrade(token, bot);
        assertThat(decimal(trade.get("price"))).isEqualByComparingTo("98.01");
        assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo("1.02030405");
        assertThat(trade.get("client_order_id")).isEqualTo("kapi-" + bot + "-" + first.getEpochSecond() / 60);
        assertThat(chartOrders(token, bot)).isEmpty();
    }

    @Test
    void paperLimitOrderWhenUnfilledPastItsTimeoutAndRepriceThenPlacedAgainAtTheNewCloseUnderTheNextId() {
        // 101 less 1%.
        String token = newUserToken();
        String symbol = paperSymbol();
        Instant first = candles(ExchangeName.BINANCE, symbol, "99", "99");
        long bot = startedBot(token, limitBot(symbol, "100", "1000", "reprice"));
        runner.tick(first.plus(Duration.ofMinutes(1)));
        // The price moves away: the order rests, the bot sees 101.
        candle(symbol, first.plus(Duration.ofMinutes(1)), "100", "101");
        runner.tick(first.plus(Duration.ofMinutes(2)));
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;

        clock.advance(Duration.ofMinutes(4));
        limits.pass();
        assertThat(orderStatus(order)).isEqualTo("open");
        clock.advance(Duration.ofMinutes(2));
        limits.pass();
        limits.pass();

        assertThat(orderStatus(order)).isEqualTo("canceled");
        assertThat(orderStatus(order + "-r1")).isEqualTo("open");
        assertThat(jdbc.sql("SELECT price FROM trading_orders WHERE client_order_id = :id")
            .param("id", order + "-r1")
            .query(BigDecimal.class)
            .single()).isEqualByComparingTo("99.99");
        assertThat(jdbc.sql("SELECT count(*) FROM trading_orders WHERE bot_id = :bot")
            .param("bot", bot)
            .query(Long.class)
            .single()).isEqualTo(2);
    }

    @Test
    void createWhenLimitFieldsAreOutOfBoundsOrWithoutALimitOrderThenBadRequestNamingTheField() {
        String token = newUserToken();
        Map<String, Object> market = simpleBot(paperSymbol(), "1", "2");
        market.put("limit_offset", new BigDecimal("0.01"));
        assertThat(invalidBotFields(token, market)).containsExactly("limit_offset");
        Map<String, Object> far = limitBot(paperSymbol(), "1", "2", "cancel");
        far.put("limit_offset", new BigDecimal("0.5"));
        assertThat(invalidBotFields(token, far)).containsExactly("limit_offset");
        Map<String, Object> worse = limitBot(paperSymbol(), "1", "2", "cancel");
        worse.put("limit_offset", new BigDecimal("-0.05"));
        assertThat(invalidBotFields(token, worse)).containsExactly("limit_offset");
        Map<String, Object> forever = limitBot(paperSymbol(), "1", "2", "cancel");
        forever.put("unfilled_timeout_minutes", 10_081);
        assertThat(invalidBotFields(token, forever)).containsExactly("unfilled_timeout_minutes");
        Map<String, Object> unknown = limitBot(paperSymbol(), "1", "2", "wait");
        assertThat(invalidBotFields(token, unknown)).containsExactly("on_unfilled");

        Map<String, Object> plain = createBot(token, simpleBot(paperSymbol(), "1", "2"));
        assertThat(plain).containsEntry("order_type", "market");
        assertThat(plain.get("limit_offset")).isNull();
        Map<String, Object> defaults = new java.util.HashMap<>(simpleBot(paperSymbol(), "1", "2"));
        defaults.put("order_type", "limit");
        assertThat(createBot(token, defaults)).containsEntry("order_type", "limit")
            .containsEntry("unfilled_timeout_minutes", 10)
            .containsEntry("on_unfilled", "cancel");
    }

    @Test
    void forceExitWhenALimitSellRestsThenItIsCancelledFirstAndThePositionSoldAtMarket() {
        String token = newUserToken();
        String symbol = paperSymbol();
        Instant first = candles(ExchangeName.BINANCE, symbol, "106", "106");
        long bot = startedBot(token, limitBot(symbol, "100", "105", "cancel"));
        as(token).post()
            .uri("/api/trading/trades")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("bot_id", bot, "side", "buy", "price", new BigDecimal("100"), "quantity", BigDecimal.ONE))
            .exchange()
            .expectStatus()
            .isCreated();
        runner.tick(first.plus(Duration.ofMinutes(1)));
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;
        assertThat(orderStatus(order)).isEqualTo("open");
        assertThat(jdbc.sql("SELECT price FROM trading_orders WHERE client_order_id = :id")
            .param("id", order)
            .query(BigDecimal.class)
            .single()).isEqualByComparingTo("107.06");

        Map<String, Object> exit = post(token, "/api/trading/bots/" + bot + "/force-exit", null);

        assertThat(exit).containsEntry("status", "sold");
        assertThat(orderStatus(order)).isEqualTo("canceled");
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot))
            .filteredOn(trade -> "sell".equals(trade.get("side")))
            .singleElement()
            .satisfies(sell -> {
                assertThat(sell).containsEntry("exit_reason", "force_exit");
                assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("1");
            });
        limits.pass();
        assertThat(jdbc.sql("SELECT count(*) FROM trading_orders WHERE bot_id = :bot AND status = 'open'")
            .param("bot", bot)
            .query(Long.class)
            .single()).isZero();
    }

    private void bothInstancesPass() throws Exception {
        LimitOrders there = secondInstance().getBean(LimitOrders.class);
        CompletableFuture<Integer> here = CompletableFuture.supplyAsync(limits::pass);
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(there::pass);
        here.get();
        other.get();
    }

    private static Map<String, Object> limitBot(String symbol, String buyBelow, String sellAbove, String onUnfilled) {
        Map<String, Object> bot = simpleBot(symbol, buyBelow, sellAbove);
        bot.put("order_type", "limit");
        bot.put("limit_offset", new BigDecimal("0.01"));
        bot.put("unfilled_timeout_minutes", 5);
        bot.put("on_unfilled", onUnfilled);
        return bot;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> chartOrders(String token, long bot) {
        return (List<Map<String, Object>>) get(token, "/api/trading/bots/{id}/chart", bot).get("orders");
    }

    private Map<String, Object> onlyTrade(String token, long bot) {
        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).hasSize(1);
        return trades.getFirst();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> position(String token, long bot) {
        return (Map<String, Object>) get(token, "/api/trading/bots/{id}/state", bot).get("position");
    }

    private String orderStatus(String clientOrderId) {
        return jdbc.sql("SELECT status FROM trading_orders WHERE client_order_id = :id")
            .param("id", clientOrderId)
            .query(String.class)
            .optional()
            .orElse(null);
    }

    /** Closed candles of the symbol, one a minute from a random far minute; the first. */
    private Instant candles(ExchangeName exchange, String symbol, String... closes) {
        Instant first = randomMinuteAfter("2032-01-01T00:00:00Z");
        List<Candle> candles = new ArrayList<>();
        for (int i = 0; i < closes.length; i++) {
            BigDecimal close = new BigDecimal(closes[i]);
            candles.add(new Candle(first.minus(Duration.ofMinutes(closes.length - 1 - i)), close, close, close, close,
                    BigDecimal.TEN));
        }
        store.write(exchange, symbol, CandleInterval.M1, candles);
        return first;
    }

    private void candle(String symbol, Instant open, String low, String close) {
        BigDecimal c = new BigDecimal(close);
        store.write(ExchangeName.BINANCE, symbol, CandleInterval.M1,
                List.of(new Candle(open, c, c.max(new BigDecimal(low)), new BigDecimal(low), c, BigDecimal.TEN)));
    }

    private static String paperSymbol() {
        return "P" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

}
