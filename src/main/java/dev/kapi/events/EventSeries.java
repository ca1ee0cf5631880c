package dev.kapi.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** The recurring series: each one's rule, excluded dates and time zone. */
@Repository
class EventSeries {

    /** A series as stored. */
    record Series(long id, String rrule, List<String> exdates, String timezone, Long createdBy, Instant createdAt,
            Instant updatedAt, Instant deletedAt) {
    }

    private final JdbcClient jdbc;

    EventSeries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String rrule, List<String> exdates, String timezone, long createdBy, Instant now) {
        return jdbc.sql("""
                INSERT INTO event_series (rrule, exdates, timezone, created_by, created_at, updated_at)
                VALUES (:rrule, :exdates, :timezone, :createdBy, :now, :now) RETURNING id""")
            .param("rrule", rrule)
            .param("exdates", String.join(" ", exdates))
            .param("timezone", timezone)
            .param("createdBy", createdBy)
            .param("now", utc(now))
            .query(Long.class)
            .single();
    }

    Optional<Series> byId(long id) {
        return jdbc.sql("SELECT * FROM event_series WHERE id = :id").param("id", id).query(EventSeries::map).optional();
    }

    void touch(long id, Instant now) {
        jdbc.sql("UPDATE event_series SET updated_at = :now WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    void delete(long id, Instant now) {
        jdbc.sql("UPDATE event_series SET deleted_at = :now, updated_at = :now WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    void forgetAccount(long accountId) {
        jdbc.sql("UPDATE event_series SET created_by = NULL WHERE created_by = :id").param("id", accountId).update();
    }

    private static Series map(ResultSet rs, int row) throws SQLException {
        String exdates = rs.getString("exdates");
        return new Series(rs.getLong("id"), rs.getString("rrule"),
                exdates.isBlank() ? List.of() : Arrays.asList(exdates.split(" ")), rs.getString("timezone"),
                rs.getObject("created_by", Long.class), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "deleted_at"));
    }

}
