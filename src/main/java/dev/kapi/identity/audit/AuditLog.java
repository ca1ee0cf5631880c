package dev.kapi.identity.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The security audit trail: who did what to which account, from where and when. Entries
 * are written in the transaction of the action they record, so an action and its entry
 * stand or fall together.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;

    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One recorded event. */
    record Entry(long id, AuditType type, Long actorId, Long targetId, String ip, Instant occurredAt, String details) {
    }

    /** What to list: each part optional. */
    record Query(Long user, AuditType type, Instant from, Instant to, Long before, int limit) {
    }

    public void record(AuditType type, Long actorId, Long targetId, String details) {
        record(type, actorId, targetId, clientIp(), clock.instant(), details);
    }

    /**
     * An entry for a request handled after it was answered: its client's address and time
     * are given.
     */
    public void record(AuditType type, Long actorId, Long targetId, String ip, Instant occurredAt, String details) {
        jdbc.sql("""
                INSERT INTO audit_events (type, actor_id, target_id, ip, occurred_at, details)
                VALUES (:type, :actor, :target, :ip, :now, :details)
                """)
            .param("type", type.value())
            .param("actor", actorId)
            .param("target", targetId)
            .param("ip", ip)
            .param("now", utc(occurredAt))
            .param("details", details)
            .update();
    }

    /**
     * Whether an event of the type was recorded for the account since the given instant.
     */
    public boolean recorded(AuditType type, long targetId, Instant since) {
        return jdbc
            .sql("SELECT EXISTS (SELECT 1 FROM audit_events WHERE target_id = :target AND type = :type "
                    + "AND occurred_at >= :since)")
            .param("target", targetId)
            .param("type", type.value())
            .param("since", utc(since))
            .query(Boolean.class)
            .single();
    }

    /** Newest first; {@code before} is the id of the last entry of the previous page. */
    List<Entry> find(Query query) {
        return jdbc.sql("""
                SELECT * FROM audit_events
                WHERE (CAST(:user AS bigint) IS NULL OR target_id = :user OR actor_id = :user)
                  AND (CAST(:type AS text) IS NULL OR type = :type)
                  AND (CAST(:from AS timestamptz) IS NULL OR occurred_at >= :from)
                  AND (CAST(:to AS timestamptz) IS NULL OR occurred_at < :to)
                  AND (CAST(:before AS bigint) IS NULL OR id < :before)
                ORDER BY id DESC
                LIMIT :limit
                """)
            .param("user", query.user())
            .param("type", query.type() == null ? null : query.type().value())
            .param("from", utc(query.from()))
            .param("to", utc(query.to()))
            .param("before", query.before())
            .param("limit", query.limit())
            .query((rs, row) -> new Entry(rs.getLong("id"), AuditType.of(rs.getString("type")).orElseThrow(),
                    (Long) rs.getObject("actor_id"), (Long) rs.getObject("target_id"), rs.getString("ip"),
                    instant(rs, "occurred_at"), rs.getString("details")))
            .list();
    }

    /**
     * The address of the client whose request this thread serves; null outside a request.
     */
    public static String clientIp() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }

}
