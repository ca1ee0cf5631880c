package dev.kapi.trading.market;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a trade goes. Written in lower case in the API and the database. */
public enum Side {

    BUY, SELL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Side of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

}
