package dev.kapi.trading.market;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic candles for the paper exchange when none are recorded. The price at any
 * instant is a seeded random walk over several time scales (value noise: smoothly joined
 * random steps every minute, hour, day and month, hashed from the symbol and the step
 * number), so any candle can be computed alone, every instance computes the same one, and
 * the series wanders like a market. Backtests use {@link #walk}, a plain random walk from
 * a seed.
 */
public final class GeneratedPrices {

    private static final long[] SCALES_MS = { 60_000L, 3_600_000L, 86_400_000L, 2_592_000_000L };

    private static final double[] AMPLITUDES = { 0.0008, 0.006, 0.03, 0.15 };

    private GeneratedPrices() {
    }

    public static List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
        long size = interval.length().toMillis();
        List<Candle> candles = new ArrayList<>(limit);
        for (int i = limit - 1; i >= 0; i--) {
            long open = lastOpen.toEpochMilli() - i * size;
            double o = price(symbol, open);
            double c = price(symbol, open + size);
            double mid = price(symbol, open + size / 2);
            candles.add(new Candle(Instant.ofEpochMilli(open), decimal(o), decimal(Math.max(Math.max(o, c), mid)),
                    decimal(Math.min(Math.min(o, c), mid)), decimal(c),
                    decimal(100 + 50 * noise(symbol.hashCode() * 31L + 7, open / (double) size))));
        }
        return candles;
    }

    /**
     * The price of the symbol at the instant: a base between 1 and 1000 that the noise
     * moves around.
     */
    static double price(String symbol, long epochMillis) {
        long seed = symbol.hashCode();
        double base = 1 + Math.floorMod(seed * 2_654_435_761L, 1000);
        double exponent = 0;
        for (int s = 0; s < SCALES_MS.length; s++) {
            exponent += AMPLITUDES[s] * noise(seed * 131 + s, epochMillis / (double) SCALES_MS[s]);
        }
        return base * Math.exp(exponent);
    }

    /**
     * A random walk of {@code count} candles from a seed, starting at {@code startPrice}.
     */
    public static List<Candle> walk(long seed, int count, CandleInterval interval, Instant firstOpen,
            BigDecimal startPrice) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Candle> candles = new ArrayList<>(count);
        double price = startPrice.doubleValue();
        long size = interval.length().toMillis();
        for (int i = 0; i < count; i++) {
            double open = price;
            double close = open * Math.exp(0.002 * (random.nextDouble() * 2 - 1));
            double high = Math.max(open, close) * (1 + 0.0005 * random.nextDouble());
            double low = Math.min(open, close) * (1 - 0.0005 * random.nextDouble());
            candles.add(new Candle(Instant.ofEpochMilli(firstOpen.toEpochMilli() + i * size), decimal(open),
                    decimal(high), decimal(low), decimal(close), decimal(10 + 90 * random.nextDouble())));
            price = close;
        }
        return candles;
    }

    /**
     * Smooth value noise in [-1, 1]: random values at whole x, joined by a smoothstep.
     */
    private static double noise(long seed, double x) {
        long step = (long) Math.floor(x);
        double t = x - step;
        double smooth = t * t * (3 - 2 * t);
        double a = hash(seed, step);
        double b = hash(seed, step + 1);
        return a + (b - a) * smooth;
    }

    private static double hash(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 * 2 - 1;
    }

    private static BigDecimal decimal(double value) {
        return BigDecimal.valueOf(value).setScale(8, RoundingMode.HALF_EVEN);
    }

}
