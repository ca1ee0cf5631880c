package dev.kapi.trading;

import java.util.Locale;

/** Which way a trade goes. Written in lower case in the API and the database. */
enum Side {

    BUY, SELL;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Side of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

}
