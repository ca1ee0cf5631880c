package dev.kapi.trading.strategy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a strategy says at a candle. {@code WARMING_UP}: not enough candles yet to say
 * anything; {@code NO_DATA}: the exchange had no candle for the tick (the runner's, never
 * a strategy's).
 */
public enum Signal {

    BUY, SELL, HOLD, WARMING_UP, NO_DATA;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

}
