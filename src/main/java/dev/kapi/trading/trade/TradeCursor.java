package dev.kapi.trading.trade;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.kapi.shared.Cursors;

/**
 * The opaque {@code cursor} of a trade list: the time and id of the last trade a page
 * showed (newest first).
 */
record TradeCursor(Instant executedAt, long id) {

    static TradeCursor after(Trade trade) {
        return new TradeCursor(trade.executedAt(), trade.id());
    }

    String encode() {
        return Cursors.encode(executedAt, id);
    }

    static TradeCursor decode(String cursor) {
        List<String> parts = Cursors.decode(cursor, 2);
        try {
            return new TradeCursor(Instant.parse(parts.get(0)), Long.parseLong(parts.get(1)));
        }
        catch (NumberFormatException | DateTimeParseException ex) {
            throw Cursors.invalid();
        }
    }
}
