package dev.kapi.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The registration table. Every change of a registration's status happens while its
 * event's row is locked ({@link Events#lock}), which serializes them per event across
 * instances.
 */
@Repository
class Registrations {

    private static final String SELECT = """
            SELECT id, event_id, account_id, status, note, ticket_code, waitlisted_at, checked_in_at, created_at,
                   updated_at
            FROM event_registrations
            """;

    private final JdbcClient jdbc;

    Registrations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Registration> of(long eventId, long accountId) {
        return jdbc.sql(SELECT + " WHERE event_id = :eventId AND account_id = :accountId")
            .param("eventId", eventId)
            .param("accountId", accountId)
            .query(Registrations::map)
            .optional();
    }

    Optional<Registration> byId(long id) {
        return jdbc.sql(SELECT + " WHERE id = :id").param("id", id).query(Registrations::map).optional();
    }

    /** A new registration, or the account's cancelled one taken up again. */
    Registration save(long eventId, long accountId, String status, String note, String ticketCode, Instant now) {
        return jdbc.sql("""
                INSERT INTO event_registrations (event_id, account_id, status, note, ticket_code, waitlisted_at,
                                                 created_at, updated_at)
                VALUES (:eventId, :accountId, :status, :note, :ticket, CASE WHEN :status = 'waitlisted' THEN :now END,
                        :now, :now)
                ON CONFLICT (event_id, account_id) DO UPDATE
                    SET status = EXCLUDED.status, note = EXCLUDED.note,
                        ticket_code = coalesce(event_registrations.ticket_code, EXCLUDED.ticket_code),
                        waitlisted_at = EXCLUDED.waitlisted_at, updated_at = EXCLUDED.updated_at
                RETURNING id, event_id, account_id, status, note, ticket_code, waitlisted_at, checked_in_at,
                          created_at, updated_at
                """)
            .param("eventId", eventId)
            .param("accountId", accountId)
            .param("status", status)
            .param("note", note)
            .param("ticket", ticketCode)
            .param("now", utc(now))
            .query(Registrations::map)
            .single();
    }

    /**
     * Moves a registration to {@code status}; a confirmed one keeps the ticket it has or
     * gets {@code ticketCode}.
     */
    Registration move(long id, String status, String ticketCode, Instant now) {
        return jdbc.sql("""
                UPDATE event_registrations
                SET status = :status, updated_at = :now,
                    ticket_code = CASE WHEN :status = 'confirmed' THEN coalesce(ticket_code, :ticket)
                                       ELSE ticket_code END,
                    waitlisted_at = CASE WHEN :status = 'waitlisted' THEN :now END
                WHERE id = :id
                RETURNING id, event_id, account_id, status, note, ticket_code, waitlisted_at, checked_in_at,
                          created_at, updated_at
                """)
            .param("status", status)
            .param("ticket", ticketCode)
            .param("now", utc(now))
            .param("id", id)
            .query(Registrations::map)
            .single();
    }

    /** The first of an event's waiting list. */
    Optional<Registration> firstWaiting(long eventId) {
        return jdbc.sql(SELECT + """
                 WHERE event_id = :eventId AND status = 'waitlisted'
                 ORDER BY waitlisted_at, id
                 LIMIT 1
                """).param("eventId", eventId).query(Registrations::map).optional();
    }

    /**
     * Checks the confirmed registration with this ticket in; empty when there is none or
     * it was checked in already.
     */
    Optional<Registration> checkIn(long eventId, String ticketCode, Instant now) {
        return jdbc.sql("""
                UPDATE event_registrations SET checked_in_at = :now, updated_at = :now
                WHERE event_id = :eventId AND ticket_code = :ticket AND status = 'confirmed' AND checked_in_at IS NULL
                RETURNING id, event_id, account_id, status, note, ticket_code, waitlisted_at, checked_in_at,
                          created_at, updated_at
                """)
            .param("now", utc(now))
            .param("eventId", eventId)
            .param("ticket", ticketCode)
            .query(Registrations::map)
            .optional();
    }

    /** The confirmed registration of this event with this ticket. */
    Optional<Registration> byTicket(long eventId, String ticketCode) {
        return jdbc.sql(SELECT + " WHERE event_id = :eventId AND ticket_code = :ticket AND status = 'confirmed'")
            .param("eventId", eventId)
            .param("ticket", ticketCode)
            .query(Registrations::map)
            .optional();
    }

    /** A page of an event's registrations in id order, {@code limit + 1} at most. */
    List<Registration> ofEvent(long eventId, String status, Long afterId, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE event_id = :eventId AND (CAST(:status AS text) IS NULL OR status = :status)
                   AND id > :after
                 ORDER BY id
                 LIMIT :fetch
                """)
            .param("eventId", eventId)
            .param("status", status)
            .param("after", afterId == null ? 0 : afterId)
            .param("fetch", limit + 1)
            .query(Registrations::map)
            .list();
    }

    /** A page of an account's registrations in id order, {@code limit + 1} at most. */
    List<Registration> ofAccount(long accountId, Long afterId, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE account_id = :accountId AND id > :after
                 ORDER BY id
                 LIMIT :fetch
                """)
            .param("accountId", accountId)
            .param("after", afterId == null ? 0 : afterId)
            .param("fetch", limit + 1)
            .query(Registrations::map)
            .list();
    }

    /**
     * The registrations of an event that hold a seat, a place in line or await approval.
     */
    List<Registration> activeOf(long eventId) {
        return jdbc.sql(SELECT + """
                WHERE event_id = :eventId AND status IN ('confirmed', 'waitlisted', 'pending_approval')
                ORDER BY id""").param("eventId", eventId).query(Registrations::map).list();
    }

    /** The events in which the account holds an active registration. */
    List<Long> activeEventsOf(long accountId) {
        return jdbc.sql("""
                SELECT event_id FROM event_registrations
                WHERE account_id = :accountId AND status IN ('confirmed', 'waitlisted', 'pending_approval')
                """).param("accountId", accountId).query(Long.class).list();
    }

    /** The statuses of an account's registrations for the given events, by event id. */
    java.util.Map<Long, String> statusesOf(long accountId, List<Long> eventIds) {
        java.util.Map<Long, String> statuses = new java.util.HashMap<>();
        jdbc.sql("""
                SELECT event_id, status FROM event_registrations
                WHERE account_id = :accountId AND event_id = ANY(:ids)""")
            .param("accountId", accountId)
            .param("ids", eventIds.toArray(Long[]::new))
            .query((rs, row) -> statuses.put(rs.getLong("event_id"), rs.getString("status")))
            .list();
        return statuses;
    }

    void deleteOf(long accountId) {
        jdbc.sql("DELETE FROM event_registrations WHERE account_id = :accountId")
            .param("accountId", accountId)
            .update();
    }

    private static Registration map(ResultSet rs, int row) throws SQLException {
        return new Registration(rs.getLong("id"), rs.getLong("event_id"), rs.getLong("account_id"),
                rs.getString("status"), rs.getString("note"), rs.getString("ticket_code"), instant(rs, "waitlisted_at"),
                instant(rs, "checked_in_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

}
