package dev.kapi.trading;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.runner.BotRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Price feeds end to end, against the Binance and BtcTurk stubs: a live paper bot trades
 * the exchange's candles exactly as a backtest of the same stored candles does; the
 * shared store makes one request per symbol and minute across instances; downloads fetch
 * only what the store lacks; the exchanges' list, and what a bot's feed may be.
 */
class TradingPriceFeedsIntegrationTests extends TradingTestSupport {

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("binanceClient")
    private Object binanceClient;

    @Autowired
    BotRunner runner;

    @Test
    void exchangesWhenListedThenEachWithOrderTypesOcoCandlesPaperAndIntervals() {
        List<Map<String, Object>> exchanges = list(newUserToken(), "/api/trading/exchanges");

        assertThat(exchanges).extracting(exchange -> exchange.get("name")).containsExactly("binance", "btcturk");
        assertThat(exchanges.getFirst())
            .containsOnlyKeys("name", "order_types", "oco", "stop_on_exchange", "candles", "paper", "intervals")
            .containsEntry("order_types", List.of("market", "limit"))
            .containsEntry("oco", true)
            .containsEntry("stop_on_exchange", true)
            .containsEntry("candles", true)
            .containsEntry("paper", true);
        assertThat(exchanges.get(1)).containsEntry("oco", false)
            .containsEntry("stop_on_exchange", true)
            .containsEntry("intervals", List.of("1m", "15m", "30m", "1h", "4h", "1d"));
    }

    @Test
    void liveFeedWhenAPaperBotTradesTheExchangesCandlesThenItsTradesAreThoseOfABacktestOfTheSameCandles() {
        String token = newUserToken();
        String symbol = symbol();
        Instant first = randomMinuteAfter("2031-01-01T00:00:00Z");
        List<Candle> market = GeneratedPrices.walk(ThreadLocalRandom.current().nextLong(), 120, CandleInterval.M1,
                first, new BigDecimal("100"));
        // Binance answers each minute's klines with the candles closed by then.
        for (int i = 0; i < market.size(); i++) {
            stubKlines(symbol, market.get(i).openTime(), market.subList(0, i + 1));
        }
        BigDecimal low = market.stream().map(Candle::close).min(BigDecimal::compareTo).orElseThrow();
        BigDecimal high = market.stream().map(Candle::close).max(BigDecimal::compareTo).orElseThrow();
        BigDecimal third = high.subtract(low).divide(BigDecimal.valueOf(3), 8, RoundingMode.HALF_EVEN);
        Map<String, Object> bot = simpleBot(symbol, low.add(third).toPlainString(),
                high.subtract(third).toPlainString());
        Map<String, Object> created = createBot(token, bot);
        assertThat(created).containsEntry("price_feed", "live").containsEntry("exchange", "binance");
        long id = id(created);
        post(token, "/api/trading/bots/" + id + "/start", null);

        for (int minute = 1; minute <= market.size(); minute++) {
            runner.tick(first.plus(Duration.ofMinutes(minute)).plusSeconds(5));
        }

        List<Map<String, Object>> traded = new ArrayList<>(list(token, "/api/trading/trades?bot_id={bot}", id).stream()
            .map(TradingPriceFeedsIntegrationTests::essentials)
            .toList()).reversed();
        Map<String, Object> backtest = new HashMap<>(bot);
        backtest.remove("name");
        backtest.remove("symbol");
        backtest.put("source", Map.of("exchange", "binance", "symbol", symbol, "interval", "1m", "from",
                first.toString(), "to", first.plus(Duration.ofMinutes(market.size())).toString()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> simulated = ((List<Map<String, Object>>) post(token, "/api/trading/backtests",
                backtest)
            .get("trades")).stream().map(TradingPriceFeedsIntegrationTests::essentials).toList();
        assertThat(traded).isNotEmpty().isEqualTo(simulated);
        // One request per minute: the store had every earlier candle.
        BINANCE.verify(market.size(),
                getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)));
        Map<String, Object> chart = get(token, "/api/trading/bots/{id}/chart", id);
        assertThat(chart).containsEntry("price_feed", "live").containsEntry("exchange", "binance");
        assertThat((List<?>) chart.get("candles")).isNotEmpty();
    }

    @Test
    void liveFeedWhenTwoInstancesTickBotsOnOneSymbolThenTheExchangeIsAskedOncePerMinute() throws Exception {
        String token = newUserToken();
        String symbol = symbol();
        Instant first = randomMinuteAfter("2033-01-01T00:00:00Z");
        List<Candle> market = GeneratedPrices.walk(5, 60, CandleInterval.M1, first, new BigDecimal("100"));
        stubKlines(symbol, market.get(58).openTime(), market.subList(0, 59));
        stubKlines(symbol, market.get(59).openTime(), market.subList(58, 60));
        List<Long> bots = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bots.add(startedBot(token, simpleBot(symbol, "1", "100000")));
        }
        BotRunner other = secondInstance().getBean(BotRunner.class);
        Instant minute = market.get(58).openTime().plus(Duration.ofMinutes(1)).plusSeconds(5);

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<BotRunner.TickReport>> ticks = List.of(runner, other)
            .stream()
            .map(instance -> CompletableFuture.supplyAsync(() -> {
                await(together);
                return instance.tick(minute);
            }))
            .toList();
        int ran = 0;
        for (CompletableFuture<BotRunner.TickReport> tick : ticks) {
            ran += tick.get().ran();
        }
        other.tick(minute.plus(Duration.ofMinutes(1)));
        runner.tick(minute.plus(Duration.ofMinutes(1)));

        // other tests' active bots may share the minute; ours each ran exactly once
        assertThat(ran).isGreaterThanOrEqualTo(30);
        assertThat(jdbc.sql("SELECT count(*) FROM trading_bot_runs WHERE bot_id IN (:bots) AND candle_open = :open")
            .param("bots", bots)
            .param("open", java.sql.Timestamp.from(market.get(58).openTime()))
            .query(Long.class)
            .single()).isEqualTo(30);
        BINANCE.verify(2, getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)));
        // The second minute asked only for the new candle and the one before it.
        assertThat(BINANCE
            .findAll(getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)))
            .getLast()
            .queryParameter("limit")
            .firstValue()).isEqualTo("2");
        assertThat(jdbc.sql("SELECT count(*) FROM trading_candles WHERE exchange = 'binance' AND symbol = :symbol")
            .param("symbol", symbol)
            .query(Long.class)
            .single()).isEqualTo(60);
    }

    @Test
    void replayAndGeneratedFeedsWhenTickedThenNoRequestAndTheBotAndChartSayWhichFeed() {
        String token = newUserToken();
        String symbol = symbol();
        Map<String, Object> replay = simpleBot(symbol, "1", "2");
        replay.put("price_feed", "replay");
        long replayed = startedBot(token, replay);
        Map<String, Object> walk = simpleBot(symbol, "1", "2");
        walk.put("price_feed", "generated");
        long walked = startedBot(token, walk);

        runner.tick(clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(3000)));

        assertThat(get(token, "/api/trading/bots/{id}/state", replayed)).containsEntry("last_signal", "no_data");
        assertThat(get(token, "/api/trading/bots/{id}", walked)).containsEntry("price_feed", "generated");
        Map<String, Object> chart = get(token, "/api/trading/bots/{id}/chart", walked);
        assertThat(chart).containsEntry("price_feed", "generated");
        assertThat((List<?>) chart.get("candles")).isNotEmpty();
        BINANCE.verify(0, getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)));
    }

    @Test
    void createWhenTheFeedOrIntervalDoesNotFitTheExchangeOrKeyThenBadRequestNamingTheField() {
        String token = newUserToken();
        long key = id(createBtcturkKey(token));
        Map<String, Object> keyed = simpleBot("BTCTRY", "1", "2");
        keyed.put("api_key_id", key);
        assertThat(createBot(token, keyed)).containsEntry("exchange", "btcturk").containsEntry("paper", false);

        keyed.put("price_feed", "generated");
        assertThat(invalidBotFields(token, keyed)).containsExactly("price_feed");
        keyed.remove("price_feed");
        keyed.put("exchange", "binance");
        assertThat(invalidBotFields(token, keyed)).containsExactly("exchange");
        Map<String, Object> fiveMinutes = simpleBot("BTCTRY", "1", "2");
        fiveMinutes.put("exchange", "btcturk");
        fiveMinutes.put("interval", "5m");
        assertThat(invalidBotFields(token, fiveMinutes)).containsExactly("interval");
        fiveMinutes.put("exchange", "kraken");
        assertThat(invalidBotFields(token, fiveMinutes)).containsExactly("exchange");
    }

    @Test
    void liveFeedWhenABtcturkPaperBotThenItTradesBtcturksGraphApiCandles() {
        String token = newUserToken();
        String symbol = "K" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "TRY";
        Instant open = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(5000));
        BTCTURK.stubFor(WireMock.get(urlPathEqualTo("/v1/klines/history"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"s": "ok", "t": [%d], "o": [3950000], "h": [3951000], "l": [3940000], "c": [3945000], "v": [1.5]}
                    """.formatted(open.getEpochSecond()))));
        Map<String, Object> bot = simpleBot(symbol, "4000000", "5000000");
        bot.put("exchange", "btcturk");
        long id = startedBot(token, bot);

        runner.tick(open.plus(Duration.ofMinutes(1)).plusSeconds(5));

        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", id);
        assertThat(trades).hasSize(1);
        assertThat(decimal(trades.getFirst().get("price"))).isGreaterThan(new BigDecimal("3945000"))
            .isLessThan(new BigDecimal("3947000"));
    }

    @Test
    void downloadWhenARangeIsAskedTwiceThenPagedOnceAndTheSecondTimeNothingIsFetched() {
        String token = newUserToken();
        String symbol = symbol();
        Instant to = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(30));
        Instant from = to.minus(Duration.ofMinutes(2500));
        List<Candle> range = GeneratedPrices.walk(9, 2500, CandleInterval.M1, from, new BigDecimal("100"));
        // Newest page first: [to-1000, to), [to-2000, to-1000), then the 500 left.
        stubKlines(symbol, to.minus(Duration.ofMinutes(1)), range.subList(1500, 2500));
        stubKlines(symbol, to.minus(Duration.ofMinutes(1001)), range.subList(500, 1500));
        stubKlines(symbol, to.minus(Duration.ofMinutes(2001)), range.subList(0, 500));
        Map<String, Object> body = Map.of("exchange", "binance", "symbol", symbol, "interval", "1m", "from",
                from.toString(), "to", to.toString());

        Map<String, Object> downloaded = post(token, "/api/trading/candles/download", body);
        Map<String, Object> again = post(token, "/api/trading/candles/download", body);

        assertThat(downloaded).containsEntry("candles", 2500)
            .containsEntry("fetched", 2500)
            .containsEntry("requests", 3);
        assertThat(again).containsEntry("candles", 2500).containsEntry("fetched", 0).containsEntry("requests", 0);
        BINANCE.verify(3, getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)));
    }

    @Test
    void downloadWhenTooLongOrBinanceAsksToWaitThenBadRequestOr503WithRetryAfter() {
        String token = newUserToken();
        String symbol = symbol();
        Instant to = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(10));
        Map<String, Object> tooLong = Map.of("exchange", "binance", "symbol", symbol, "interval", "1m", "from",
                to.minus(Duration.ofDays(365)).toString(), "to", to.toString());
        assertThat(invalidFields(as(token).post()
            .uri("/api/trading/candles/download")
            .contentType(MediaType.APPLICATION_JSON)
            .body(tooLong))).containsExactly("to");

        BINANCE.stubFor(WireMock.get(urlPathEqualTo("/api/v3/klines"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
        try {
            as(token).post()
                .uri("/api/trading/candles/download")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("exchange", "binance", "symbol", symbol, "interval", "1m", "from",
                        to.minus(Duration.ofMinutes(10)).toString(), "to", to.toString()))
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .exists("Retry-After")
                .expectBody(JSON_OBJECT)
                .value(problem -> assertThat(problem).containsEntry("type", "urn:kapi:problem:exchange-busy"));
        }
        finally {
            // The back-off holds the whole shared client for 60 s of the shared clock:
            // forget it for the tests that run next on the same clock.
            org.springframework.test.util.ReflectionTestUtils.invokeMethod(
                    org.springframework.test.util.ReflectionTestUtils.getField(binanceClient, "hold"), "hold",
                    Instant.EPOCH, Instant.EPOCH);
        }
    }

    @Test
    void downloadWhenBinanceDoesNotKnowTheSymbolThenBadRequestOnSymbolAndNothingStored() {
        String token = newUserToken();
        Instant to = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(10));
        Map<String, Object> download = Map.of("exchange", "binance", "symbol", "NOSUCHCOIN", "interval", "1m", "from",
                to.minus(Duration.ofMinutes(10)).toString(), "to", to.toString());

        assertThat(invalidFields(as(token).post()
            .uri("/api/trading/candles/download")
            .contentType(MediaType.APPLICATION_JSON)
            .body(download))).containsExactly("symbol");
        assertThat(
                jdbc.sql("SELECT count(*) FROM trading_candles WHERE symbol = 'NOSUCHCOIN'").query(Long.class).single())
            .isZero();
    }

    @Test
    void backtestWhenTheSourceRangeHasAGapThenBadRequestOnSource() {
        String token = newUserToken();
        String symbol = symbol();
        Instant from = Instant.parse("2029-03-01T00:00:00Z");
        List<Candle> candles = new ArrayList<>(
                GeneratedPrices.walk(3, 10, CandleInterval.M1, from, new BigDecimal("100")));
        candles.remove(4);
        jdbcCandles(symbol, candles);
        Map<String, Object> backtest = new HashMap<>(simpleBot(symbol, "1", "2"));
        backtest.remove("name");
        backtest.put("source", Map.of("exchange", "binance", "symbol", symbol, "interval", "1m", "from",
                from.toString(), "to", from.plus(Duration.ofMinutes(10)).toString()));

        assertThat(invalidFields(
                as(token).post().uri("/api/trading/backtests").contentType(MediaType.APPLICATION_JSON).body(backtest)))
            .containsExactly("source");
        backtest.put("candles", "1,1,1,1,1,1\n");
        assertThat(invalidFields(
                as(token).post().uri("/api/trading/backtests").contentType(MediaType.APPLICATION_JSON).body(backtest)))
            .containsExactly("candles");
    }

    private void jdbcCandles(String symbol, List<Candle> candles) {
        for (Candle candle : candles) {
            jdbc.sql(
                    """
                            INSERT INTO trading_candles (exchange, symbol, candle_interval, open_time, open, high, low, close, volume)
                            VALUES ('binance', :symbol, '1m', :open, 1, 1, 1, 1, 1)
                            """)
                .param("symbol", symbol)
                .param("open", dev.kapi.shared.SqlTime.utc(candle.openTime()))
                .update();
        }
    }

    /**
     * Binance's klines answer for the request ending with the candle opened at
     * {@code lastOpen}: rows as Binance sends them.
     */
    private static void stubKlines(String symbol, Instant lastOpen, List<Candle> candles) {
        StringBuilder rows = new StringBuilder("[");
        for (Candle c : candles) {
            if (rows.length() > 1) {
                rows.append(',');
            }
            long open = c.openTime().toEpochMilli();
            rows.append("[%d,\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",%d,\"0\",10,\"0\",\"0\",\"0\"]".formatted(open,
                    c.open().toPlainString(), c.high().toPlainString(), c.low().toPlainString(),
                    c.close().toPlainString(), c.volume().toPlainString(), open + 59_999));
        }
        rows.append(']');
        BINANCE.stubFor(WireMock.get(urlPathEqualTo("/api/v3/klines"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("endTime", equalTo(Long.toString(lastOpen.toEpochMilli() + 59_999)))
            .willReturn(WireMock.okJson(rows.toString())));
    }

    /** A symbol of this test alone (not one the stub's made-up symbols answer for). */
    private static String symbol() {
        return "L" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

    private static Map<String, Object> essentials(Map<String, Object> trade) {
        Map<String, Object> kept = new HashMap<>();
        kept.put("side", trade.get("side"));
        kept.put("price", decimal(trade.get("price")).setScale(12, RoundingMode.HALF_EVEN));
        kept.put("quantity", decimal(trade.get("quantity")).stripTrailingZeros());
        kept.put("fee", decimal(trade.get("fee")).setScale(8, RoundingMode.HALF_EVEN));
        kept.put("realized_pnl", decimal(trade.get("realized_pnl")).setScale(8, RoundingMode.HALF_EVEN));
        kept.put("executed_at", trade.get("executed_at"));
        kept.put("exit_reason", trade.get("exit_reason"));
        return kept;
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
