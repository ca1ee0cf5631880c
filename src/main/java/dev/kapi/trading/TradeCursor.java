package dev.kapi.trading;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import dev.kapi.shared.ApiException;

/** The opaque {@code cursor} of a trade list: the time and id of the last trade a page showed (newest first). */
record TradeCursor(Instant executedAt, long id) {

    static TradeCursor after(Trade trade) {
        return new TradeCursor(trade.executedAt(), trade.id());
    }

    String encode() {
        String plain = executedAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static TradeCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 2);
            if (parts.length != 2) {
                throw invalid();
            }
            return new TradeCursor(Instant.parse(parts[0]), Long.parseLong(parts[1]));
        }
        catch (IllegalArgumentException | DateTimeParseException ex) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.invalidField("cursor", "invalid-cursor");
    }
}
