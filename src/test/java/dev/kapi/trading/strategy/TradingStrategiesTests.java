package dev.kapi.trading.strategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.market.Candle;

import static dev.kapi.trading.strategy.Signal.BUY;
import static dev.kapi.trading.strategy.Signal.HOLD;
import static dev.kapi.trading.strategy.Signal.SELL;
import static dev.kapi.trading.strategy.Signal.WARMING_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TradingStrategiesTests {

    private static final List<Candle> SERIES = candles("10", "11", "12", "11", "10", "9", "10", "12");

    @Test
    void simpleWhenCloseBelowBuyBelowOrAboveSellAboveThenBuyOrSellElseHold() {
        SimpleStrategy simple = new SimpleStrategy();
        SimpleStrategy.Params params = new SimpleStrategy.Params(new BigDecimal("10"), new BigDecimal("11.5"));

        assertThat(simple.signals(params, SERIES)).containsExactly(HOLD, HOLD, SELL, HOLD, HOLD, BUY, HOLD, SELL);
        assertThat(simple.signal(params, candles("9.99"))).isEqualTo(BUY);
    }

    @Test
    void simpleWhenSellAboveNotAboveBuyBelowThenRefusedNamingSellAbove() {
        assertThatThrownBy(() -> new SimpleStrategy().check(new SimpleStrategy.Params(BigDecimal.TEN, BigDecimal.TEN)))
            .hasFieldOrPropertyWithValue("field", "sell_above");
    }

    @Test
    void emaWhenHandComputedSeriesThenSameValues() {
        BigDecimal[] closes = SERIES.stream().map(Candle::close).toArray(BigDecimal[]::new);

        // k = 2 / (3 + 1) = 0.5, starting from the average of the first three closes.
        assertThat(values(EmaStrategy.ema(closes, 3))).containsExactly(null, null, "11", "11", "10.5", "9.75", "9.875",
                "10.9375");
        // k = 0.4
        assertThat(values(EmaStrategy.ema(closes, 4))).containsExactly(null, null, null, "11", "10.6", "9.96", "9.976",
                "10.7856");
    }

    @Test
    void emaWhenClosesCrossTheirEmaThenBuyAboveAndSellBelowAfterWarmingUp() {
        EmaStrategy ema = new EmaStrategy();

        assertThat(ema.signals(new EmaStrategy.Params(3, null, null), SERIES)).containsExactly(WARMING_UP, WARMING_UP,
                WARMING_UP, HOLD, SELL, HOLD, BUY, HOLD);
    }

    @Test
    void emaWhenFastCrossesSlowThenBuyAboveAndSellBelow() {
        EmaStrategy ema = new EmaStrategy();

        assertThat(ema.signals(new EmaStrategy.Params(null, 2, 4), SERIES)).containsExactly(WARMING_UP, WARMING_UP,
                WARMING_UP, WARMING_UP, SELL, HOLD, HOLD, BUY);
    }

    @Test
    void emaWhenFewerCandlesThanThePeriodThenOnlyWarmingUp() {
        EmaStrategy.Params params = new EmaStrategy.Params(5, null, null);

        assertThat(new EmaStrategy().signal(params, SERIES.subList(0, 5))).isEqualTo(WARMING_UP);
        assertThat(new EmaStrategy().candlesNeeded(params)).isEqualTo(6);
    }

    @Test
    void emaWhenBothFormsOrSlowNotAboveFastThenRefusedNamingTheField() {
        EmaStrategy ema = new EmaStrategy();

        assertThatThrownBy(() -> ema.check(new EmaStrategy.Params(5, 2, null))).hasFieldOrPropertyWithValue("field",
                "fast_period");
        assertThatThrownBy(() -> ema.check(new EmaStrategy.Params(null, 4, 4))).hasFieldOrPropertyWithValue("field",
                "fast_period");
        assertThatThrownBy(() -> ema.check(new EmaStrategy.Params(null, null, null)))
            .hasFieldOrPropertyWithValue("field", "ema_period");
    }

    static List<Candle> candles(String... closes) {
        List<Candle> candles = new ArrayList<>();
        Instant open = Instant.parse("2026-01-01T00:00:00Z");
        for (String close : closes) {
            BigDecimal price = new BigDecimal(close);
            candles.add(new Candle(open, price, price, price, price, BigDecimal.ONE));
            open = open.plusSeconds(60);
        }
        return candles;
    }

    private static List<String> values(BigDecimal[] ema) {
        return Arrays.stream(ema)
            .map(value -> value == null ? null : value.stripTrailingZeros().toPlainString())
            .toList();
    }

}
