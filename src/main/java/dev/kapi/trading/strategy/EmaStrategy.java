package dev.kapi.trading.strategy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.market.Candle;

/**
 * Exponential moving averages, seed 002's {@code ema}. With {@code ema_period}: buy when
 * the close crosses above its EMA, sell when it crosses below. With {@code fast_period}
 * and {@code slow_period}: buy when the fast EMA crosses above the slow one, sell when it
 * crosses below. An EMA of period n starts as the simple average of the first n closes
 * and then follows {@code ema = close * k + previous * (1 - k)}, k = 2 / (n + 1); a
 * crossing needs one value before it, so nothing is signalled before candle n + 1.
 */
@Component
public final class EmaStrategy implements Strategy<EmaStrategy.Params> {

    public static final int MAX_PERIOD = 300;

    private static final MathContext MATH = MathContext.DECIMAL64;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(@JsonProperty("ema_period") @Min(2) @Max(MAX_PERIOD) Integer emaPeriod,
            @JsonProperty("fast_period") @Min(2) @Max(MAX_PERIOD) Integer fastPeriod,
            @JsonProperty("slow_period") @Min(2) @Max(MAX_PERIOD) Integer slowPeriod) {

        int longest() {
            return emaPeriod != null ? emaPeriod : slowPeriod;
        }
    }

    @Override
    public String name() {
        return "ema";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params) {
        if (params.emaPeriod() != null) {
            if (params.fastPeriod() != null || params.slowPeriod() != null) {
                throw ApiException.invalidField(params.fastPeriod() != null ? "fast_period" : "slow_period",
                        "ema-period-or-crossover");
            }
            return;
        }
        if (params.fastPeriod() == null) {
            throw ApiException.invalidField(params.slowPeriod() == null ? "ema_period" : "fast_period", "required");
        }
        if (params.slowPeriod() == null) {
            throw ApiException.invalidField("slow_period", "required");
        }
        if (params.fastPeriod() >= params.slowPeriod()) {
            throw ApiException.invalidField("fast_period", "fast-period-not-below-slow");
        }
    }

    @Override
    public int candlesNeeded(Params params) {
        return params.longest() + 1;
    }

    /**
     * Three periods of history make the EMA nearly independent of where the series
     * starts.
     */
    @Override
    public int history(Params params) {
        return 3 * params.longest() + 1;
    }

    @Override
    public Signal[] signals(Params params, List<Candle> candles) {
        BigDecimal[] closes = candles.stream().map(Candle::close).toArray(BigDecimal[]::new);
        BigDecimal[] fast = params.emaPeriod() != null ? closes : ema(closes, params.fastPeriod());
        BigDecimal[] slow = ema(closes, params.longest());
        Signal[] signals = new Signal[closes.length];
        for (int i = 0; i < closes.length; i++) {
            if (i < params.longest() || slow[i - 1] == null || fast[i - 1] == null) {
                signals[i] = Signal.WARMING_UP;
                continue;
            }
            boolean wasAbove = fast[i - 1].compareTo(slow[i - 1]) > 0;
            boolean wasBelow = fast[i - 1].compareTo(slow[i - 1]) < 0;
            boolean isAbove = fast[i].compareTo(slow[i]) > 0;
            boolean isBelow = fast[i].compareTo(slow[i]) < 0;
            signals[i] = !wasAbove && isAbove ? Signal.BUY : !wasBelow && isBelow ? Signal.SELL : Signal.HOLD;
        }
        return signals;
    }

    /**
     * The same signals in floating point, for sweeps: averages that differ by less than
     * one part in 10^12 count as equal (a flat series stays without crossings, as in
     * decimals).
     */
    @Override
    public Signal[] signals(Params params, List<Candle> candles, double[] closes) {
        int longest = params.longest();
        double[] slow = ema(closes, longest);
        double[] fast = params.emaPeriod() != null ? closes : ema(closes, params.fastPeriod());
        Signal[] signals = new Signal[closes.length];
        for (int i = 0; i < closes.length; i++) {
            if (i < longest) {
                signals[i] = Signal.WARMING_UP;
                continue;
            }
            int was = compare(fast[i - 1], slow[i - 1]);
            int is = compare(fast[i], slow[i]);
            signals[i] = was <= 0 && is > 0 ? Signal.BUY : was >= 0 && is < 0 ? Signal.SELL : Signal.HOLD;
        }
        return signals;
    }

    private static int compare(double a, double b) {
        double difference = a - b;
        return Math.abs(difference) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : difference > 0 ? 1 : -1;
    }

    /** The EMA of period n at each close as doubles; NaN before the n-th close. */
    static double[] ema(double[] closes, int period) {
        double[] ema = new double[closes.length];
        java.util.Arrays.fill(ema, Double.NaN);
        if (closes.length < period) {
            return ema;
        }
        double k = 2.0 / (period + 1);
        double sum = 0;
        for (int i = 0; i < period; i++) {
            sum += closes[i];
        }
        ema[period - 1] = sum / period;
        for (int i = period; i < closes.length; i++) {
            ema[i] = closes[i] * k + ema[i - 1] * (1 - k);
        }
        return ema;
    }

    /** The EMA of period n at each close; null before the n-th close. */
    static BigDecimal[] ema(BigDecimal[] closes, int period) {
        BigDecimal[] ema = new BigDecimal[closes.length];
        if (closes.length < period) {
            return ema;
        }
        BigDecimal k = BigDecimal.valueOf(2).divide(BigDecimal.valueOf(period + 1L), MATH);
        BigDecimal rest = BigDecimal.ONE.subtract(k, MATH);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < period; i++) {
            sum = sum.add(closes[i], MATH);
        }
        ema[period - 1] = sum.divide(BigDecimal.valueOf(period), MATH);
        for (int i = period; i < closes.length; i++) {
            ema[i] = closes[i].multiply(k, MATH).add(ema[i - 1].multiply(rest, MATH), MATH);
        }
        return ema;
    }

}
