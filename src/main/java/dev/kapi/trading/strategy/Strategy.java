package dev.kapi.trading.strategy;

import java.util.List;

import dev.kapi.trading.market.Candle;

/**
 * A trading strategy: its name in a bot's {@code strategy}, the record its {@code params}
 * are read into (Bean Validation on the record, cross-field rules in {@link #check}), and
 * its signals over a series of closed candles, oldest first (the runner and backtests
 * never pass a candle that has not closed, and the signal at a candle may depend on that
 * candle and those before it only). A new strategy is one more {@code @Component}
 * implementing this.
 */
interface Strategy<P> {

    String name();

    Class<P> parameters();

    /**
     * Rules between parameters that annotations cannot say; throws a 400 naming the
     * parameter.
     */
    default void check(P params) {
    }

    /**
     * How many candles the strategy needs before it signals anything but
     * {@link Signal#WARMING_UP}.
     */
    int candlesNeeded(P params);

    /**
     * How many candles the runner fetches for it (more than needed where history sharpens
     * the signal).
     */
    default int history(P params) {
        return candlesNeeded(params);
    }

    /**
     * The signal at every candle of the series, in one pass (a backtest of a year of
     * minutes stays fast).
     */
    Signal[] signals(P params, List<Candle> candles);

    /**
     * The signals over the closes as doubles ({@code closes[i]} is
     * {@code candles.get(i).close()}): what parameter sweeps run, many parameter sets
     * over one series. By default the exact version.
     */
    default Signal[] signals(P params, List<Candle> candles, double[] closes) {
        return signals(params, candles);
    }

    /** The signal at the last candle of the series: what the runner acts on. */
    default Signal signal(P params, List<Candle> candles) {
        if (candles.isEmpty()) {
            return Signal.WARMING_UP;
        }
        Signal[] all = signals(params, candles);
        return all[all.length - 1];
    }

}
