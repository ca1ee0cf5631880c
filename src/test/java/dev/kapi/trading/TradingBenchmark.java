package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.kapi.trading.backtest.Backtester;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.strategy.Strategies;
import dev.kapi.trading.sweep.SweepKernel;
import dev.kapi.trading.sweep.SweepManagement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}: {@code mvn -Pbenchmark test -Dtest=TradingBenchmark}
 * starts 10,000 active paper bots (simple and EMA, over 20 symbols with generated prices)
 * and times whole ticks of the runner, then times backtests over a year of one-minute
 * candles (525,600). The live-feed rows: 10,000 paper bots on 50 symbols fed by the
 * Binance stub, counting the klines requests each tick makes (the goal: one per symbol)
 * and timing the ticks.
 */
@TestPropertySource(properties = "kapi.rate-limits.enabled=false")
class TradingBenchmark extends TradingTestSupport {

    private static final int BOTS = 10_000;

    private static final int YEAR_OF_MINUTES = 525_600;

    @Autowired
    BotRunner runner;

    @Autowired
    Backtester backtester;

    @Autowired
    Strategies strategies;

    @Test
    void tenThousandPaperBotsTickedAndAYearOfMinutesBacktested() {
        jdbc.sql(
                """
                        INSERT INTO trading_bots (owner_id, name, symbol, quote_amount, candle_interval, strategy, params, active,
                                                  created_at, updated_at, price_feed)
                        SELECT 1000000 + n % 500, 'bench ' || n, 'BENCH' || (n % 20) || 'USDT', 100, '1m',
                               CASE WHEN n % 2 = 0 THEN 'simple' ELSE 'ema' END,
                               CASE WHEN n % 2 = 0
                                    THEN jsonb_build_object('buy_below', 50 + n % 400, 'sell_above', 500 + n % 400)
                                    ELSE jsonb_build_object('fast_period', 5 + n % 7, 'slow_period', 20 + n % 11) END,
                               true, now(), now(), 'generated'
                        FROM generate_series(1, :bots) AS n
                        """)
            .param("bots", BOTS)
            .update();
        Instant minute = Instant.parse("2031-06-01T12:00:00Z");

        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            BotRunner.TickReport report = runner.tick(minute.plus(Duration.ofMinutes(i)));
            System.out.printf("tick %d: %d bots ran, %d orders, %d failures in %d ms%n", i + 1, report.ran(),
                    report.orders(), report.failures(), (System.nanoTime() - started) / 1_000_000);
            assertThat(report.ran()).isGreaterThanOrEqualTo(BOTS);
        }

        // The same bots with stops set: every exit is checked on every tick.
        jdbc.sql("""
                UPDATE trading_bots SET risk = '{"stop_loss": 0.02, "take_profit": 0.03, "trailing_stop": 0.01,
                                                  "trailing_offset": 0.005, "max_drawdown": 0.2, "cooldown_minutes": 5}'
                WHERE owner_id >= 1000000
                """).update();
        for (int i = 5; i < 10; i++) {
            long started = System.nanoTime();
            BotRunner.TickReport report = runner.tick(minute.plus(Duration.ofMinutes(i)));
            System.out.printf("tick with stops %d: %d bots ran, %d orders, %d failures in %d ms%n", i - 4, report.ran(),
                    report.orders(), report.failures(), (System.nanoTime() - started) / 1_000_000);
        }

        List<Candle> year = GeneratedPrices.walk(7, YEAR_OF_MINUTES, CandleInterval.M1,
                Instant.parse("2024-01-01T00:00:00Z"), BigDecimal.valueOf(100));
        Map<String, Map<String, Object>> cases = Map.of("simple", Map.of("buy_below", 98, "sell_above", 102),
                "ema 12/26", Map.of("fast_period", 12, "slow_period", 26), "ema 200", Map.of("ema_period", 200));
        for (var entry : cases.entrySet()) {
            Strategies.Configured<?> strategy = strategies.read(entry.getKey().startsWith("ema") ? "ema" : "simple",
                    entry.getValue());
            for (int run = 0; run < 3; run++) {
                long started = System.nanoTime();
                Backtester.Result result = backtester.run(strategy, "BENCHUSDT", CandleInterval.M1,
                        BigDecimal.valueOf(100), year);
                System.out.printf("backtest %s over %d candles, run %d: %d trades in %d ms%n", entry.getKey(),
                        result.candles(), run + 1, result.performance().tradeCount(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
        sweep(year);
        jdbc.sql("DELETE FROM trading_bots WHERE owner_id >= 1000000").update();
    }

    @Test
    void tenThousandLivePaperBotsOnFiftySymbolsAskTheExchangeOncePerSymbolAndTick() {
        Instant minute = Instant.parse("2032-06-01T12:00:00Z");
        for (int tick = 0; tick < 5; tick++) {
            // The candles closed by each tick's minute: 500 of history, Binance's rows.
            Instant lastOpen = minute.plus(Duration.ofMinutes(tick - 1));
            StringBuilder rows = new StringBuilder("[");
            for (Candle c : GeneratedPrices.walk(11, 500, CandleInterval.M1, lastOpen.minus(Duration.ofMinutes(499)),
                    BigDecimal.valueOf(100))) {
                long open = c.openTime().toEpochMilli();
                rows.append(rows.length() > 1 ? "," : "")
                    .append("[%d,\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",%d,\"0\",1,\"0\",\"0\",\"0\"]".formatted(open,
                            c.open(), c.high(), c.low(), c.close(), c.volume(), open + 59_999));
            }
            BINANCE.stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v3/klines"))
                .withQueryParam("symbol", com.github.tomakehurst.wiremock.client.WireMock.matching("LIVE[0-9]+USDT"))
                .withQueryParam("endTime",
                        com.github.tomakehurst.wiremock.client.WireMock
                            .equalTo(Long.toString(lastOpen.toEpochMilli() + 59_999)))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(rows.append(']').toString())));
        }
        jdbc.sql(
                """
                        INSERT INTO trading_bots (owner_id, name, symbol, quote_amount, candle_interval, strategy, params, active,
                                                  created_at, updated_at, price_feed)
                        SELECT 2000000 + n % 500, 'live ' || n, 'LIVE' || (n % 50) || 'USDT', 100, '1m',
                               CASE WHEN n % 2 = 0 THEN 'simple' ELSE 'ema' END,
                               CASE WHEN n % 2 = 0
                                    THEN jsonb_build_object('buy_below', 50 + n % 400, 'sell_above', 500 + n % 400)
                                    ELSE jsonb_build_object('fast_period', 5 + n % 7, 'slow_period', 20 + n % 11) END,
                               true, now(), now(), 'live'
                        FROM generate_series(1, :bots) AS n
                        """)
            .param("bots", BOTS)
            .update();
        com.github.tomakehurst.wiremock.matching.RequestPatternBuilder klines = com.github.tomakehurst.wiremock.client.WireMock
            .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v3/klines"))
            .withQueryParam("symbol", com.github.tomakehurst.wiremock.client.WireMock.matching("LIVE[0-9]+USDT"));
        for (int i = 0; i < 5; i++) {
            int before = BINANCE.countRequestsMatching(klines.build()).getCount();
            long started = System.nanoTime();
            BotRunner.TickReport report = runner.tick(minute.plus(Duration.ofMinutes(i)).plusSeconds(5));
            long millis = (System.nanoTime() - started) / 1_000_000;
            int requests = BINANCE.countRequestsMatching(klines.build()).getCount() - before;
            System.out.printf(
                    "live tick %d: %d bots on 50 symbols ran, %d orders, %d failures, %d klines requests in %d ms%n",
                    i + 1, report.ran(), report.orders(), report.failures(), requests, millis);
            assertThat(requests).isLessThanOrEqualTo(50);
        }
        jdbc.sql("DELETE FROM trading_bots WHERE owner_id >= 2000000").update();
    }

    /**
     * The sweep row: 100 ema crossovers (fast 5..14 times slow 20..200) over the year of
     * minutes, as a sweep runs them (signals and the kernel, a task per combination on a
     * thread per core); then the same through the API, from the POST to the results.
     */
    private void sweep(List<Candle> year) {
        int cores = Runtime.getRuntime().availableProcessors();
        SweepKernel.Series series = SweepManagement.series(year, CandleInterval.M1);
        SweepKernel.Setup setup = SweepKernel.Setup.of(Risk.NONE, BigDecimal.valueOf(100), 0.001, 0.0005,
                CandleInterval.M1);
        List<Strategies.Configured<?>> combinations = new java.util.ArrayList<>();
        for (int fast = 5; fast < 15; fast++) {
            for (int slow = 20; slow <= 200; slow += 20) {
                combinations.add(strategies.read("ema", Map.of("fast_period", fast, "slow_period", slow)));
            }
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(cores);
        for (int run = 0; run < 3; run++) {
            long started = System.nanoTime();
            int trades = pool
                .submit(() -> combinations.parallelStream()
                    .mapToInt(strategy -> SweepKernel
                        .run(series, strategy.signals(year, series.close()), setup, 0, year.size())
                        .trades())
                    .sum())
                .join();
            double seconds = (System.nanoTime() - started) / 1e9;
            double steps = (double) combinations.size() * year.size();
            System.out.printf(
                    "sweep of %d ema combinations over %d candles, run %d: %d trades in %d ms, "
                            + "%.1f million candle-steps/s on %d cores, %.1f million per core%n",
                    combinations.size(), year.size(), run + 1, trades, (long) (seconds * 1000), steps / seconds / 1e6,
                    cores, steps / seconds / 1e6 / cores);
        }
        pool.shutdown();
        String token = newUserToken();
        for (int run = 0; run < 3; run++) {
            long started = System.nanoTime();
            Map<String, Object> accepted = post(token, "/api/trading/sweeps", Map.of("strategy", "ema", "grid",
                    Map.of("fast_period", java.util.stream.IntStream.range(5, 15).boxed().toList(), "slow_period",
                            java.util.stream.IntStream.rangeClosed(1, 10).map(n -> 20 * n).boxed().toList()),
                    "generate", Map.of("seed", 7, "count", YEAR_OF_MINUTES)));
            org.awaitility.Awaitility.await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !"running".equals(get(token, "/api/trading/sweeps/{id}", id(accepted)).get("status")));
            System.out.printf("sweep through the API, run %d: POST to results in %d ms (%s)%n", run + 1,
                    (System.nanoTime() - started) / 1_000_000,
                    get(token, "/api/trading/sweeps/{id}", id(accepted)).get("status"));
        }
    }

}
