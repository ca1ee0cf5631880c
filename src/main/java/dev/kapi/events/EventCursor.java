package dev.kapi.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.kapi.shared.Cursors;

/**
 * The opaque {@code cursor} of a list: the sort order and the sort value and id of the
 * last event a page showed, so that the next page starts right after it in one index
 * range however deep it is. A cursor only fits the order it was made for.
 */
record EventCursor(EventSort sort, boolean descending, long id, String value) {

    static EventCursor after(Event event, EventSort sort, boolean descending) {
        return new EventCursor(sort, descending, event.id(), event.sortValue(sort));
    }

    String encode() {
        return Cursors.encode(sort.parameter(), descending ? "d" : "a", id, value);
    }

    /**
     * Reads a cursor given with a list request whose order is
     * {@code sort}/{@code descending}.
     */
    static EventCursor decode(String cursor, EventSort sort, boolean descending) {
        List<String> parts = Cursors.decode(cursor, 4);
        if (!parts.get(0).equals(sort.parameter()) || !parts.get(1).equals(descending ? "d" : "a")) {
            throw Cursors.invalid();
        }
        try {
            EventCursor decoded = new EventCursor(sort, descending, Long.parseLong(parts.get(2)), parts.get(3));
            if (sort.isTime()) {
                Instant.parse(decoded.value());
            }
            return decoded;
        }
        catch (NumberFormatException | DateTimeParseException ex) {
            throw Cursors.invalid();
        }
    }
}
