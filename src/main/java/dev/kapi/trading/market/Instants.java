package dev.kapi.trading.market;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.SqlTime;

/** Instants as requests give them. */
public final class Instants {

    private Instants() {
    }

    /** An ISO 8601 instant that names its zone; the error names the field. */
    public static Instant parse(String value, String field) {
        try {
            return SqlTime.requireInRange(OffsetDateTime.parse(value.strip()).toInstant(), field);
        }
        catch (DateTimeParseException ex) {
            throw ApiException.invalidField(field, "invalid-datetime");
        }
    }

}
