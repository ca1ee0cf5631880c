package dev.kapi.trading.market;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a bot's prices come from. {@code live}: its exchange's public closed candles,
 * through the shared candle store (the default of a new paper bot, and the only feed of a
 * bot with an API key). {@code generated}: a seeded random walk, for demos; never a
 * market. {@code replay}: the candles already in the store, never fetched.
 */
public enum PriceFeed {

    LIVE("live"), GENERATED("generated"), REPLAY("replay");

    /** The regular expression of the names, for request validation. */
    public static final String PATTERN = "live|generated|replay";

    private final String wire;

    PriceFeed(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<PriceFeed> of(String wire) {
        return Arrays.stream(values()).filter(feed -> feed.wire.equals(wire)).findFirst();
    }

}
