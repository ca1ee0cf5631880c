package dev.kapi.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import dev.kapi.shared.ApiException;

/**
 * The opaque {@code cursor} of a list: the sort order and the sort value and id of the last event a page
 * showed, so that the next page starts right after it in one index range however deep it is. A cursor
 * only fits the order it was made for.
 */
record EventCursor(EventSort sort, boolean descending, long id, String value) {

    static EventCursor after(Event event, EventSort sort, boolean descending) {
        return new EventCursor(sort, descending, event.id(), event.sortValue(sort));
    }

    String encode() {
        String plain = sort.parameter() + "|" + (descending ? "d" : "a") + "|" + id + "|" + value;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor given with a list request whose order is {@code sort}/{@code descending}. */
    static EventCursor decode(String cursor, EventSort sort, boolean descending) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals(sort.parameter())
                    || !parts[1].equals(descending ? "d" : "a")) {
                throw invalid();
            }
            EventCursor decoded = new EventCursor(sort, descending, Long.parseLong(parts[2]), parts[3]);
            if (sort.isTime()) {
                Instant.parse(decoded.value());
            }
            return decoded;
        }
        catch (IllegalArgumentException | DateTimeParseException ex) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.invalidField("cursor", "invalid-cursor");
    }
}
