package dev.kapi.trading.decision;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a sell closed a position: the strategy's signal, one of the risk exits, the
 * max-drawdown protection, or its owner's way out ({@code force_exit}: force-exit, stop
 * and sell, a kill switch), which no candle decides.
 */
public enum ExitReason {

    SIGNAL, STOP_LOSS, TAKE_PROFIT, TRAILING_STOP, MAX_DRAWDOWN, FORCE_EXIT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExitReason of(String wire) {
        return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether a candle decides this exit ({@link CandleRule}): what backtests and sweeps
     * count.
     */
    public boolean byCandle() {
        return this != FORCE_EXIT;
    }

    /** A stop: what {@code cooldown_minutes} waits after before the next buy. */
    boolean stop() {
        return this == STOP_LOSS || this == TRAILING_STOP;
    }

}
