package dev.kapi.messaging;

import java.util.List;
import java.util.function.ToLongFunction;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;

/**
 * The opaque {@code cursor} of messaging's lists, which are in id order: the id of the last row a page
 * showed. Lists ask for {@code limit + 1} rows; the extra one says that a next page exists.
 */
final class IdCursor {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private IdCursor() {
    }

    /** The id after which a page starts: 0 (or the largest id, descending) without a cursor. */
    static Long decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        List<String> parts = Cursors.decode(cursor, 2);
        if (!parts.get(0).equals("id")) {
            throw Cursors.invalid();
        }
        try {
            return Long.parseLong(parts.get(1));
        }
        catch (NumberFormatException ex) {
            throw Cursors.invalid();
        }
    }

    static String encode(long id) {
        return Cursors.encode("id", id);
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalidField("limit", "limit-invalid", MAX_LIMIT);
        }
    }

    /** A page of at most {@code limit} rows and the next page's cursor, null on the last. */
    record Page<T>(List<T> rows, String nextCursor) {

        static <T> Page<T> of(List<T> fetched, int limit, ToLongFunction<T> id) {
            if (fetched.size() > limit) {
                List<T> rows = fetched.subList(0, limit);
                return new Page<>(List.copyOf(rows), encode(id.applyAsLong(rows.getLast())));
            }
            return new Page<>(fetched, null);
        }
    }
}
