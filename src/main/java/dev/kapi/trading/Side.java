package dev.kapi.trading;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a trade goes. Written in lower case in the API and the database. */
enum Side {

    BUY, SELL;

    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Side of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

}
