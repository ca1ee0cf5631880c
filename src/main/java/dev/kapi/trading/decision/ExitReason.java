package dev.kapi.trading.decision;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a sell closed a position: the strategy's signal, one of the risk exits, or the
 * max-drawdown protection.
 */
public enum ExitReason {

    SIGNAL, STOP_LOSS, TAKE_PROFIT, TRAILING_STOP, MAX_DRAWDOWN;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExitReason of(String wire) {
        return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** A stop: what {@code cooldown_minutes} waits after before the next buy. */
    boolean stop() {
        return this == STOP_LOSS || this == TRAILING_STOP;
    }

}
