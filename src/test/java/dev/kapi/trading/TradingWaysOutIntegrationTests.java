package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.runner.ForcedExits;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways out of a position: force-exit, stop and sell, and the user's and the admin's
 * kill switches, each selling once also when two instances are asked at the same time.
 */
class TradingWaysOutIntegrationTests extends TradingTestSupport {

    private static final BigDecimal SLIPPAGE = new BigDecimal("0.0005");

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Autowired
    ForcedExits exits;

    @Test
    void forceExitWhenInPositionThenSellsEverythingAtMarketAsForceExitAndWhenFlatThen409() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "99", "104");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        runner.tick(first.plus(Duration.ofMinutes(1)));
        runner.tick(first.plus(Duration.ofMinutes(2)));
        BigDecimal held = decimal(position(token, bot).get("quantity"));
        assertThat(held).isPositive();

        Map<String, Object> answer = post(token, "/api/trading/bots/" + bot + "/force-exit", null);

        assertThat(answer).containsEntry("bot_id", (int) bot).containsEntry("status", "sold");
        @SuppressWarnings("unchecked")
        Map<String, Object> trade = (Map<String, Object>) answer.get("trade");
        assertThat(trade).containsEntry("side", "sell").containsEntry("exit_reason", "force_exit");
        assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo(held);
        // At market: the paper exchange fills at the last close, less its slippage.
        assertThat(decimal(trade.get("price")))
            .isEqualByComparingTo(new BigDecimal("104").multiply(BigDecimal.ONE.subtract(SLIPPAGE)));
        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).extracting(t -> t.get("side"), t -> t.get("exit_reason"))
            .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("sell", "force_exit"),
                    org.assertj.core.groups.Tuple.tuple("buy", null));
        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("status", "idle").containsEntry("active", true);
        assertThat(decimal(position(token, bot).get("quantity"))).isZero();

        as(token).post()
            .uri("/api/trading/bots/{id}/force-exit", bot)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON_OBJECT)
            .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:bot-has-no-position"));
        as(newUserToken()).post().uri("/api/trading/bots/{id}/force-exit", bot).exchange().expectStatus().isNotFound();
    }

    @Test
    void stopWithExitThenTheBotStopsAndItsPositionIsSoldWhileAPlainStopSellsNothing() {
        String token = newUserToken();
        long kept = botInPosition(token, uniqueSymbol(), "200", "0.5");
        long sold = botInPosition(token, uniqueSymbol(), "200", "0.5");

        post(token, "/api/trading/bots/" + kept + "/stop", null);
        Map<String, Object> stopped = post(token, "/api/trading/bots/" + sold + "/stop?exit=true", null);

        assertThat(stopped).containsEntry("active", false);
        assertThat(decimal(position(token, kept).get("quantity"))).isEqualByComparingTo("0.5");
        assertThat(decimal(position(token, sold).get("quantity"))).isZero();
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", sold))
            .filteredOn(trade -> "sell".equals(trade.get("side")))
            .singleElement()
            .satisfies(trade -> {
                assertThat(trade).containsEntry("side", "sell").containsEntry("exit_reason", "force_exit");
                assertThat(decimal(trade.get("quantity"))).isEqualByComparingTo("0.5");
            });
    }

    @Test
    void forceExitWhenTwoInstancesAreAskedAtOnceThenBinanceGetsOneSell() throws Exception {
        String token = newUserToken();
        String base = "X" + ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        String symbol = base + "USDT";
        stubBinanceSell(symbol, base, "0.5", 400);
        long key = id(createKey(token, "race-" + base));
        Map<String, Object> body = simpleBot(symbol, "100", "110");
        body.put("api_key_id", key);
        long bot = startedBot(token, body);
        buy(token, bot, "200", "0.5");
        RestTestClient here = as(token);
        RestTestClient there = bindToServer().baseUrl(secondInstance().baseUrl())
            .defaultHeader("X-Forwarded-For", randomIp())
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .build();
        CyclicBarrier together = new CyclicBarrier(2);

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (RestTestClient client : List.of(here, there)) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                await(together);
                return client.post()
                    .uri("/api/trading/bots/{id}/force-exit", bot)
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> call : calls) {
            statuses.add(call.get());
        }

        assertThat(statuses).containsOnlyOnce(200);
        assertThat(statuses).anyMatch(status -> status == 202 || status == 409);
        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("side", equalTo("SELL"))
                    .withQueryParam("newClientOrderId", equalTo("kapi-" + bot + "-x" + lastBuyId(bot))));
        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).filteredOn(trade -> "sell".equals(trade.get("side")))
            .singleElement()
            .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "force_exit"));
        assertThat(decimal(position(token, bot).get("quantity"))).isZero();
        assertThat(exitRequested(bot)).isFalse();
    }

    @Test
    void killSwitchWhenEngagedThenEveryBotStopsFlatOnceStartIsRefusedAndDeleteReArms() throws Exception {
        String token = newUserToken();
        long first = botInPosition(token, uniqueSymbol(), "100", "1");
        long second = botInPosition(token, uniqueSymbol(), "50", "2");
        long flat = startedBot(token, simpleBot(uniqueSymbol(), "100", "110"));
        RestTestClient there = bindToServer().baseUrl(secondInstance().baseUrl())
            .defaultHeader("X-Forwarded-For", randomIp())
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .build();
        CyclicBarrier together = new CyclicBarrier(2);

        List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
        for (RestTestClient client : List.of(as(token), there)) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                await(together);
                return client.post()
                    .uri("/api/trading/kill-switch")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(JSON_OBJECT)
                    .returnResult()
                    .getResponseBody();
            }));
        }
        List<Map<String, Object>> answers = new ArrayList<>();
        for (CompletableFuture<Map<String, Object>> call : calls) {
            answers.add(call.get());
        }

        // Both answers name the one switch; between them three bots stopped and two
        // positions sold, each once (one answer may count a sale the other made as
        // pending).
        assertThat(answers).extracting(answer -> answer.get("engaged_at"))
            .doesNotContainNull()
            .containsOnly(answers.getFirst().get("engaged_at"));
        assertThat(answers.stream().mapToInt(answer -> (Integer) answer.get("bots_stopped")).sum()).isEqualTo(3);
        assertThat(answers.stream().mapToInt(answer -> (Integer) answer.get("positions_closed")).sum()).isEqualTo(2);
        for (long bot : List.of(first, second, flat)) {
            assertThat(get(token, "/api/trading/bots/{id}", bot)).containsEntry("active", false);
            assertThat(decimal(position(token, bot).get("quantity"))).isZero();
            assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot))
                .filteredOn(trade -> "sell".equals(trade.get("side")))
                .allSatisfy(sell -> assertThat(sell).containsEntry("exit_reason", "force_exit"))
                .hasSize(bot == flat ? 0 : 1);
        }
        assertThat(get(token, "/api/trading/kill-switch")).containsEntry("on", true).containsEntry("admin_on", false);

        as(token).post()
            .uri("/api/trading/bots/{id}/start", flat)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON_OBJECT)
            .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:kill-switch-on"));
        as(token).delete().uri("/api/trading/kill-switch").exchange().expectStatus().isNoContent();
        assertThat(get(token, "/api/trading/kill-switch")).containsEntry("on", false);
        post(token, "/api/trading/bots/" + flat + "/start", null);
        assertThat(get(token, "/api/trading/bots/{id}", flat)).containsEntry("active", true);
    }

    @Test
    void killSwitchReArmWhenTheSignInIsOlderThanFiveMinutesThenReauthenticationIsRequired() {
        String token = newUserToken();
        post(token, "/api/trading/kill-switch", null);
        clock.advance(Duration.ofMinutes(6));

        as(token).delete()
            .uri("/api/trading/kill-switch")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody(JSON_OBJECT)
            .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:reauthentication-required"));
        assertThat(get(token, "/api/trading/kill-switch")).containsEntry("on", true);
    }

    @Test
    void adminKillSwitchWhenEngagedThenEveryUsersBotsAreFlatAndStoppedUntilReArmedAndNoReadOnlyKeyOrUserMayPullIt() {
        String admin = newAdminToken();
        String alice = newUserToken();
        String bob = newUserToken();
        long alicesBot = botInPosition(alice, uniqueSymbol(), "100", "1");
        long bobsBot = botInPosition(bob, uniqueSymbol(), "100", "3");
        String readOnly = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "kill switch reader", "scopes", List.of("admin:read")))
            .get("key");
        as(readOnly).post()
            .uri("/api/admin/trading/kill-switch")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody(JSON_OBJECT)
            .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:service-key-scope-missing"));
        as(alice).post().uri("/api/admin/trading/kill-switch").exchange().expectStatus().isForbidden();
        assertThat(decimal(position(alice, alicesBot).get("quantity"))).isEqualByComparingTo("1");

        try {
            Map<String, Object> report = post(admin, "/api/admin/trading/kill-switch", null);

            assertThat((Integer) report.get("positions_closed")).isGreaterThanOrEqualTo(2);
            assertThat(decimal(position(alice, alicesBot).get("quantity"))).isZero();
            assertThat(decimal(position(bob, bobsBot).get("quantity"))).isZero();
            assertThat(list(bob, "/api/trading/trades?bot_id={bot}", bobsBot))
                .filteredOn(trade -> "sell".equals(trade.get("side")))
                .singleElement()
                .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "force_exit"));
            assertThat(get(alice, "/api/trading/kill-switch")).containsEntry("on", false)
                .containsEntry("admin_on", true);
            as(bob).post()
                .uri("/api/trading/bots/{id}/start", bobsBot)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody(JSON_OBJECT)
                .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:kill-switch-on"));
            as(readOnly).delete().uri("/api/admin/trading/kill-switch").exchange().expectStatus().isForbidden();
        }
        finally {
            as(admin).delete().uri("/api/admin/trading/kill-switch").exchange().expectStatus().isNoContent();
        }
        post(bob, "/api/trading/bots/" + bobsBot + "/start", null);
    }

    @Test
    void forceExitWhenBinanceGivesNoClearAnswerThenItIsPendingAndTheExitPassRecordsTheFillOnce() {
        String token = newUserToken();
        String base = "Y" + ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        String symbol = base + "USDT";
        binance.rules(symbol, base);
        binance.free(base, "0.5");
        BINANCE.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(aResponse().withStatus(503)));
        long key = id(createKey(token, "unclear-" + base));
        Map<String, Object> body = simpleBot(symbol, "100", "110");
        body.put("api_key_id", key);
        long bot = startedBot(token, body);
        buy(token, bot, "200", "0.5");
        String clientOrderId = "kapi-" + bot + "-x" + lastBuyId(bot);
        // The lookup after the first 503 finds nothing (so the order is sent once more);
        // the one after the second is unclear too.
        BINANCE.stubFor(WireMock.get(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(aResponse().withStatus(400).withBody("{\"code\": -2013, \"msg\": \"Order does not exist.\"}")));

        EntityExchangeResult<Map<String, Object>> answer = as(token).post()
            .uri("/api/trading/bots/{id}/force-exit", bot)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult();
        assertThat(answer.getResponseBody()).containsEntry("status", "pending");
        assertThat(exitRequested(bot)).isTrue();

        // Binance had filled it after all.
        BINANCE.stubFor(WireMock.get(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"symbol": "%s", "orderId": 77, "clientOrderId": "%s", "price": "0", "origQty": "0.5",
                     "executedQty": "0.5", "cummulativeQuoteQty": "105", "status": "FILLED", "type": "MARKET",
                     "side": "SELL", "time": 1700000000000, "updateTime": 1700000000000}
                    """.formatted(symbol, clientOrderId))));
        BINANCE.stubFor(WireMock.get(urlPathEqualTo("/api/v3/myTrades"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("""
                    [{"symbol": "%s", "orderId": 77, "price": "210", "qty": "0.5", "commission": "0.105",
                      "commissionAsset": "USDT"}]
                    """.formatted(symbol))));
        clock.advance(Duration.ofMinutes(3));
        exits.retry();
        exits.retry();

        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).filteredOn(trade -> "sell".equals(trade.get("side")))
            .singleElement()
            .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "force_exit")
                .containsEntry("client_order_id", clientOrderId));
        assertThat(exitRequested(bot)).isFalse();
    }

    @Test
    void tickWhenTheBotsExitIsRequestedThenTheRunnerPlacesNoOrderForIt() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "99");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        // A kill switch or a force-exit owns the bot's position from here.
        jdbc.sql("UPDATE trading_bots SET exit_requested_at = now() WHERE id = :bot").param("bot", bot).update();

        runner.tick(first.plus(Duration.ofMinutes(1)));

        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM trading_orders WHERE bot_id = :bot")
            .param("bot", bot)
            .query(Long.class)
            .single()).isZero();
        exits.retry();
        assertThat(exitRequested(bot)).isFalse();
    }

    private long botInPosition(String token, String symbol, String price, String quantity) {
        long bot = startedBot(token, simpleBot(symbol, "1", "1000000"));
        buy(token, bot, price, quantity);
        return bot;
    }

    private void buy(String token, long bot, String price, String quantity) {
        as(token).post()
            .uri("/api/trading/trades")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("bot_id", bot, "side", "buy", "price", new BigDecimal(price), "quantity",
                    new BigDecimal(quantity)))
            .exchange()
            .expectStatus()
            .isCreated();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> position(String token, long bot) {
        return (Map<String, Object>) get(token, "/api/trading/bots/{id}/state", bot).get("position");
    }

    private boolean exitRequested(long bot) {
        return jdbc.sql("SELECT exit_requested_at IS NOT NULL FROM trading_bots WHERE id = :bot")
            .param("bot", bot)
            .query(Boolean.class)
            .single();
    }

    private void stubBinanceSell(String symbol, String base, String quantity, int delayMillis) {
        binance.rules(symbol, base);
        binance.free(base, quantity);
        BINANCE.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"symbol": "%s", "orderId": 91, "orderListId": -1, "clientOrderId": "kapi-x",
                     "transactTime": 1700000000000, "price": "0", "origQty": "%s", "executedQty": "%s",
                     "cummulativeQuoteQty": "105", "status": "FILLED", "type": "MARKET", "side": "SELL",
                     "fills": [{"price": "210", "qty": "%s", "commission": "0.105", "commissionAsset": "USDT"}]}
                    """.formatted(symbol, quantity, quantity, quantity)).withFixedDelay(delayMillis)));
    }

    private Instant recordCandles(String symbol, String... closes) {
        Instant first = randomMinuteAfter("2031-01-01T00:00:00Z");
        paper.record(symbol, CandleInterval.M1, flatCandles(first, closes));
        return first;
    }

    private static String uniqueSymbol() {
        return "K" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
