package dev.kapi.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The one encoding of keyset cursors: the sort key of a page's last row, as text parts
 * joined by {@code |}, then base64url. Opaque to clients; anything that does not decode
 * is a 400 naming {@code cursor}. Each list decides what its parts mean.
 */
public final class Cursors {

    /**
     * How deep offset paging (seed 003's {@code skip}) may go. An offset is read and
     * thrown away row by row, so a deep one is slow; past this, the list's cursor goes on
     * at the cost of one page.
     */
    public static final int MAX_SKIP = 100_000;

    private Cursors() {
    }

    public static String encode(Object... parts) {
        StringBuilder plain = new StringBuilder();
        for (Object part : parts) {
            plain.append(plain.isEmpty() ? "" : "|").append(part);
        }
        return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(plain.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor's parts; exactly {@code count} of them (the last may itself contain
     * {@code |}).
     */
    public static List<String> decode(String cursor, int count) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            List<String> parts = List.of(plain.split("\\|", count));
            if (parts.size() != count) {
                throw invalid();
            }
            return parts;
        }
        catch (IllegalArgumentException ex) {
            throw invalid();
        }
    }

    /** The cursor of every id-ordered list: the id of the last row a page showed. */
    public static String ofId(long id) {
        return encode(id);
    }

    /** The id after which a page of an id-ordered list starts; null without a cursor. */
    public static Long afterId(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        return longPart(decode(cursor, 1), 0);
    }

    /**
     * Part {@code index} of a decoded cursor as a number: a 400 naming {@code cursor}
     * when it is not one.
     */
    private static long longPart(List<String> parts, int index) {
        try {
            return Long.parseLong(parts.get(index));
        }
        catch (NumberFormatException ex) {
            throw invalid();
        }
    }

    /** A cursor that decoded but does not fit the list it was sent to. */
    public static ApiException invalid() {
        return ApiException.invalidField("cursor", "invalid-cursor");
    }

}
