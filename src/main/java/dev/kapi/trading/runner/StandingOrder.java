package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.kapi.trading.market.Side;

/**
 * One order a bot has standing now: a resting limit order (with what of it filled so
 * far), or a leg of its stop on the exchange (the stop-limit sell, with its trigger in
 * {@code stopPrice}, or an OCO's take-profit). {@code price} is the order's limit price.
 */
public record StandingOrder(Kind kind, Side side, BigDecimal price, BigDecimal stopPrice, BigDecimal quantity,
        BigDecimal filledQuantity, Status status, Instant placedAt, String clientOrderId) {

    /** What the order is for. */
    public enum Kind {

        LIMIT, STOP, TAKE_PROFIT;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

    }

    /**
     * {@code pending}: written before the exchange answered (looked up on the next run);
     * {@code open}: the exchange (or the paper book) has it.
     */
    public enum Status {

        PENDING, OPEN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }

    }

}
