package dev.kapi.trading.strategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;

import static dev.kapi.trading.strategy.Signal.BUY;
import static dev.kapi.trading.strategy.Signal.HOLD;
import static dev.kapi.trading.strategy.Signal.SELL;
import static dev.kapi.trading.strategy.Signal.WARMING_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rsi and bollinger strategies on hand-computed series, and no strategy reading ahead
 * of a candle.
 */
class TradingIndicatorStrategiesTests {

    @Test
    void rsiWhenTheAverageLossOutweighsTheGainThenBuyBelowOversoldAndSellAboveOverbought() {
        // Period 2: changes +1, +1 → RSI 100 (sell); then -3: gain (1*1+0)/2 = 0.5, loss
        // (0+3)/2 = 1.5 → 25 (buy);
        // then +0.5: gain 0.5, loss 0.75 → 40 (hold).
        List<Candle> series = TradingStrategiesTests.candles("10", "11", "12", "9", "9.5");
        RsiStrategy.Params params = new RsiStrategy.Params(2, 30.0, 70.0);

        assertThat(new RsiStrategy().signals(params, series)).containsExactly(WARMING_UP, WARMING_UP, SELL, BUY, HOLD);
    }

    @Test
    void rsiWhenOverboughtNotAboveOversoldThenRefusedNamingOverbought() {
        assertThatThrownBy(() -> new RsiStrategy().check(new RsiStrategy.Params(14, 70.0, 30.0)))
            .hasFieldOrPropertyWithValue("field", "overbought");
    }

    @Test
    void bollingerWhenTheCloseLeavesTheBandsThenBuyBelowAndSellAbove() {
        // Period 3, width 1: window 10, 10, 10 has no band (hold); 10, 10, 7: mean 9,
        // deviation √2 → 7 < 7.59 (buy);
        // 10, 7, 13: mean 10, deviation √6 → 13 > 12.45 (sell).
        List<Candle> series = TradingStrategiesTests.candles("10", "10", "10", "7", "13");
        BollingerStrategy.Params params = new BollingerStrategy.Params(3, 1.0);

        assertThat(new BollingerStrategy().signals(params, series)).containsExactly(WARMING_UP, WARMING_UP, HOLD, BUY,
                SELL);
    }

    @Test
    void everyStrategyWhenLaterCandlesChangeThenItsSignalsUpToACandleStayTheSame() {
        List<Candle> series = GeneratedPrices.walk(3, 600, CandleInterval.M1, Instant.parse("2026-01-01T00:00:00Z"),
                BigDecimal.valueOf(100));
        Map<Strategy<?>, Object> strategies = Map.of(new RsiStrategy(), new RsiStrategy.Params(14, 30.0, 70.0),
                new BollingerStrategy(), new BollingerStrategy.Params(20, 2.0), new EmaStrategy(),
                new EmaStrategy.Params(null, 5, 20), new SimpleStrategy(),
                new SimpleStrategy.Params(new BigDecimal("99"), new BigDecimal("101")));
        strategies.forEach((strategy, params) -> {
            Signal[] whole = signals(strategy, params, series);
            for (int end = 1; end <= series.size(); end += 7) {
                // The series cut after candle end - 1, and the same with the future
                // replaced by a crash.
                List<Candle> past = series.subList(0, end);
                List<Candle> otherFuture = new java.util.ArrayList<>(past);
                otherFuture.addAll(TradingStrategiesTests.candles("1", "1000", "1"));
                assertThat(Arrays.copyOf(signals(strategy, params, past), end)).as(strategy.name())
                    .isEqualTo(Arrays.copyOf(whole, end));
                assertThat(Arrays.copyOf(signals(strategy, params, otherFuture), end)).as(strategy.name())
                    .isEqualTo(Arrays.copyOf(whole, end));
            }
        });
    }

    @Test
    void emaWhenComputedInFloatingPointForSweepsThenTheSameSignalsAsInDecimals() {
        List<Candle> series = GeneratedPrices.walk(11, 5000, CandleInterval.M1, Instant.parse("2026-01-01T00:00:00Z"),
                BigDecimal.valueOf(100));
        EmaStrategy ema = new EmaStrategy();
        for (EmaStrategy.Params params : List.of(new EmaStrategy.Params(null, 5, 20),
                new EmaStrategy.Params(30, null, null))) {
            assertThat(ema.signals(params, series, Prices.closes(series))).isEqualTo(ema.signals(params, series));
        }
        List<Candle> flat = TradingStrategiesTests.candles("10", "10", "10", "10", "10", "10", "10", "10");
        assertThat(ema.signals(new EmaStrategy.Params(null, 2, 4), flat, Prices.closes(flat)))
            .isEqualTo(ema.signals(new EmaStrategy.Params(null, 2, 4), flat));
    }

    @SuppressWarnings("unchecked")
    private static <P> Signal[] signals(Strategy<P> strategy, Object params, List<Candle> candles) {
        return strategy.signals((P) params, candles);
    }

}
