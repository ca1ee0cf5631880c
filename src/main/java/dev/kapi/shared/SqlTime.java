package dev.kapi.shared;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How instants cross JDBC everywhere in Kapı: as {@code timestamptz} in UTC. */
public final class SqlTime {

    private SqlTime() {
    }

    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * A parameter value for a {@code timestamptz} column. An instant PostgreSQL cannot
     * store (or that no user means: before 1900, after 9999) is the client's mistake,
     * answered with a 400.
     */
    public static OffsetDateTime utc(Instant instant) {
        if (instant == null) {
            return null;
        }
        if (outOfRange(instant)) {
            throw ApiException.badRequest("date-out-of-range");
        }
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * An instant a client gave in {@code field}: a 400 naming it when it is before 1900
     * or after 9999.
     */
    public static Instant requireInRange(Instant instant, String field) {
        if (instant != null && outOfRange(instant)) {
            throw ApiException.invalidField(field, "date-out-of-range");
        }
        return instant;
    }

    private static boolean outOfRange(Instant instant) {
        return instant.isBefore(EARLIEST) || instant.isAfter(LATEST);
    }

    /** A {@code timestamptz} column as an instant, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

}
