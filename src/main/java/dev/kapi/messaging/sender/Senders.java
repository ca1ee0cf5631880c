package dev.kapi.messaging.sender;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.messaging.queue.QueueStatus;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Sending accounts, and the worker's per-account state (token bucket, day count, circuit
 * breaker).
 */
@Repository
public class Senders {

    private final JdbcClient jdbc;

    Senders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The fields a user sets; the access token already sealed (null: keep). */
    record Fields(String name, String phone, String provider, String phoneNumberId, String wabaId, Double ratePerSecond,
            Integer dailyCap, SenderStatus status) {
    }

    long insert(long owner, Fields fields, Instant now) {
        return jdbc.sql("""
                INSERT INTO messaging_senders (owner_id, name, phone, provider, phone_number_id, waba_id,
                                               rate_per_second, daily_cap, status, created_at, updated_at)
                VALUES (:owner, :name, :phone, :provider, :phoneNumberId, :wabaId, :rate, :cap, :status, :now, :now)
                RETURNING id
                """)
            .param("owner", owner)
            .param("name", fields.name())
            .param("phone", fields.phone())
            .param("provider", fields.provider())
            .param("phoneNumberId", fields.phoneNumberId())
            .param("wabaId", fields.wabaId())
            .param("rate", fields.ratePerSecond())
            .param("cap", fields.dailyCap())
            .param("status", fields.status().wire())
            .param("now", utc(now))
            .query(Long.class)
            .single();
    }

    void update(long owner, long id, Fields fields, Instant now) {
        jdbc.sql(
                """
                        UPDATE messaging_senders SET name = :name, phone = :phone, provider = :provider,
                            phone_number_id = :phoneNumberId, waba_id = :wabaId, rate_per_second = :rate, daily_cap = :cap, status = :status,
                            updated_at = :now
                        WHERE id = :id AND owner_id = :owner
                        """)
            .param("name", fields.name())
            .param("phone", fields.phone())
            .param("provider", fields.provider())
            .param("phoneNumberId", fields.phoneNumberId())
            .param("wabaId", fields.wabaId())
            .param("rate", fields.ratePerSecond())
            .param("cap", fields.dailyCap())
            .param("status", fields.status().wire())
            .param("now", utc(now))
            .param("id", id)
            .param("owner", owner)
            .update();
    }

    void sealToken(long id, String sealed) {
        jdbc.sql("UPDATE messaging_senders SET access_token = :token WHERE id = :id")
            .param("token", sealed)
            .param("id", id)
            .update();
    }

    /** Closes the circuit breaker: after a user sets the account active again. */
    void resetBreaker(long id) {
        jdbc.sql(
                "UPDATE messaging_senders SET consecutive_failures = 0, paused_until = NULL, pause_reason = NULL WHERE id = :id")
            .param("id", id)
            .update();
    }

    public Optional<Sender> byId(long owner, long id) {
        return jdbc.sql("SELECT * FROM messaging_senders WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .query(Senders::map)
            .optional();
    }

    public List<Sender> byIds(Collection<Long> ids) {
        return jdbc.sql("SELECT * FROM messaging_senders WHERE id = ANY(:ids) ORDER BY id")
            .param("ids", ids.toArray(Long[]::new))
            .query(Senders::map)
            .list();
    }

    List<Sender> page(long owner, Long afterId, int limit) {
        return jdbc
            .sql("SELECT * FROM messaging_senders WHERE owner_id = :owner AND id > :after ORDER BY id LIMIT :limit")
            .param("owner", owner)
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(Senders::map)
            .list();
    }

    boolean delete(long owner, long id) {
        return jdbc.sql("DELETE FROM messaging_senders WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .update() == 1;
    }

    public Set<Long> owned(long owner, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT id FROM messaging_senders WHERE owner_id = :owner AND id = ANY(:ids)")
            .param("owner", owner)
            .param("ids", ids.toArray(Long[]::new))
            .query(Long.class)
            .list());
    }

    /**
     * The senders that receive a provider's callbacks for this WhatsApp phone-number id.
     */
    /**
     * The one sender of this WhatsApp number (the number is unique across tenants), if
     * any.
     */
    /**
     * Records Meta's number event for the senders of the business account with that
     * display number, unless a later event is recorded already; returns the owners of the
     * senders it changed.
     */
    public List<Long> recordQualityEvent(String wabaId, String displayPhone, String event, Instant at) {
        return jdbc.sql("""
                UPDATE messaging_senders SET quality_event = :event, quality_event_at = :at
                WHERE waba_id = :waba AND regexp_replace(phone, '[^0-9]', '', 'g') = :digits
                  AND (quality_event_at IS NULL OR quality_event_at <= :at)
                RETURNING owner_id
                """)
            .param("event", event)
            .param("at", utc(at))
            .param("waba", wabaId)
            .param("digits", displayPhone.replaceAll("[^0-9]", ""))
            .query(Long.class)
            .list()
            .stream()
            .distinct()
            .toList();
    }

    public Optional<Sender> byPhoneNumberId(String phoneNumberId) {
        return jdbc.sql("SELECT * FROM messaging_senders WHERE phone_number_id = :id")
            .param("id", phoneNumberId)
            .query(Senders::map)
            .optional();
    }

    /**
     * Active accounts that may send now (circuit closed) and have a running queue with
     * work; the worker takes them one by one.
     */
    public List<Sender> withWork(Instant now) {
        return jdbc.sql("""
                SELECT s.* FROM messaging_senders s
                WHERE s.status = :active AND (s.paused_until IS NULL OR s.paused_until <= :now)
                  AND EXISTS (SELECT 1 FROM messaging_queues q
                              WHERE q.status = %s AND q.owner_id = s.owner_id AND s.id = ANY(q.sender_ids))
                ORDER BY s.id
                """.formatted(QueueStatus.RUNNING.literal()))
            .param("active", SenderStatus.ACTIVE.wire())
            .param("now", utc(now))
            .query(Senders::map)
            .list();
    }

    /**
     * The sender, locked until the transaction ends, or empty if another worker holds it
     * (or it is gone).
     */
    public Optional<Sender> tryLock(long id) {
        return jdbc.sql("SELECT * FROM messaging_senders WHERE id = :id FOR UPDATE SKIP LOCKED")
            .param("id", id)
            .query(Senders::map)
            .optional();
    }

    /** The bucket and day count after a claim; the caller holds {@link #tryLock}. */
    public void claimed(long id, double tokens, Instant bucketAt, LocalDate day, int dayCount) {
        jdbc.sql("""
                UPDATE messaging_senders SET bucket_tokens = :tokens, bucket_at = :at, day = :day, day_count = :count
                WHERE id = :id
                """)
            .param("tokens", tokens)
            .param("at", utc(bucketAt))
            .param("day", Date.valueOf(day))
            .param("count", dayCount)
            .param("id", id)
            .update();
    }

    /** What the owner's accounts claimed on {@code day} (for the owner's daily cap). */
    public int ownerCount(long owner, LocalDate day) {
        return jdbc
            .sql("SELECT coalesce(sum(day_count), 0) FROM messaging_senders WHERE owner_id = :owner AND day = :day")
            .param("owner", owner)
            .param("day", Date.valueOf(day))
            .query(Integer.class)
            .single();
    }

    /** Successes close the breaker's count; failures add to it. */
    public void recordOutcome(long id, int successes, int failures) {
        jdbc.sql(
                """
                        UPDATE messaging_senders
                        SET consecutive_failures = CASE WHEN :successes > 0 THEN :failures ELSE consecutive_failures + :failures END
                        WHERE id = :id
                        """)
            .param("successes", successes)
            .param("failures", failures)
            .param("id", id)
            .update();
    }

    public int consecutiveFailures(long id) {
        return jdbc.sql("SELECT consecutive_failures FROM messaging_senders WHERE id = :id")
            .param("id", id)
            .query(Integer.class)
            .optional()
            .orElse(0);
    }

    public void openBreaker(long id, Instant until, String reason) {
        jdbc.sql("""
                UPDATE messaging_senders SET paused_until = :until, pause_reason = :reason, consecutive_failures = 0
                WHERE id = :id
                """).param("until", utc(until)).param("reason", reason).param("id", id).update();
    }

    /**
     * The sender's one move of an account: a provider suspended it (from any status, see
     * {@link SenderStatus#successors}).
     */
    public void markBannedSuspected(long id, String reason, Instant now) {
        jdbc.sql(
                "UPDATE messaging_senders SET status = :status, pause_reason = :reason, updated_at = :now WHERE id = :id")
            .param("status", SenderStatus.BANNED_SUSPECTED.wire())
            .param("reason", reason)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /** Every sending account of the owner (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_senders WHERE owner_id = :owner").param("owner", owner).update();
    }

    /**
     * The region numbers without a country code are read in: given, else the sender's own
     * number's country.
     */
    void setDefaultRegion(long id, String region) {
        jdbc.sql("UPDATE messaging_senders SET default_region = :region WHERE id = :id")
            .param("region", region)
            .param("id", id)
            .update();
    }

    private static Sender map(ResultSet rs, int n) throws SQLException {
        Date day = rs.getDate("day");
        return new Sender(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"), rs.getString("phone"),
                rs.getString("provider"), rs.getString("phone_number_id"), rs.getString("waba_id"),
                rs.getString("access_token"), rs.getObject("rate_per_second", Double.class),
                rs.getObject("daily_cap", Integer.class), SenderStatus.of(rs.getString("status")),
                rs.getDouble("bucket_tokens"), instant(rs, "bucket_at"), day == null ? null : day.toLocalDate(),
                rs.getInt("day_count"), rs.getInt("consecutive_failures"), instant(rs, "paused_until"),
                rs.getString("pause_reason"), instant(rs, "created_at"), instant(rs, "updated_at"),
                rs.getString("default_region"), rs.getString("quality_event"));
    }

}
