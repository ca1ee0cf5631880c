package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.modulith.events.core.EventPublicationRegistry;

import dev.kapi.trading.exchange.Candles;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.notification.BotAlert;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.runner.LimitOrders;
import dev.kapi.trading.runner.Protections;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops on the exchange ({@code stop_on_exchange}) against a Binance stand-in: placed
 * right after a live entry fills (an OCO with the take-profit), reconciled when the
 * runner comes back after the stop filled without it, moved with the trailing stop
 * (cancelReplace), and cancelled before any other exit.
 */
class TradingProtectionIntegrationTests extends TradingTestSupport {

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Autowired
    Protections protections;

    @Autowired
    LimitOrders limits;

    @Autowired
    Candles store;

    @Autowired
    JsonMapper json;

    @Autowired
    EventPublicationRegistry publications;

    private static final String TELEGRAM_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    @Test
    void stopOnExchangeWhenTheStopFillsWhileTheRunnerIsStoppedThenTheRestartedInstanceRecordsOneStopLossSell() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        buysAtMarketOnBinance(symbol);
        binance.ocoTaken(symbol, 5);
        Instant first = recordCandles(symbol, "99", "96", "96", "96");
        Map<String, Object> body = stopOnExchangeBot(token, symbol, "protect-" + base);
        body.put("take_profit", new BigDecimal("0.2"));
        body.put("cooldown_minutes", 60);
        long bot = startedBot(token, body);

        runner.tick(first.plus(Duration.ofMinutes(1)));

        // Bought 1.01 at 99 (99.99 spent): the stop 5% below, its limit 1% under it, the
        // target 20% above, as one OCO list right after the fill.
        String ids = protectionIds(bot);
        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/orderList/oco")).withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("side", equalTo("SELL"))
                    .withQueryParam("quantity", equalTo("1.01"))
                    .withQueryParam("listClientOrderId", equalTo(ids + "-l0"))
                    .withQueryParam("belowType", equalTo("STOP_LOSS_LIMIT"))
                    .withQueryParam("belowStopPrice", equalTo("94.05"))
                    .withQueryParam("belowPrice", equalTo("93.1"))
                    .withQueryParam("belowTimeInForce", equalTo("GTC"))
                    .withQueryParam("belowClientOrderId", equalTo(ids + "-s0"))
                    .withQueryParam("aboveType", equalTo("LIMIT_MAKER"))
                    .withQueryParam("abovePrice", equalTo("118.8"))
                    .withQueryParam("aboveClientOrderId", equalTo(ids + "-t0")));
        assertThat(get(token, "/api/trading/bots/{id}", bot)).containsEntry("stop_on_exchange", true);
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "in_position");

        // No instance runs for the next candle; meanwhile the price falls through the
        // stop on the exchange, which sells the position and expires the target.
        long soldAt = first.plus(Duration.ofMinutes(2)).plusSeconds(20).toEpochMilli();
        binance.stopLeg(symbol, ids + "-s0", 501, "FILLED", "1.01", "94.94", soldAt);
        binance.stopLeg(symbol, ids + "-t0", 502, "EXPIRED", "0", "0", soldAt);
        binance.stopTrade(symbol, 501, "94", "1.01", "0.09494");

        // The restarted Kapı (the other instance) reconciles on its first tick; this
        // one, back later, finds nothing left to do.
        secondInstance().getBean(BotRunner.class).tick(first.plus(Duration.ofMinutes(3)));
        runner.tick(first.plus(Duration.ofMinutes(4)));

        assertThat(sells(token, bot)).singleElement().satisfies(sell -> {
            assertThat(sell).containsEntry("exit_reason", "stop_loss")
                .containsEntry("client_order_id", ids + "-s0")
                .containsEntry("executed_at", Instant.ofEpochMilli(soldAt).toString());
            assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("1.01");
            assertThat(decimal(sell.get("price"))).isEqualByComparingTo("94");
        });
        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("status", "idle").containsEntry("active", true);
        // Nothing sold twice or placed again: no market sell, one list, no cancel.
        BINANCE.verify(0, postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("side", equalTo("SELL")));
        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/orderList/oco")).withQueryParam("symbol", equalTo(symbol)));
        BINANCE.verify(0,
                deleteRequestedFor(urlPathEqualTo("/api/v3/orderList")).withQueryParam("symbol", equalTo(symbol)));
    }

    @Test
    void stopOnExchangeWhenTheTrailingStopRisesThenTheStopIsMovedAndASignalSellCancelsItFirst() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        buysAtMarketOnBinance(symbol);
        binance.stopTaken(symbol, 601);
        binance.stopMoves(symbol);
        Instant first = recordCandles(symbol, "99", "110", "110", "250");
        Map<String, Object> body = simpleBot(symbol, "100", "200");
        body.put("api_key_id", id(createKey(token, "trail-" + base)));
        body.put("stop_on_exchange", true);
        body.put("stop_loss", new BigDecimal("0.1"));
        body.put("trailing_stop", new BigDecimal("0.05"));
        long bot = startedBot(token, body);

        runner.tick(first.plus(Duration.ofMinutes(1)));

        // A stop alone (no take-profit): the trailing stop, 5% under the entry at 99.
        String ids = protectionIds(bot);
        BINANCE.verify(1,
                BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT")
                    .withQueryParam("side", equalTo("SELL"))
                    .withQueryParam("timeInForce", equalTo("GTC"))
                    .withQueryParam("quantity", equalTo("1.01"))
                    .withQueryParam("stopPrice", equalTo("94.05"))
                    .withQueryParam("price", equalTo("93.1"))
                    .withQueryParam("newClientOrderId", equalTo(ids + "-s0")));
        binance.stopLeg(symbol, ids + "-s0", 601, "NEW", "0", "0", first.toEpochMilli());
        binance.stopLeg(symbol, ids + "-s1", 602, "NEW", "0", "0", first.toEpochMilli());

        // The candle closing at 110 raises the highest price; the next run moves the
        // stop to 5% under it, in one cancelReplace that places nothing if the cancel
        // fails.
        runner.tick(first.plus(Duration.ofMinutes(2)));
        runner.tick(first.plus(Duration.ofMinutes(3)));

        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/order/cancelReplace"))
                    .withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("cancelReplaceMode", equalTo("STOP_ON_FAILURE"))
                    .withQueryParam("cancelOrigClientOrderId", equalTo(ids + "-s0"))
                    .withQueryParam("newClientOrderId", equalTo(ids + "-s1"))
                    .withQueryParam("type", equalTo("STOP_LOSS_LIMIT"))
                    .withQueryParam("stopPrice", equalTo("104.5"))
                    .withQueryParam("price", equalTo("103.45")));

        // At 250 the strategy sells: the stop is cancelled first, then the position is
        // sold at market, once.
        binance.cancelled(symbol, ids + "-s1", 602);
        binance.free(base, "1.01");
        binance.marketSell(symbol, 603, 1700000000000L, "1.01", "250", "252.5", "0.2525");
        runner.tick(first.plus(Duration.ofMinutes(4)));

        BINANCE.verify(1, deleteRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(ids + "-s1")));
        BINANCE.verify(1, BinanceStandIn.marketSells(symbol));
        assertThat(sells(token, bot)).singleElement().satisfies(sell -> {
            assertThat(sell).containsEntry("exit_reason", "signal");
            assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("1.01");
        });
        // One stop placed, one moved; none after the position is gone.
        BINANCE.verify(1, BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT"));
    }

    @Test
    void killSwitchWhenABotsStopStandsOnTheExchangeThenItIsCancelledFirstAndThePositionSoldOnceAsForceExit() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        buysAtMarketOnBinance(symbol);
        binance.ocoTaken(symbol, 7);
        BINANCE.stubFor(WireMock.delete(urlPathEqualTo("/api/v3/orderList"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("{\"orderListId\": 7, \"listOrderStatus\": \"ALL_DONE\"}")));
        Instant first = recordCandles(symbol, "99");
        Map<String, Object> body = stopOnExchangeBot(token, symbol, "kill-" + base);
        body.put("take_profit", new BigDecimal("0.2"));
        long bot = startedBot(token, body);
        runner.tick(first.plus(Duration.ofMinutes(1)));
        String ids = protectionIds(bot);
        // Once cancelled, neither leg executed anything.
        binance.stopLeg(symbol, ids + "-s0", 701, "CANCELED", "0", "0", first.toEpochMilli());
        binance.stopLeg(symbol, ids + "-t0", 702, "CANCELED", "0", "0", first.toEpochMilli());
        binance.free(base, "1.01");
        binance.marketSell(symbol, 703, 1700000000000L, "1.01", "99", "100", "0.1");

        Map<String, Object> report = post(token, "/api/trading/kill-switch", null);

        assertThat(report).containsEntry("positions_closed", 1);
        BINANCE.verify(1,
                deleteRequestedFor(urlPathEqualTo("/api/v3/orderList")).withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("listClientOrderId", equalTo(ids + "-l0")));
        BINANCE.verify(1, BinanceStandIn.marketSells(symbol).withQueryParam("quantity", equalTo("1.01")));
        assertThat(sells(token, bot)).singleElement()
            .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "force_exit"));
        as(token).delete().uri("/api/trading/kill-switch").exchange().expectStatus().isNoContent();
    }

    @Test
    void stopOnExchangeWhenTheExchangeRefusesTheStopThenLastErrorNamesItOneTelegramMessageTellsTheOwnerAndAPlacedStopClearsIt() {
        String token = newUserToken();
        String chat = "-100" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        TELEGRAM.stubFor(WireMock.post(urlPathMatching("/bot[^/]+/sendMessage"))
            .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chat)))
            .willReturn(okJson("""
                    {"ok": true, "result": {"message_id": 42, "chat": {"id": -100123, "type": "group"},
                     "date": 1700000000, "text": "Kapı botu"}}""")));
        as(token).put()
            .uri("/api/trading/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("telegram_bot_token", TELEGRAM_TOKEN, "telegram_chat_id", chat, "events", List.of("error")))
            .exchange()
            .expectStatus()
            .isOk();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        buysAtMarketOnBinance(symbol);
        binance.stopRefused(symbol, "Account has insufficient balance for requested action.");
        Instant first = recordCandles(symbol, "99", "99", "99", "99", "99");
        Map<String, Object> body = stopOnExchangeBot(token, symbol, "refused-" + base);
        long bot = startedBot(token, body);

        // Bought on the first run; the stop is refused right after, and again on each of
        // the next two runs (each run tries again).
        runner.tick(first.plus(Duration.ofMinutes(1)));
        runner.tick(first.plus(Duration.ofMinutes(2)));
        runner.tick(first.plus(Duration.ofMinutes(3)));

        BINANCE.verify(3, BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT"));
        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("status", "in_position").containsEntry("active", true);
        assertThat((String) state.get("last_error")).startsWith("stop not placed on binance: ")
            .contains("-2010")
            .contains("insufficient balance");
        // The owner hears of it once for the position, not once a run.
        await().atMost(Duration.ofSeconds(10))
            .until(() -> !telegramTexts(chat).isEmpty() && publications.findIncompletePublications()
                .stream()
                .noneMatch(publication -> publication.getEvent() instanceof BotAlert alert && alert.botId() == bot));
        assertThat(telegramTexts(chat)).singleElement()
            .satisfies(text -> assertThat(text).startsWith("Kapı botu " + bot + ": durdurucu emir borsaya konamadı")
                .contains("stop not placed on binance")
                .contains("insufficient balance"));

        // The exchange takes the stop on the next run: the stop's error is gone.
        binance.stopTaken(symbol, 901);
        runner.tick(first.plus(Duration.ofMinutes(4)));

        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("last_error", null)
            .containsEntry("status", "in_position");
        assertThat(jdbc.sql("SELECT count(*) FROM trading_protections WHERE bot_id = :bot AND status = 'open'")
            .param("bot", bot)
            .query(Integer.class)
            .single()).isEqualTo(1);
        assertThat(telegramTexts(chat)).hasSize(1);
    }

    @Test
    void stopOnExchangeWhenThePriceIsAlreadyPastTheStopThenThePositionIsSoldAtMarketAtOnceAsStopLossAndNoStopIsTriedAgain() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        buysAtMarketOnBinance(symbol);
        binance.stopRefused(symbol, "Stop price would trigger immediately.");
        Instant first = recordCandles(symbol, "99", "99", "99");
        binance.free(base, "1.01");
        // Sold as the first candle closes: the cooldown after a stop keeps the bot out
        // on the next candles.
        long soldAt = first.plus(Duration.ofMinutes(1)).plusSeconds(5).toEpochMilli();
        binance.marketSell(symbol, 911, soldAt, "1.01", "93", "93.93", "0.09393");
        Map<String, Object> body = stopOnExchangeBot(token, symbol, "trigger-" + base);
        body.put("cooldown_minutes", 60);
        long bot = startedBot(token, body);

        // Bought at 99; by the time the stop at 94.05 reaches Binance the price is below
        // it: Binance refuses (-2010, would trigger immediately), so Kapı sells now.
        runner.tick(first.plus(Duration.ofMinutes(1)));
        runner.tick(first.plus(Duration.ofMinutes(2)));
        runner.tick(first.plus(Duration.ofMinutes(3)));

        String ids = protectionIds(bot);
        BINANCE.verify(1,
                BinanceStandIn.marketSells(symbol)
                    .withQueryParam("quantity", equalTo("1.01"))
                    .withQueryParam("newClientOrderId", equalTo(ids + "-e0")));
        assertThat(sells(token, bot)).singleElement().satisfies(sell -> {
            assertThat(sell).containsEntry("exit_reason", "stop_loss").containsEntry("client_order_id", ids + "-e0");
            assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("1.01");
            assertThat(decimal(sell.get("price"))).isEqualByComparingTo("93");
        });
        // Flat, and no stop tried again on the later runs.
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "idle")
            .containsEntry("active", true)
            .containsEntry("last_error", null);
        BINANCE.verify(1, BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT"));
        assertThat(jdbc
            .sql("SELECT count(*) FROM trading_protections WHERE bot_id = :bot AND status IN ('pending', 'open')")
            .param("bot", bot)
            .query(Integer.class)
            .single()).isZero();
    }

    @Test
    void stopOnExchangeWhenTheBotIsStoppedThenItsStopStaysIsReconciledEachMinuteAndTheBotCannotBeDeletedMeanwhile() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        buysAtMarketOnBinance(symbol);
        binance.stopTaken(symbol, 801);
        Instant first = recordCandles(symbol, "99");
        Map<String, Object> body = stopOnExchangeBot(token, symbol, "idle-" + base);
        long bot = startedBot(token, body);
        runner.tick(first.plus(Duration.ofMinutes(1)));
        String stop = protectionIds(bot) + "-s0";

        // Stopped without exit: the stop stays on the exchange, so the bot is not
        // deleted.
        post(token, "/api/trading/bots/" + bot + "/stop", null);
        as(token).delete()
            .uri("/api/trading/bots/{id}", bot)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON_OBJECT)
            .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:bot-has-stop-on-exchange"));
        BINANCE.verify(0,
                deleteRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol)));

        long soldAt = first.plus(Duration.ofMinutes(30)).toEpochMilli();
        binance.stopLeg(symbol, stop, 801, "FILLED", "1.01", "94.94", soldAt);
        binance.stopTrade(symbol, 801, "94", "1.01", "0.09494");
        protections.reconcileIdle();
        secondInstance().getBean(Protections.class).reconcileIdle();

        assertThat(sells(token, bot)).singleElement()
            .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "stop_loss")
                .containsEntry("client_order_id", stop));
        as(token).delete().uri("/api/trading/bots/{id}", bot).exchange().expectStatus().is2xxSuccessful();
    }

    @Test
    void stopOnExchangeWhenSetOnAPaperBotOrWithoutAStopThen400NamingIt() {
        String token = newUserToken();
        Map<String, Object> paperBot = simpleBot(BinanceStandIn.uniqueSymbol(), "100", "110");
        paperBot.put("stop_on_exchange", true);
        paperBot.put("stop_loss", new BigDecimal("0.05"));
        assertThat(invalidBotFields(token, paperBot)).containsExactly("stop_on_exchange");

        Map<String, Object> noStop = simpleBot(BinanceStandIn.uniqueSymbol(), "100", "110");
        noStop.put("api_key_id", id(createKey(token, "no-stop-" + BinanceStandIn.uniqueSymbol())));
        noStop.put("stop_on_exchange", true);
        noStop.put("take_profit", new BigDecimal("0.1"));
        assertThat(invalidBotFields(token, noStop)).containsExactly("stop_on_exchange");
    }

    @Test
    void stopOnExchangeWhenAnotherUserOrAReadOnlyServiceKeyTriesToSetItOrUseAnotherUsersKeyThenRefused() {
        String owner = newUserToken();
        String other = newUserToken();
        Map<String, Object> body = simpleBot(BinanceStandIn.uniqueSymbol(), "100", "110");
        body.put("api_key_id", id(createKey(owner, "owned-" + BinanceStandIn.uniqueSymbol())));
        body.put("stop_loss", new BigDecimal("0.05"));
        long bot = id(createBot(owner, body));
        body.put("stop_on_exchange", true);

        // Another user's bot is not found; another user's key is unknown to this one.
        as(other).put()
            .uri("/api/trading/bots/{id}", bot)
            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isNotFound();
        assertThat(invalidBotFields(other, body)).containsExactly("api_key_id");
        String readOnly = (String) post(newAdminToken(), "/api/admin/service-keys",
                Map.of("name", "trading reader", "scopes", List.of("admin:read")))
            .get("key");
        assertThat(as(readOnly).put()
            .uri("/api/trading/bots/{id}", bot)
            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .returnResult(String.class)
            .getStatus()
            .value()).isIn(401, 403);
        assertThat(get(owner, "/api/trading/bots/{id}", bot)).containsEntry("stop_on_exchange", false);
    }

    /**
     * The texts of the sendMessage requests to the chat that reached the Telegram stub.
     */
    private List<String> telegramTexts(String chat) {
        return TELEGRAM
            .findAll(postRequestedFor(urlPathMatching("/bot[^/]+/sendMessage"))
                .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chat))))
            .stream()
            .map(request -> json.readTree(request.getBodyAsString()).get("text").asString())
            .toList();
    }

    private Instant recordCandles(String symbol, String... closes) {
        Instant first = randomMinuteAfter("2031-01-01T00:00:00Z");
        paper.record(symbol, CandleInterval.M1, flatCandles(first, closes));
        return first;
    }

    @Test
    void stopOnExchangeWhenALimitEntryFillsInPartsThenTheStopCoversWhatIsHeldAndGrowsWithItUntilItCompletes() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        binance.rulesAndARestingLimitBuy(symbol);
        binance.stopTaken(symbol, 701);
        binance.stopMoves(symbol);
        Instant first = recordCandles(symbol, "99", "99");
        long bot = startedBot(token, limitStopBot(token, symbol, base));

        runner.tick(first.plus(Duration.ofMinutes(1)));

        // The buy rests at 98.01 for 1.0203; nothing is held, so no stop yet.
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;
        BINANCE.verify(1,
                BinanceStandIn.ordersPlaced(symbol, "LIMIT").withQueryParam("newClientOrderId", equalTo(order)));
        BINANCE.verify(0, BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT"));

        // Half of it fills: the stop is placed for the 0.5 held, 5% under 98.01.
        binance.limitBuyState(symbol, order, "PARTIALLY_FILLED", "0.5");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        String ids = protectionIds(bot);
        BINANCE.verify(1,
                BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT")
                    .withQueryParam("quantity", equalTo("0.5"))
                    .withQueryParam("stopPrice", equalTo("93.11"))
                    .withQueryParam("newClientOrderId", equalTo(ids + "-s0")));
        binance.stopLeg(symbol, ids + "-s0", 701, "NEW", "0", "0", first.toEpochMilli());

        // The rest fills: the stop is moved to the whole 1.0203 in one cancelReplace.
        binance.limitBuyState(symbol, order, "FILLED", "1.0203");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/order/cancelReplace"))
                    .withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("cancelOrigClientOrderId", equalTo(ids + "-s0"))
                    .withQueryParam("newClientOrderId", equalTo(ids + "-s1"))
                    .withQueryParam("quantity", equalTo("1.0203"))
                    .withQueryParam("stopPrice", equalTo("93.11")));
        binance.stopLeg(symbol, ids + "-s1", 702, "NEW", "0", "0", first.toEpochMilli());

        // The next run finds the stop standing for what is held: nothing placed again.
        runner.tick(first.plus(Duration.ofMinutes(2)));
        BINANCE.verify(1, BinanceStandIn.ordersPlaced(symbol, "STOP_LOSS_LIMIT"));
        BINANCE.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/order/cancelReplace")).withQueryParam("symbol",
                equalTo(symbol)));
        assertThat(jdbc.sql("SELECT quantity FROM trading_protections WHERE bot_id = :bot AND status = 'open'")
            .param("bot", bot)
            .query(BigDecimal.class)
            .single()).isEqualByComparingTo("1.0203");
    }

    @Test
    void forceExitWhenALimitBuyRestsPartlyFilledUnderAStopThenBothAreCancelledFirstAndWhatIsHeldIsSoldOnce() {
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        binance.rulesAndARestingLimitBuy(symbol);
        binance.stopTaken(symbol, 701);
        Instant first = recordCandles(symbol, "99", "99");
        long bot = startedBot(token, limitStopBot(token, symbol, base));
        runner.tick(first.plus(Duration.ofMinutes(1)));
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;
        binance.limitBuyState(symbol, order, "PARTIALLY_FILLED", "0.5");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        String stop = protectionIds(bot) + "-s0";

        // The way out: the resting buy is cancelled (its 0.5 kept), the stop cancelled
        // (nothing of it filled), then the 0.5 held sold at market.
        binance.limitBuyCancelled(symbol, order, "0.5", "49.005");
        binance.cancelled(symbol, stop, 701);
        binance.stopLeg(symbol, stop, 701, "CANCELED", "0", "0", first.toEpochMilli());
        binance.free(base, "0.5");
        binance.marketSell(symbol, 703, 1700000000000L, "0.5", "98", "49", "0.049");

        Map<String, Object> exit = post(token, "/api/trading/bots/" + bot + "/force-exit", null);

        assertThat(exit).containsEntry("status", "sold");
        BINANCE.verify(1, deleteRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(order)));
        BINANCE.verify(1, deleteRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(stop)));
        BINANCE.verify(1, BinanceStandIn.marketSells(symbol).withQueryParam("quantity", equalTo("0.5")));
        assertThat(sells(token, bot)).singleElement().satisfies(sell -> {
            assertThat(sell).containsEntry("exit_reason", "force_exit");
            assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("0.5");
        });
        assertThat(jdbc.sql("SELECT status FROM trading_protections WHERE client_order_id = :id")
            .param("id", stop)
            .query(String.class)
            .single()).isEqualTo("canceled");
    }

    @Test
    @SuppressWarnings("unchecked")
    void chartWhenALimitBuyRestsPartlyFilledUnderAnOcoThenBothShowWithTheirPricesAndEachGoesWhenCancelledOrFilled() {
        String email = registerUser();
        String token = login(email);
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        binance.rulesAndARestingLimitBuy(symbol);
        binance.ocoTaken(symbol, 6);
        Instant first = recordCandles(symbol, "99", "101");
        Map<String, Object> body = limitStopBot(token, symbol, base);
        body.put("take_profit", new BigDecimal("0.2"));
        long bot = startedBot(token, body);
        runner.tick(first.plus(Duration.ofMinutes(1)));
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;

        // The buy rests at 98.01 for 1.0203, nothing filled and nothing held: no stop.
        Map<String, Object> chart = get(token, "/api/trading/bots/{id}/chart", bot);
        assertThat((List<Map<String, Object>>) chart.get("orders")).singleElement().satisfies(limit -> {
            assertThat(limit).containsEntry("kind", "limit")
                .containsEntry("side", "buy")
                .containsEntry("status", "open")
                .containsEntry("stop_price", null)
                .containsEntry("client_order_id", order);
            assertThat(decimal(limit.get("price"))).isEqualByComparingTo("98.01");
            assertThat(decimal(limit.get("quantity"))).isEqualByComparingTo("1.0203");
            assertThat(decimal(limit.get("filled_quantity"))).isZero();
        });
        assertThat(chart).containsEntry("stop_level", null);

        // Half of it fills: the OCO for the 0.5 held stands on the exchange, its stop 5%
        // under 98.01 (its limit 1% under that), its target 20% over it.
        binance.limitBuyState(symbol, order, "PARTIALLY_FILLED", "0.5");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();
        String ids = protectionIds(bot);
        BINANCE.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v3/orderList/oco")).withQueryParam("symbol", equalTo(symbol))
                    .withQueryParam("quantity", equalTo("0.5"))
                    .withQueryParam("belowStopPrice", equalTo("93.11"))
                    .withQueryParam("belowPrice", equalTo("92.17"))
                    .withQueryParam("abovePrice", equalTo("117.61")));

        chart = get(token, "/api/trading/bots/{id}/chart", bot);

        List<Map<String, Object>> orders = (List<Map<String, Object>>) chart.get("orders");
        assertThat(orders).extracting(standing -> standing.get("kind")).containsExactly("limit", "stop", "take_profit");
        assertThat(decimal(orders.get(0).get("filled_quantity"))).isEqualByComparingTo("0.5");
        assertThat(decimal(orders.get(0).get("quantity"))).isEqualByComparingTo("1.0203");
        assertThat(orders.get(1)).containsEntry("side", "sell")
            .containsEntry("status", "open")
            .containsEntry("client_order_id", ids + "-s0");
        assertThat(decimal(orders.get(1).get("stop_price"))).isEqualByComparingTo("93.11");
        assertThat(decimal(orders.get(1).get("price"))).isEqualByComparingTo("92.17");
        assertThat(decimal(orders.get(1).get("quantity"))).isEqualByComparingTo("0.5");
        assertThat(orders.get(2)).containsEntry("side", "sell")
            .containsEntry("stop_price", null)
            .containsEntry("client_order_id", ids + "-t0");
        assertThat(decimal(orders.get(2).get("price"))).isEqualByComparingTo("117.61");
        assertThat(decimal(orders.get(2).get("quantity"))).isEqualByComparingTo("0.5");
        // Kapı's own stop for the position, before rounding to the exchange's tick.
        assertThat(decimal(chart.get("stop_level"))).isEqualByComparingTo("93.1095");
        assertThat(get(newAdminToken(), "/api/admin/trading/bots/{id}/chart", bot)).isEqualTo(chart);
        as(newUserToken()).get().uri("/api/trading/bots/{id}/chart", bot).exchange().expectStatus().isNotFound();

        // The buy's timeout cancels the rest of it: the OCO alone stands.
        binance.limitBuyCancelled(symbol, order, "0.5", "49.005");
        clock.advance(Duration.ofMinutes(60));
        limits.pass();
        // Past the access token's 30 minutes: signed in again.
        token = login(email);
        assertThat((List<Map<String, Object>>) get(token, "/api/trading/bots/{id}/chart", bot).get("orders"))
            .extracting(standing -> standing.get("kind"))
            .containsExactly("stop", "take_profit");

        // The stop fills on the exchange (the target expires): nothing stands, no stop.
        long soldAt = first.plus(Duration.ofMinutes(1)).plusSeconds(30).toEpochMilli();
        binance.stopLeg(symbol, ids + "-s0", 801, "FILLED", "0.5", "46.55", soldAt);
        binance.stopLeg(symbol, ids + "-t0", 802, "EXPIRED", "0", "0", soldAt);
        binance.stopTrade(symbol, 801, "93.1", "0.5", "0");
        runner.tick(first.plus(Duration.ofMinutes(2)));

        chart = get(token, "/api/trading/bots/{id}/chart", bot);
        assertThat((List<Map<String, Object>>) chart.get("orders")).isEmpty();
        assertThat(chart).containsEntry("stop_level", null);
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot))
            .filteredOn(trade -> "sell".equals(trade.get("side")))
            .singleElement()
            .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "stop_loss"));
    }

    private Map<String, Object> limitStopBot(String token, String symbol, String base) {
        Map<String, Object> body = simpleBot(symbol, "100", "1000000");
        body.put("api_key_id", id(createKey(token, "limit-stop-" + base)));
        body.put("order_type", "limit");
        body.put("limit_offset", new BigDecimal("0.01"));
        body.put("unfilled_timeout_minutes", 60);
        body.put("on_unfilled", "cancel");
        body.put("stop_on_exchange", true);
        body.put("stop_loss", new BigDecimal("0.05"));
        return body;
    }

    @Test
    void stopOnExchangeOnBtcturkWhenTheStopFillsWhileTheRunnerIsStoppedThenTheRestartedInstanceRecordsOneStopLossSell() {
        String token = newUserToken();
        String symbol = BtcturkStandIn.uniqueSymbol();
        buysAndPlacesAStopOnBtcturk(symbol, 9001, 9002);
        String buy = BtcturkStandIn.trade("buy", 9001, 7101, 1765094400000L, "3950000", "0.00025", "-0.9875",
                "-0.17775");
        btcturk.trades(buy);
        Instant first = btcturkCandles(symbol, "3950000", "3800000", "3800000", "3800000");
        Map<String, Object> body = btcturkStopBot(token, symbol);
        body.put("cooldown_minutes", 60);
        long bot = startedBot(token, body);

        runner.tick(first.plus(Duration.ofMinutes(1)));

        // Bought 0.00025 at 3,950,000: the stop 5% below (3,752,500), its limit 1% under
        // it on the 1 TRY tick, a stoplimit sell right after the fill.
        String stop = protectionIds(bot) + "-s0";
        List<LoggedRequest> stops = BTCTURK.findAll(postRequestedFor(urlPathEqualTo("/api/v1/order"))
            .withRequestBody(matchingJsonPath("$.pairSymbol", equalTo(symbol)))
            .withRequestBody(matchingJsonPath("$.orderMethod", equalTo("stoplimit"))));
        assertThat(stops).singleElement().satisfies(request -> {
            JsonNode sent = json.readTree(request.getBodyAsString());
            assertThat(sent.path("orderType").asString()).isEqualTo("sell");
            assertThat(sent.path("quantity").asString()).isEqualTo("0.00025");
            assertThat(sent.path("stopPrice").asString()).isEqualTo("3752500");
            assertThat(sent.path("price").asString()).isEqualTo("3714975");
            assertThat(sent.path("newOrderClientId").asString()).isEqualTo(stop);
        });

        // No instance runs; the price falls through the stop, which BtcTurk fills.
        btcturk.noOpenOrders(symbol);
        btcturk.orders(symbol, BtcturkStandIn.filledStop(9002, symbol, stop, 1765094465000L, 1765094500000L));
        long soldAt = first.plus(Duration.ofMinutes(2)).plusSeconds(20).toEpochMilli();
        btcturk.trades(buy + ", "
                + BtcturkStandIn.trade("sell", 9002, 7102, soldAt, "3740000", "-0.00025", "-0.935", "-0.1683"));

        secondInstance().getBean(BotRunner.class).tick(first.plus(Duration.ofMinutes(3)));
        runner.tick(first.plus(Duration.ofMinutes(4)));

        assertThat(sells(token, bot)).singleElement().satisfies(sell -> {
            assertThat(sell).containsEntry("exit_reason", "stop_loss")
                .containsEntry("client_order_id", stop)
                .containsEntry("executed_at", Instant.ofEpochMilli(soldAt).toString());
            assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("0.00025");
            assertThat(decimal(sell.get("price"))).isEqualByComparingTo("3740000");
        });
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "idle");
        // One stop, no market sell, no cancel.
        BTCTURK.verify(1,
                postRequestedFor(urlPathEqualTo("/api/v1/order"))
                    .withRequestBody(matchingJsonPath("$.pairSymbol", equalTo(symbol)))
                    .withRequestBody(matchingJsonPath("$.orderMethod", equalTo("stoplimit"))));
        BTCTURK.verify(0,
                postRequestedFor(urlPathEqualTo("/api/v1/order"))
                    .withRequestBody(matchingJsonPath("$.pairSymbol", equalTo(symbol)))
                    .withRequestBody(matchingJsonPath("$.orderType", equalTo("sell")))
                    .withRequestBody(matchingJsonPath("$.orderMethod", equalTo("market"))));
        BTCTURK.verify(0, deleteRequestedFor(urlPathEqualTo("/api/v1/order")));
    }

    @Test
    void stopOnExchangeOnBtcturkWhenTheStopFilledThreeDaysBeforeTheRestartThenItIsLookedUpFromItsPlacementAndRecordedOnce() {
        TestUser user = newUser();
        String symbol = BtcturkStandIn.uniqueSymbol();
        buysAndPlacesAStopOnBtcturk(symbol, 9101, 9102);
        btcturk.trades(
                BtcturkStandIn.trade("buy", 9101, 7201, 1765094400000L, "3950000", "0.00025", "-0.9875", "-0.17775"));
        Instant first = btcturkCandles(symbol, "3950000");
        long bot = startedBot(user.token(), btcturkStopBot(user.token(), symbol));
        Instant placed = clock.instant();

        runner.tick(first.plus(Duration.ofMinutes(1)));

        String stop = protectionIds(bot) + "-s0";
        assertThat(jdbc.sql("SELECT status FROM trading_protections WHERE client_order_id = :id")
            .param("id", stop)
            .query(String.class)
            .single()).isEqualTo("open");

        // Every instance is down for three days; ten minutes after it was placed, the
        // price fell through the stop and BtcTurk sold. BtcTurk lists orders and trades
        // only from the time asked for: from the last day, it has none of the stop.
        long soldAt = placed.plus(Duration.ofMinutes(10)).toEpochMilli();
        String since = Long.toString(placed.minus(Duration.ofMinutes(5)).toEpochMilli());
        btcturk.noOpenOrders(symbol);
        btcturk.orders(symbol, "");
        btcturk.ordersSince(symbol, since,
                BtcturkStandIn.filledStop(9102, symbol, stop, placed.toEpochMilli(), soldAt));
        btcturk.tradesSince(since,
                BtcturkStandIn.trade("sell", 9102, 7202, soldAt, "3730000", "-0.00025", "-0.93", "-0.17"));
        clock.advance(Duration.ofDays(3));
        Instant restart = first.plus(Duration.ofDays(3));
        store.write(ExchangeName.BTCTURK, symbol, CandleInterval.M1,
                List.of(new Candle(restart, new BigDecimal("4100000"), new BigDecimal("4100000"),
                        new BigDecimal("4100000"), new BigDecimal("4100000"), BigDecimal.TEN)));

        secondInstance().getBean(BotRunner.class).tick(restart.plus(Duration.ofMinutes(1)));
        runner.tick(restart.plus(Duration.ofMinutes(2)));

        // Looked up from the stop's placement (less five minutes for clocks), not from a
        // day before now.
        BTCTURK
            .verify(getRequestedFor(urlPathEqualTo("/api/v1/allOrders")).withQueryParam("pairSymbol", equalTo(symbol))
                .withQueryParam("startTime", equalTo(since)));
        BTCTURK.verify(getRequestedFor(urlPathEqualTo("/api/v1/users/transactions/trade")).withQueryParam("startDate",
                equalTo(since)));
        String token = again(user).token();
        assertThat(sells(token, bot)).singleElement().satisfies(sell -> {
            assertThat(sell).containsEntry("exit_reason", "stop_loss")
                .containsEntry("client_order_id", stop)
                .containsEntry("executed_at", Instant.ofEpochMilli(soldAt).toString());
            assertThat(decimal(sell.get("quantity"))).isEqualByComparingTo("0.00025");
            assertThat(decimal(sell.get("price"))).isEqualByComparingTo("3730000");
        });
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "idle");
        assertThat(jdbc.sql("SELECT status FROM trading_protections WHERE client_order_id = :id")
            .param("id", stop)
            .query(String.class)
            .single()).isEqualTo("filled");
        BTCTURK.verify(0,
                postRequestedFor(urlPathEqualTo("/api/v1/order"))
                    .withRequestBody(matchingJsonPath("$.pairSymbol", equalTo(symbol)))
                    .withRequestBody(matchingJsonPath("$.orderType", equalTo("sell")))
                    .withRequestBody(matchingJsonPath("$.orderMethod", equalTo("market"))));
    }

    private Instant btcturkCandles(String symbol, String... closes) {
        Instant first = randomMinuteAfter("2033-01-01T00:00:00Z");
        store.write(ExchangeName.BTCTURK, symbol, CandleInterval.M1, flatCandles(first, closes));
        return first;
    }

    /**
     * The start of the client order ids of the stop (and take-profit) that guard the
     * bot's last buy: {@code -s0}, {@code -t0}, {@code -l0} (the list) follow.
     */
    private String protectionIds(long bot) {
        return "kapi-" + bot + "-p" + lastBuyId(bot);
    }

    /**
     * Binance's rules for the symbol, and a market buy of 1.01 at 99 (99.99 spent) that
     * fills at once.
     */
    private void buysAtMarketOnBinance(String symbol) {
        binance.rules(symbol, BinanceStandIn.base(symbol));
        binance.marketBuy(symbol, "1.01", "99.99");
    }

    /**
     * A live bot on the Binance key {@code keyName} of the user: it buys under 100 and
     * sells (on its own) only over 1,000,000; its stop 5% under the entry stands on the
     * exchange.
     */
    private Map<String, Object> stopOnExchangeBot(String token, String symbol, String keyName) {
        Map<String, Object> body = simpleBot(symbol, "100", "1000000");
        body.put("api_key_id", id(createKey(token, keyName)));
        body.put("stop_on_exchange", true);
        body.put("stop_loss", new BigDecimal("0.05"));
        return body;
    }

    /**
     * BtcTurk's rules, a market buy taken as order {@code buy} and a stoplimit sell taken
     * as order {@code stop}.
     */
    private void buysAndPlacesAStopOnBtcturk(String symbol, long buy, long stop) {
        btcturk.rules(symbol);
        btcturk.orderTaken(symbol, "market", buy);
        btcturk.orderTaken(symbol, "stoplimit", stop);
    }

    /**
     * A live bot on a BtcTurk key of the user: 1,000 TRY a buy under 4,000,000, its stop
     * 5% under the entry on the exchange.
     */
    private Map<String, Object> btcturkStopBot(String token, String symbol) {
        Map<String, Object> body = simpleBot(symbol, "4000000", "9000000");
        body.put("quote_amount", new BigDecimal("1000"));
        body.put("api_key_id", id(createBtcturkKey(token)));
        body.put("stop_on_exchange", true);
        body.put("stop_loss", new BigDecimal("0.05"));
        return body;
    }

}
