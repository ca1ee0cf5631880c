package dev.kapi.trading;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A bot's status: {@code idle} (flat), {@code in_position}, {@code paused} by its owner,
 * {@code error} after repeated failures.
 */
enum BotStatus {

    IDLE, IN_POSITION, PAUSED, ERROR;

    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BotStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The status of a bot that trades, by whether it holds a position. */
    static BotStatus trading(boolean inPosition) {
        return inPosition ? IN_POSITION : IDLE;
    }

    boolean trades() {
        return this == IDLE || this == IN_POSITION;
    }

}
