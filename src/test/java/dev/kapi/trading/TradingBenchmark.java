package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}: {@code mvn -Pbenchmark test -Dtest=TradingBenchmark} starts 10,000 active
 * paper bots (simple and EMA, over 20 symbols with generated prices) and times whole ticks of the runner,
 * then times backtests over a year of one-minute candles (525,600).
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
        jdbc.sql("""
                INSERT INTO trading_bots (owner_id, name, symbol, quote_amount, candle_interval, strategy, params, active,
                                          created_at, updated_at)
                SELECT 1000000 + n % 500, 'bench ' || n, 'BENCH' || (n % 20) || 'USDT', 100, '1m',
                       CASE WHEN n % 2 = 0 THEN 'simple' ELSE 'ema' END,
                       CASE WHEN n % 2 = 0
                            THEN jsonb_build_object('buy_below', 50 + n % 400, 'sell_above', 500 + n % 400)
                            ELSE jsonb_build_object('fast_period', 5 + n % 7, 'slow_period', 20 + n % 11) END,
                       true, now(), now()
                FROM generate_series(1, :bots) AS n
                """).param("bots", BOTS).update();
        Instant minute = Instant.parse("2031-06-01T12:00:00Z");

        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            BotRunner.TickReport report = runner.tick(minute.plus(Duration.ofMinutes(i)));
            System.out.printf("tick %d: %d bots ran, %d orders, %d failures in %d ms%n", i + 1, report.ran(),
                    report.orders(), report.failures(), (System.nanoTime() - started) / 1_000_000);
            assertThat(report.ran()).isGreaterThanOrEqualTo(BOTS);
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
        jdbc.sql("DELETE FROM trading_bots WHERE owner_id >= 1000000").update();
    }
}
