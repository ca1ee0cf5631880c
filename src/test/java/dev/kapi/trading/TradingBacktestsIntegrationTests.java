package dev.kapi.trading;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.trading.backtest.BacktestManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TradingBacktestsIntegrationTests extends TradingTestSupport {

    @Autowired
    BacktestManagement backtests;

    private static final String KLINES = """
            open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore
            1704067200000,105,105,105,105,1,1704067259999,105,1,0,0,0
            1704067260000,99,99,99,99,1,1704067319999,99,1,0,0,0
            1704067320000,104,104,104,104,1,1704067379999,104,1,0,0,0
            1704067380000,111,111,111,111,1,1704067439999,111,1,0,0,0
            1704067440000,108,108,108,108,1,1704067499999,108,1,0,0,0
            """;

    @Test
    @SuppressWarnings("unchecked")
    void backtestWhenKlineCsvThenTheRunnersTradesAndThePerformanceFigures() {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "simple");
        body.put("params", Map.of("buy_below", 100, "sell_above", 110));
        body.put("symbol", "BTCUSDT");
        body.put("candles", KLINES);

        Map<String, Object> result = post(newUserToken(), "/api/trading/backtests", body);

        assertThat(result).containsEntry("candles", 5);
        List<Map<String, Object>> trades = (List<Map<String, Object>>) result.get("trades");
        assertThat(trades).extracting(trade -> trade.get("side")).containsExactly("buy", "sell");
        assertThat(trades.getFirst()).containsEntry("executed_at", "2024-01-01T00:02:00Z");
        BigDecimal buyPrice = new BigDecimal("99.0495");
        BigDecimal quantity = new BigDecimal("100").divide(buyPrice, 8, RoundingMode.DOWN);
        BigDecimal sellPrice = new BigDecimal("110.9445");
        BigDecimal realized = sellPrice.multiply(quantity)
            .multiply(new BigDecimal("0.999"))
            .subtract(buyPrice.multiply(quantity).multiply(new BigDecimal("1.001")));
        Map<String, Object> performance = (Map<String, Object>) result.get("performance");
        assertThat(performance).containsEntry("trade_count", 2)
            .containsEntry("buys", 1)
            .containsEntry("sells", 1)
            .containsEntry("win_rate", 1);
        assertThat(decimal(performance.get("realized_pnl")).setScale(8, RoundingMode.HALF_EVEN))
            .isEqualByComparingTo(realized.setScale(8, RoundingMode.HALF_EVEN));
    }

    @Test
    void backtestWhenGeneratedFromASeedThenTheSameAnswerEveryTime() {
        Map<String, Object> body = Map.of("strategy", "ema", "params", Map.of("fast_period", 5, "slow_period", 20),
                "generate", Map.of("seed", 42, "count", 2000));
        String token = newUserToken();

        Map<String, Object> first = post(token, "/api/trading/backtests", body);
        Map<String, Object> second = post(token, "/api/trading/backtests", body);

        assertThat(first).containsEntry("candles", 2000).isEqualTo(second);
        assertThat((List<?>) first.get("trades")).isNotEmpty();
    }

    @Test
    void backtestWhenCandlesMissingDoubledOrUnreadableThenBadRequestNamingCandles() {
        String token = newUserToken();
        Map<String, Object> neither = Map.of("strategy", "simple", "params", Map.of("buy_below", 1, "sell_above", 2));
        Map<String, Object> both = new HashMap<>(neither);
        both.put("candles", KLINES);
        both.put("generate", Map.of("seed", 1, "count", 10));
        Map<String, Object> broken = new HashMap<>(neither);
        broken.put("candles", "1704067200000,105,105\n");

        for (Map<String, Object> body : List.of(neither, both, broken)) {
            assertThat(invalidFields(
                    as(token).post().uri("/api/trading/backtests").contentType(MediaType.APPLICATION_JSON).body(body)))
                .containsExactly("candles");
        }
        assertThat(invalidFields(as(token).post()
            .uri("/api/trading/backtests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("strategy", "ema", "params", Map.of("ema_period", 1), "generate",
                    Map.of("seed", 1, "count", 10)))))
            .containsExactly("ema_period");
    }

    @Test
    void accountDeletedWhenItHadKeysBotsAndTradesThenAllAreRemoved() {
        String email = registerUser();
        String token = login(email);
        long key = id(createKey(token, "deleted-owner-key"));
        Map<String, Object> bot = simpleBot("ETHUSDT", "1", "2");
        bot.put("api_key_id", key);
        long botId = id(createBot(token, bot));
        post(token, "/api/trading/bots/" + botId + "/start", null);
        post(token, "/api/trading/trades", Map.of("bot_id", botId, "side", "buy", "price", 10, "quantity", 1));

        as(token).delete().uri("/users/me").exchange().expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(jdbc.sql("SELECT count(*) FROM trading_bots WHERE id = :id")
                .param("id", botId)
                .query(Long.class)
                .single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM trading_api_keys WHERE id = :id")
                .param("id", key)
                .query(Long.class)
                .single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM trading_trades WHERE bot_id = :id")
                .param("id", botId)
                .query(Long.class)
                .single()).isZero();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void backtestWhenFeesSlippageAndRiskGivenThenTheReportHasItsRiskAndReturnFiguresAndADownSampledCurve() {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "ema");
        body.put("params", Map.of("fast_period", 5, "slow_period", 20));
        body.put("generate", Map.of("seed", 7, "count", 50_000));
        body.put("fee_rate", "0");
        body.put("slippage", "0");
        body.put("stop_loss", "0.003");
        body.put("take_profit", "0.004");

        Map<String, Object> result = post(newUserToken(), "/api/trading/backtests", body);

        assertThat(result).containsKeys("total_return", "max_drawdown", "sharpe", "sortino", "profit_factor",
                "win_rate", "exposure", "exit_reasons", "buy_and_hold", "equity_curve");
        assertThat(result).containsEntry("fee_rate", 0)
            .containsEntry("slippage", 0)
            .containsEntry("starting_balance", 10000);
        List<Map<String, Object>> trades = (List<Map<String, Object>>) result.get("trades");
        assertThat(trades).allSatisfy(trade -> assertThat(decimal(trade.get("fee"))).isZero());
        Map<String, Integer> reasons = (Map<String, Integer>) result.get("exit_reasons");
        assertThat(reasons).containsOnlyKeys("signal", "stop_loss", "take_profit", "trailing_stop", "max_drawdown");
        // Over every sell (the answer carries the first 1,000 of this backtest's trades,
        // the performance counts all).
        int sells = (Integer) ((Map<String, Object>) result.get("performance")).get("sells");
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(sells);
        assertThat(reasons.get("stop_loss")).isPositive();
        assertThat(reasons.get("take_profit")).isPositive();
        List<Map<String, Object>> curve = (List<Map<String, Object>>) result.get("equity_curve");
        assertThat(curve).hasSizeLessThanOrEqualTo(1000).hasSizeGreaterThan(900);
        assertThat(curve.getLast()).containsEntry("at", "2024-02-04T17:20:00Z");
        BigDecimal end = decimal(curve.getLast().get("equity"));
        assertThat(decimal(result.get("total_return"))).isEqualByComparingTo(
                end.divide(BigDecimal.valueOf(10000)).subtract(BigDecimal.ONE).setScale(8, RoundingMode.HALF_EVEN));
        assertThat(decimal(result.get("max_drawdown"))).isBetween(BigDecimal.ZERO, BigDecimal.ONE);
        assertThat(decimal(result.get("exposure"))).isBetween(BigDecimal.ZERO, BigDecimal.ONE);
    }

    @Test
    void backtestWhenBuyAndHoldThenItsReturnIsTheLastCloseOverTheFirst() {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "simple");
        body.put("params", Map.of("buy_below", 1, "sell_above", 2));
        body.put("candles", KLINES);

        Map<String, Object> result = post(newUserToken(), "/api/trading/backtests", body);

        assertThat(decimal(result.get("buy_and_hold")))
            .isEqualByComparingTo(new BigDecimal("108").divide(new BigDecimal("105"), 8, RoundingMode.HALF_EVEN)
                .subtract(BigDecimal.ONE));
        assertThat(result).containsEntry("total_return", 0).containsEntry("exposure", 0).containsEntry("sharpe", null);
    }

    @Test
    void backtestWhenFeeRateAboveTenPercentThenBadRequestNamingIt() {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "simple");
        body.put("params", Map.of("buy_below", 1, "sell_above", 2));
        body.put("candles", KLINES);
        body.put("fee_rate", "0.5");

        assertThat(invalidFields(as(newUserToken()).post()
            .uri("/api/trading/backtests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body))).containsExactly("fee_rate");
    }

    /**
     * Always a buy signal, and stops so tight that each position closes on the next
     * candle: a trade a candle.
     */
    private static Map<String, Object> tradeEveryCandle(int candles) {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "simple");
        body.put("params", Map.of("buy_below", 1_000_000, "sell_above", 2_000_000));
        body.put("generate", Map.of("seed", 11, "count", candles));
        body.put("stop_loss", "0.00001");
        body.put("take_profit", "0.00001");
        return body;
    }

    @Test
    @SuppressWarnings("unchecked")
    void backtestWhenMoreThanAThousandTradesThenTheAnswerCarriesAThousandWithTheFiguresOfAllAndTheCsvStreamsEvery() {
        String token = newUserToken();

        Map<String, Object> result = post(token, "/api/trading/backtests", tradeEveryCandle(3_000));

        Map<String, Object> performance = (Map<String, Object>) result.get("performance");
        int total = (Integer) performance.get("trade_count");
        assertThat(total).isGreaterThan(2_000);
        List<Map<String, Object>> trades = (List<Map<String, Object>>) result.get("trades");
        assertThat(trades).hasSize(1_000);
        assertThat(result).containsEntry("trades_total", total)
            .containsEntry("trades_truncated", true)
            .containsEntry("trades_csv", "/api/trading/backtests/" + id(result) + "/trades.csv");

        String csv = as(token).get()
            .uri((String) result.get("trades_csv"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/csv")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        List<String> lines = csv.lines().toList();
        assertThat(lines.getFirst()).isEqualTo("side,price,quantity,fee,realized_pnl,executed_at,exit_reason");
        List<String[]> rows = lines.stream().skip(1).map(line -> line.split(",", -1)).toList();
        assertThat(rows).hasSize(total);
        assertThat(rows.stream().filter(row -> row[0].equals("sell")).count())
            .isEqualTo(((Integer) performance.get("sells")).longValue());
        assertThat(rows.stream()
            .map(row -> new BigDecimal(row[4]))
            .reduce(BigDecimal.ZERO, BigDecimal::add)
            .setScale(8, RoundingMode.HALF_EVEN))
            .isEqualByComparingTo(decimal(performance.get("realized_pnl")).setScale(8, RoundingMode.HALF_EVEN));
        assertThat(rows.stream()
            .map(row -> new BigDecimal(row[3]))
            .reduce(BigDecimal.ZERO, BigDecimal::add)
            .setScale(8, RoundingMode.HALF_EVEN))
            .isEqualByComparingTo(decimal(performance.get("fees")).setScale(8, RoundingMode.HALF_EVEN));
        Map<String, Integer> reasons = (Map<String, Integer>) result.get("exit_reasons");
        reasons.forEach(
                (reason, count) -> assertThat(rows.stream().filter(row -> row[6].equals(reason)).count()).as(reason)
                    .isEqualTo(count.longValue()));
        for (int i = 0; i < trades.size(); i++) {
            Map<String, Object> trade = trades.get(i);
            String[] row = rows.get(i);
            assertThat(row[0]).isEqualTo(trade.get("side"));
            // The answer's numbers are read back as doubles here; the CSV's as the same
            // doubles.
            assertThat(Double.parseDouble(row[1])).isEqualTo(((Number) trade.get("price")).doubleValue());
            assertThat(Double.parseDouble(row[4])).isEqualTo(((Number) trade.get("realized_pnl")).doubleValue());
            assertThat(row[5]).isEqualTo(trade.get("executed_at"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void backtestWhenTradesLimitGivenThenAtMostThatManyTradesAndOutOfRangeIsBadRequestNamingIt() {
        String token = newUserToken();
        Map<String, Object> body = tradeEveryCandle(200);
        body.put("trades_limit", 10);

        Map<String, Object> ten = post(token, "/api/trading/backtests", body);
        body.put("trades_limit", 0);
        Map<String, Object> none = post(token, "/api/trading/backtests", body);

        assertThat((List<?>) ten.get("trades")).hasSize(10);
        assertThat((List<?>) none.get("trades")).isEmpty();
        Map<String, Object> performance = (Map<String, Object>) ten.get("performance");
        assertThat((Integer) ten.get("trades_total")).isEqualTo(performance.get("trade_count")).isGreaterThan(10);
        assertThat(ten).containsEntry("trades_truncated", true);
        assertThat(none).containsEntry("trades_total", ten.get("trades_total"))
            .containsEntry("performance", ten.get("performance"));
        for (int limit : new int[] { -1, 1_001 }) {
            body.put("trades_limit", limit);
            assertThat(invalidFields(
                    as(token).post().uri("/api/trading/backtests").contentType(MediaType.APPLICATION_JSON).body(body)))
                .containsExactly("trades_limit");
        }
    }

    @Test
    void backtestWhenFewTradesThenAllAreAnsweredAndNotTruncated() {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "simple");
        body.put("params", Map.of("buy_below", 100, "sell_above", 110));
        body.put("candles", KLINES);

        Map<String, Object> result = post(newUserToken(), "/api/trading/backtests", body);

        assertThat(result).containsEntry("trades_total", 2).containsEntry("trades_truncated", false);
        assertThat((List<?>) result.get("trades")).hasSize(2);
    }

    @Test
    void tradesCsvWhenAnotherUsersBacktestOrOneNoLongerKeptThenNotFound() {
        // The owner's newest 10 are kept: ten other backtests after it drop the first.
        String owner = newUserToken();
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "simple");
        body.put("params", Map.of("buy_below", 100, "sell_above", 110));
        body.put("candles", KLINES);
        String first = (String) post(owner, "/api/trading/backtests", body).get("trades_csv");

        as(newUserToken()).get()
            .uri(first)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:backtest-not-found");
        assertThat(as(owner).get()
            .uri(first)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody()
            .lines()).hasSize(3);

        for (int i = 0; i < BacktestManagement.KEPT; i++) {
            body.put("params", Map.of("buy_below", 100, "sell_above", 111 + i));
            post(owner, "/api/trading/backtests", body);
        }
        as(owner).get()
            .uri(first)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:backtest-not-found");
    }

    @Test
    void backtestWhenAsManyRunAsTheInstanceAllowsThenServiceUnavailableWithRetryAfterAndTheCsvToo() throws Exception {
        String token = newUserToken();
        Map<String, Object> body = tradeEveryCandle(50);
        String csv = (String) post(token, "/api/trading/backtests", body).get("trades_csv");
        int permits = backtests.running().availablePermits();
        backtests.running().acquire(permits);
        try {
            as(token).post()
                .uri("/api/trading/backtests")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .exists("Retry-After")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("urn:kapi:problem:backtests-busy");
            as(token).get()
                .uri(csv)
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("urn:kapi:problem:backtests-busy");
        }
        finally {
            backtests.running().release(permits);
        }
        post(token, "/api/trading/backtests", body);
    }

}
