package dev.kapi.messaging.queue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.messaging.queue.MessageStatus.CANCELLED;
import static dev.kapi.messaging.queue.MessageStatus.DEFERRED;
import static dev.kapi.messaging.queue.MessageStatus.DELIVERED;
import static dev.kapi.messaging.queue.MessageStatus.FAILED;
import static dev.kapi.messaging.queue.MessageStatus.PENDING;
import static dev.kapi.messaging.queue.MessageStatus.READ;
import static dev.kapi.messaging.queue.MessageStatus.SENDING;
import static dev.kapi.messaging.queue.MessageStatus.SENT;
import static dev.kapi.messaging.queue.MessageStatus.SKIPPED;
import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The recipient rows of queues (written by {@link Recipients}): claiming with
 * {@code FOR UPDATE SKIP LOCKED}, recording outcomes, and provider callbacks that never
 * move a message backwards. Every change of a row's status is a move its
 * {@link MessageStatus} allows, bound from the enum.
 */
@Repository
public class QueueMessages {

    /**
     * The message a provider's status names, for a row {@code u} of an {@code unnest} of
     * the provider's ids ({@code pid}) and Kapı's keys ({@code message_id}): by the
     * provider's id, or by Kapı's key before that was recorded, unless the id is of an
     * earlier send that Meta's per-user marketing cap superseded.
     */
    private static final String NAMED = """
            (m.provider_message_id = u.pid
             OR (m.provider_message_id IS NULL AND m.id = u.message_id
                 AND (m.superseded_provider_message_ids IS NULL
                      OR NOT (u.pid = ANY(m.superseded_provider_message_ids)))))""";

    /**
     * The error code of a message whose send's outcome was lost in a crash: failed, and
     * sent after all if its provider later reports so.
     */
    public static final String UNKNOWN_OUTCOME = "outcome-unknown";

    /**
     * The error code of a message Meta's per-user marketing cap kept from its recipient
     * after every deferral.
     */
    public static final String MARKETING_LIMIT = "per-user-marketing-limit";

    private final JdbcClient jdbc;

    QueueMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A claimed message with what is needed to render and send it. */
    public record Claimed(long id, long queueId, long ownerId, String phone, String name, String fields, int attempts) {
    }

    /**
     * A message left in {@code sending} by a worker that died, re-claimed for a lookup.
     */
    public record Abandoned(long id, long queueId, long ownerId, Long senderId, int attempts) {
    }

    /** An outcome of a send to record. */
    public record Outcome(long id, MessageStatus status, String providerMessageId, String errorCode, String errorReason,
            Boolean retryable, Duration retryAfter) {
    }

    /**
     * When the last of a queue's pending messages is due (a graylist pace or a messaging
     * tier pushed it), if any.
     */
    Instant lastDue(long queueId) {
        return jdbc
            .sql("SELECT max(due_at) AS due FROM messaging_messages WHERE queue_id = :id AND status = "
                    + PENDING.literal())
            .param("id", queueId)
            .query((rs, n) -> instant(rs, "due"))
            .single();
    }

    /**
     * Claims up to {@code limit} due pending messages of one queue for a sending account
     * and worker: they stay {@code pending} with this worker's claim (a lease until
     * {@code claimed_at} is older than {@code leaseCutoff}); rows locked by another
     * worker's claim, or claimed by a live one, are skipped, so no message is claimed
     * twice.
     */
    public List<Claimed> claim(long queueId, long senderId, String worker, int limit, Instant now,
            Instant leaseCutoff) {
        return jdbc.sql("""
                WITH picked AS (
                    SELECT id, customer_id FROM messaging_messages
                    WHERE queue_id = :queueId AND status = %s AND due_at <= :now
                      AND (claimed_at IS NULL OR claimed_at < :leaseCutoff)
                    ORDER BY due_at, id
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE messaging_messages m
                SET sender_id = :senderId, claimed_at = :now, claimed_by = :worker, updated_at = :now
                FROM picked p LEFT JOIN messaging_customers c ON c.id = p.customer_id
                WHERE m.id = p.id
                RETURNING m.id, m.queue_id, m.owner_id, m.phone, c.name, CAST(c.fields AS text) AS fields, m.attempts
                """.formatted(PENDING.literal()))
            .param("queueId", queueId)
            .param("now", utc(now))
            .param("limit", limit)
            .param("senderId", senderId)
            .param("worker", worker)
            .param("leaseCutoff", utc(leaseCutoff))
            .query((rs, n) -> new Claimed(rs.getLong("id"), rs.getLong("queue_id"), rs.getLong("owner_id"),
                    rs.getString("phone"), rs.getString("name"), rs.getString("fields"), rs.getInt("attempts")))
            .list();
    }

    /**
     * A claimed message becomes {@code sending} just before its provider call (one
     * attempt more); returns its attempts, or -1 when it is no longer pending with this
     * worker's claim.
     */
    public int begin(long id, String worker, Instant now) {
        return moving(jdbc.sql("""
                UPDATE messaging_messages SET status = :to, attempts = attempts + 1, claimed_at = :now,
                    updated_at = :now
                WHERE id = :id AND status = ANY(:from) AND claimed_by = :worker
                RETURNING attempts
                """), SENDING, PENDING).param("id", id)
            .param("worker", worker)
            .param("now", utc(now))
            .query(Integer.class)
            .optional()
            .orElse(-1);
    }

    /**
     * Claimed messages become {@code sending} together, just before their provider calls
     * (one attempt more each); returns the attempts of each, leaving out those no longer
     * pending with this worker's claim.
     */
    public Map<Long, Integer> beginAll(Collection<Long> ids, String worker, Instant now) {
        Map<Long, Integer> attempts = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return attempts;
        }
        moving(jdbc.sql("""
                UPDATE messaging_messages SET status = :to, attempts = attempts + 1, claimed_at = :now,
                    updated_at = :now
                WHERE id = ANY(:ids) AND status = ANY(:from) AND claimed_by = :worker
                RETURNING id, attempts
                """), SENDING, PENDING).param("ids", ids.toArray(Long[]::new))
            .param("worker", worker)
            .param("now", utc(now))
            .query(rs -> {
                attempts.put(rs.getLong("id"), rs.getInt("attempts"));
            });
        return attempts;
    }

    /**
     * Claimed messages that the business account's messaging tier does not let out now:
     * pending again, free for any worker, due when the tier's window rolls.
     */
    public void defer(Collection<Long> ids, String worker, Instant dueAt, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE messaging_messages SET sender_id = NULL, claimed_at = NULL, claimed_by = NULL, due_at = :due,
                    updated_at = :now
                WHERE id = ANY(:ids) AND status = %s AND claimed_by = :worker
                """.formatted(PENDING.literal()))
            .param("ids", ids.toArray(Long[]::new))
            .param("worker", worker)
            .param("due", utc(dueAt))
            .param("now", utc(now))
            .update();
    }

    /**
     * Re-claims messages whose claim is older than {@code cutoff}: their worker died
     * between send and record.
     */
    public List<Abandoned> claimAbandoned(Instant cutoff, String worker, int limit, Instant now) {
        return jdbc.sql("""
                WITH picked AS (
                    SELECT id FROM messaging_messages
                    WHERE status = %s AND claimed_at < :cutoff
                    ORDER BY claimed_at
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE messaging_messages m SET claimed_at = :now, claimed_by = :worker
                FROM picked p WHERE m.id = p.id
                RETURNING m.id, m.queue_id, m.owner_id, m.sender_id, m.attempts
                """.formatted(SENDING.literal()))
            .param("cutoff", utc(cutoff))
            .param("limit", limit)
            .param("now", utc(now))
            .param("worker", worker)
            .query((rs, n) -> new Abandoned(rs.getLong("id"), rs.getLong("queue_id"), rs.getLong("owner_id"),
                    rs.getObject("sender_id", Long.class), rs.getInt("attempts")))
            .list();
    }

    /**
     * Records the sends that the provider accepted, in one statement. Only messages still
     * in sending move.
     */
    public void markSent(List<Long> ids, List<String> providerIds, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        moving(jdbc.sql("""
                UPDATE messaging_messages m
                SET status = :to, provider_message_id = r.pid, sent_at = :now, updated_at = :now,
                    error_code = NULL, error_reason = NULL, retryable = NULL
                FROM unnest(CAST(:ids AS bigint[]), CAST(:pids AS text[])) AS r (id, pid)
                WHERE m.id = r.id AND m.status = ANY(:from)
                """), SENT, SENDING).param("ids", ids.toArray(Long[]::new))
            .param("pids", providerIds.toArray(String[]::new))
            .param("now", utc(now))
            .update();
    }

    /** Moves messages in sending to failed, with their codes and reasons. */
    public void markFailed(List<Outcome> failures, Instant now) {
        if (failures.isEmpty()) {
            return;
        }
        moving(jdbc.sql("""
                UPDATE messaging_messages m
                SET status = :to, error_code = r.code, error_reason = r.reason, retryable = r.retryable,
                    failed_at = :now, updated_at = :now
                FROM unnest(CAST(:ids AS bigint[]), CAST(:codes AS text[]), CAST(:reasons AS text[]),
                            CAST(:retryable AS boolean[])) AS r (id, code, reason, retryable)
                WHERE m.id = r.id AND m.status = ANY(:from)
                """), FAILED, SENDING).param("ids", failures.stream().map(Outcome::id).toArray(Long[]::new))
            .param("codes", failures.stream().map(Outcome::errorCode).toArray(String[]::new))
            .param("reasons", failures.stream().map(Outcome::errorReason).toArray(String[]::new))
            .param("retryable", failures.stream().map(Outcome::retryable).toArray(Boolean[]::new))
            .param("now", utc(now))
            .update();
    }

    /**
     * Puts messages in sending back to pending, due after their delay; {@code uncount}
     * takes back the attempt their claim counted (they never reached the provider).
     */
    public void release(List<Outcome> releases, boolean uncount, Instant now) {
        if (releases.isEmpty()) {
            return;
        }
        moving(jdbc.sql("""
                UPDATE messaging_messages m
                SET status = :to, due_at = CAST(:now AS timestamptz) + make_interval(secs => r.delay),
                    error_code = coalesce(r.code, m.error_code), error_reason = coalesce(r.reason, m.error_reason),
                    attempts = CASE WHEN :uncount THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
                    sender_id = NULL, claimed_at = NULL, claimed_by = NULL, updated_at = :now
                FROM unnest(CAST(:ids AS bigint[]), CAST(:delays AS float8[]), CAST(:codes AS text[]),
                            CAST(:reasons AS text[])) AS r (id, delay, code, reason)
                WHERE m.id = r.id AND m.status = ANY(:from)
                """), PENDING, SENDING).param("ids", releases.stream().map(Outcome::id).toArray(Long[]::new))
            .param("delays",
                    releases.stream()
                        .map(r -> r.retryAfter() == null ? 0.0 : r.retryAfter().toMillis() / 1000.0)
                        .toArray(Double[]::new))
            .param("codes", releases.stream().map(Outcome::errorCode).toArray(String[]::new))
            .param("reasons", releases.stream().map(Outcome::errorReason).toArray(String[]::new))
            .param("uncount", uncount)
            .param("now", utc(now))
            .update();
    }

    /** Messages claimed but not to be sent (the number was blacklisted meanwhile). */
    public void skip(Collection<Long> ids, String code, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        moving(jdbc.sql("""
                UPDATE messaging_messages SET status = :to, error_code = :code, updated_at = :now
                WHERE id = ANY(:ids) AND status = ANY(:from)
                """), SKIPPED, PENDING, SENDING).param("ids", ids.toArray(Long[]::new))
            .param("code", code)
            .param("now", utc(now))
            .update();
    }

    /** Messages per status of a queue; every status is a key. */
    Map<String, Long> counts(long queueId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        MessageStatus.WIRE_NAMES.forEach(status -> counts.put(status, 0L));
        jdbc.sql("SELECT status, count(*) AS n FROM messaging_messages WHERE queue_id = :id GROUP BY status")
            .param("id", queueId)
            .query(rs -> {
                counts.put(rs.getString("status"), rs.getLong("n"));
            });
        return counts;
    }

    /** The credits held for a queue's pending messages (what its start reserves). */
    long heldPending(long queueId) {
        return jdbc
            .sql("SELECT coalesce(sum(credits_held), 0) FROM messaging_messages WHERE queue_id = :id AND status = "
                    + PENDING.literal())
            .param("id", queueId)
            .query(Long.class)
            .single();
    }

    /**
     * The credits held for a queue's failures a retry may cure (what a retry reserves).
     */
    long heldRetryable(long queueId) {
        return jdbc.sql("""
                SELECT coalesce(sum(credits_held), 0) FROM messaging_messages
                WHERE queue_id = :id AND status = :failed AND retryable
                """).param("id", queueId).param("failed", FAILED.wire()).query(Long.class).single();
    }

    /**
     * Whether any of a queue's sent messages still waits for Meta's word on its price:
     * sent after {@code cutoff}, not failed, and not priced ({@code priced_at}: charged,
     * or delivered with a non-billable block). The failed status is a literal from the
     * enum, so the partial index of unpriced messages serves the query.
     */
    boolean awaitingCharge(long queueId, Instant cutoff) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM messaging_messages
                               WHERE queue_id = :id AND sent_at > :cutoff AND priced_at IS NULL
                                 AND sent_at IS NOT NULL AND status <> %s)
                """.formatted(FAILED.literal()))
            .param("id", queueId)
            .param("cutoff", utc(cutoff))
            .query(Boolean.class)
            .single();
    }

    /** A pricing block Meta reported (as JSON) for {@link #recordPricing}. */
    public record Priced(String providerMessageId, long messageId, String pricing, boolean billable) {
    }

    /**
     * Keeps, for each message named, the last of its pricing blocks in {@code priced}
     * (their order of arrival), in one statement whatever their number; a message that
     * reached delivered and has a non-billable block among them is priced: Meta will
     * charge it nothing.
     */
    public void recordPricing(List<Priced> priced, Instant now) {
        if (priced.isEmpty()) {
            return;
        }
        Map<String, Priced> last = new LinkedHashMap<>();
        Set<String> unbilled = new java.util.HashSet<>();
        for (Priced one : priced) {
            String key = one.providerMessageId() + " " + one.messageId();
            last.put(key, one);
            if (!one.billable()) {
                unbilled.add(key);
            }
        }
        List<Map.Entry<String, Priced>> rows = List.copyOf(last.entrySet());
        jdbc.sql("""
                UPDATE messaging_messages m SET pricing = CAST(u.pricing AS jsonb),
                    priced_at = CASE WHEN u.unbilled AND m.status = ANY(:reached) THEN coalesce(m.priced_at, :now)
                                     ELSE m.priced_at END
                FROM unnest(CAST(:pids AS text[]), CAST(:ids AS bigint[]), CAST(:pricings AS text[]),
                            CAST(:unbilled AS boolean[])) AS u(pid, message_id, pricing, unbilled)
                WHERE %s
                """.formatted(NAMED))
            .param("pids", rows.stream().map(row -> row.getValue().providerMessageId()).toArray(String[]::new))
            .param("ids", rows.stream().map(row -> row.getValue().messageId()).toArray(Long[]::new))
            .param("pricings", rows.stream().map(row -> row.getValue().pricing()).toArray(String[]::new))
            .param("unbilled", rows.stream().map(row -> unbilled.contains(row.getKey())).toArray(Boolean[]::new))
            .param("reached", MessageStatus.wires(List.of(DELIVERED, READ)))
            .param("now", utc(now))
            .update();
    }

    long inFlight(long queueId) {
        return jdbc
            .sql("SELECT count(*) FROM messaging_messages WHERE queue_id = :id AND status = " + SENDING.literal())
            .param("id", queueId)
            .query(Long.class)
            .single();
    }

    int cancelPending(long queueId, Instant now) {
        return moving(jdbc.sql("""
                UPDATE messaging_messages SET status = :to, updated_at = :now
                WHERE queue_id = :id AND status = ANY(:from)
                """), CANCELLED, PENDING, DEFERRED).param("id", queueId).param("now", utc(now)).update();
    }

    /**
     * Messages Meta's per-user marketing cap kept from their recipients, being sent
     * ({@code ids}): deferred for the next of {@code delays} (the first for a first
     * deferral), or, after the last, failed as {@link #MARKETING_LIMIT} (retryable).
     * Either way they are no longer sent (no credits spent for them).
     */
    public void defer(Collection<Long> ids, List<Duration> delays, String code, String reason, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        deferring("m.id = ANY(:ids)", null, delays, code, reason, now, SENDING).param("ids", ids.toArray(Long[]::new))
            .query(Long.class)
            .list();
    }

    /**
     * Meta's {@code failed} callback with the per-user marketing cap for a message being
     * sent or sent (by the provider's id, else Kapı's key, never a resend's earlier id):
     * deferred or failed as {@link #defer} does; returns the queue of the message it
     * moved, if it moved one.
     */
    public java.util.Optional<Long> deferReported(String providerMessageId, long messageId, List<Duration> delays,
            String code, String reason, Instant now) {
        return deferring("""
                (m.provider_message_id = :pid
                 OR (m.provider_message_id IS NULL AND m.id = :messageId
                     AND (m.superseded_provider_message_ids IS NULL
                          OR NOT (:pid = ANY(m.superseded_provider_message_ids)))))""", providerMessageId, delays, code,
                reason, now, SENDING, SENT)
            .param("pid", providerMessageId)
            .param("messageId", messageId)
            .query(Long.class)
            .optional();
    }

    /**
     * One update that defers the matching messages for their next delay or, after the
     * last, fails them; the provider's id of the send is kept as superseded, so that its
     * late callbacks never reach the resend.
     */
    private JdbcClient.StatementSpec deferring(String match, String reported, List<Duration> delays, String code,
            String reason, Instant now, MessageStatus... from) {
        for (MessageStatus status : from) {
            status.to(DEFERRED);
            status.to(FAILED);
        }
        return jdbc
            .sql("""
                    UPDATE messaging_messages m
                    SET status = CASE WHEN m.deferrals < :max THEN :deferred ELSE :failed END,
                        due_at = CASE WHEN m.deferrals < :max
                            THEN CAST(:now AS timestamptz) + make_interval(secs => (CAST(:delays AS float8[]))[m.deferrals + 1])
                            ELSE m.due_at END,
                        deferrals = least(m.deferrals + 1, :max),
                        superseded_provider_message_ids = CASE
                            WHEN coalesce(m.provider_message_id, CAST(:reported AS text)) IS NULL
                                THEN m.superseded_provider_message_ids
                            ELSE array_append(m.superseded_provider_message_ids,
                                              coalesce(m.provider_message_id, CAST(:reported AS text))) END,
                        provider_message_id = CASE WHEN m.deferrals < :max THEN NULL ELSE m.provider_message_id END,
                        sent_at = NULL, delivered_at = NULL,
                        error_code = CASE WHEN m.deferrals < :max THEN :code ELSE :exhausted END,
                        error_reason = :reason,
                        retryable = CASE WHEN m.deferrals < :max THEN NULL ELSE true END,
                        failed_at = CASE WHEN m.deferrals < :max THEN NULL ELSE CAST(:now AS timestamptz) END,
                        sender_id = NULL, claimed_at = NULL, claimed_by = NULL, updated_at = :now
                    WHERE %s AND m.status = ANY(:from)
                    RETURNING m.queue_id
                    """
                .formatted(match))
            .param("max", delays.size())
            .param("deferred", DEFERRED.wire())
            .param("failed", FAILED.wire())
            .param("delays", delays.stream().map(delay -> delay.toMillis() / 1000.0).toArray(Double[]::new))
            .param("reported", reported)
            .param("code", code)
            .param("exhausted", MARKETING_LIMIT)
            .param("reason", reason)
            .param("now", utc(now))
            .param("from", MessageStatus.wires(List.of(from)));
    }

    /**
     * Deferred messages whose time has come are pending again (up to {@code limit} a
     * call); returns how many.
     */
    public int undefer(Instant now, int limit) {
        return moving(jdbc.sql("""
                UPDATE messaging_messages m SET status = :to, updated_at = :now
                FROM (SELECT id FROM messaging_messages WHERE status = %s AND due_at <= :now
                      ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED) due
                WHERE m.id = due.id AND m.status = ANY(:from)
                """.formatted(DEFERRED.literal())), PENDING, DEFERRED).param("now", utc(now))
            .param("limit", limit)
            .update();
    }

    long retryableFailures(long queueId) {
        return jdbc
            .sql("SELECT count(*) FROM messaging_messages WHERE queue_id = :id AND status = :failed AND retryable")
            .param("id", queueId)
            .param("failed", FAILED.wire())
            .query(Long.class)
            .single();
    }

    int retryFailed(long queueId, Instant now) {
        return moving(jdbc.sql("""
                UPDATE messaging_messages
                SET status = :to, due_at = :now, attempts = 0, deferrals = 0, retryable = NULL, failed_at = NULL,
                    sender_id = NULL, claimed_at = NULL, claimed_by = NULL, updated_at = :now
                WHERE queue_id = :id AND status = ANY(:from) AND retryable
                """), PENDING, FAILED).param("id", queueId).param("now", utc(now)).update();
    }

    /** A page of a queue's messages (optionally of one status) in id order. */
    List<Message> page(long queueId, MessageStatus status, Long afterId, int limit) {
        return jdbc.sql("""
                SELECT m.*, c.credits AS charged_credits, c.category AS charged_category
                FROM messaging_messages m LEFT JOIN messaging_charges c ON c.message_id = m.id
                WHERE m.queue_id = :queueId AND (CAST(:status AS text) IS NULL OR m.status = :status) AND m.id > :after
                ORDER BY m.id LIMIT :limit
                """)
            .param("queueId", queueId)
            .param("status", status == null ? null : status.wire())
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(QueueMessages::map)
            .list();
    }

    /** A page of all of one owner's messages, newest first (admin). */
    List<Message> pageOfOwner(long owner, MessageStatus status, Long queueId, Long beforeId, int limit) {
        return jdbc.sql("""
                SELECT m.*, c.credits AS charged_credits, c.category AS charged_category
                FROM messaging_messages m LEFT JOIN messaging_charges c ON c.message_id = m.id
                WHERE m.owner_id = :owner AND (CAST(:status AS text) IS NULL OR m.status = :status)
                  AND (CAST(:queueId AS bigint) IS NULL OR m.queue_id = :queueId) AND m.id < :before
                ORDER BY m.id DESC LIMIT :limit
                """)
            .param("owner", owner)
            .param("status", status == null ? null : status.wire())
            .param("queueId", queueId)
            .param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
            .param("limit", limit + 1)
            .query(QueueMessages::map)
            .list();
    }

    /** One of many statuses of the same kind for {@link #applyStatuses}. */
    public record Reported(String providerMessageId, long messageId, Instant at, String errorCode, String errorReason) {
    }

    /**
     * Applies a provider's status to the messages it names (each by the provider's id,
     * else by Kapı's idempotency key), only from the statuses that may move to it
     * ({@link MessageStatus#predecessors}): sent < delivered < read; failed only from
     * sending or sent. A message that failed with an unknown outcome (lost during a
     * crash) was sent after all when a sent, delivered or read status arrives for it. One
     * statement for all reported with the same {@code status}, whatever their number;
     * returns the indexes in {@code reported} of those that changed a message (of two for
     * the same message, one only).
     */
    public Set<Integer> applyStatuses(MessageStatus status, List<Reported> reported, Instant now) {
        if (!MessageStatus.REPORTED.contains(status)) {
            throw new IllegalArgumentException(status.wire());
        }
        if (reported.isEmpty()) {
            return Set.of();
        }
        Set<MessageStatus> from = MessageStatus.predecessors(status);
        boolean fromUnknownOutcome = from.remove(FAILED);
        int n = reported.size();
        String[] pids = new String[n];
        Long[] ids = new Long[n];
        String[] ats = new String[n];
        String[] codes = new String[n];
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            Reported one = reported.get(i);
            pids[i] = one.providerMessageId();
            ids[i] = one.messageId();
            ats[i] = utc(one.at() == null ? now : one.at()).toString();
            codes[i] = one.errorCode();
            reasons[i] = one.errorReason();
        }
        List<Integer> applied = jdbc.sql("""
                UPDATE messaging_messages m
                SET status = :status, updated_at = :now,
                    provider_message_id = coalesce(m.provider_message_id, u.pid),
                    sent_at = CASE WHEN :failure THEN m.sent_at ELSE coalesce(m.sent_at, u.at) END,
                    delivered_at = CASE WHEN :delivered THEN coalesce(m.delivered_at, u.at) ELSE m.delivered_at END,
                    read_at = CASE WHEN :read THEN u.at ELSE m.read_at END,
                    failed_at = CASE WHEN :failure THEN u.at ELSE NULL END,
                    error_code = CASE WHEN :failure THEN u.code ELSE NULL END,
                    error_reason = CASE WHEN :failure THEN u.reason ELSE NULL END,
                    retryable = CASE WHEN :failure THEN false ELSE NULL END
                FROM unnest(CAST(:pids AS text[]), CAST(:ids AS bigint[]), CAST(:ats AS timestamptz[]),
                            CAST(:codes AS text[]), CAST(:reasons AS text[]))
                     WITH ORDINALITY AS u(pid, message_id, at, code, reason, n)
                WHERE %s
                  AND (m.status = ANY(:from)
                       OR (:fromUnknownOutcome AND m.status = :failed AND m.error_code = :unknownOutcome))
                RETURNING u.n
                """.formatted(NAMED))
            .param("from", MessageStatus.wires(from))
            .param("fromUnknownOutcome", fromUnknownOutcome)
            .param("failed", FAILED.wire())
            .param("unknownOutcome", UNKNOWN_OUTCOME)
            .param("failure", status == FAILED)
            .param("delivered", status == DELIVERED || status == READ)
            .param("read", status == READ)
            .param("status", status.wire())
            .param("now", utc(now))
            .param("pids", pids)
            .param("ids", ids)
            .param("ats", ats)
            .param("codes", codes)
            .param("reasons", reasons)
            .query((rs, row) -> rs.getInt(1) - 1)
            .list();
        return Set.copyOf(applied);
    }

    /**
     * Binds a move of messages as {@code :to} and {@code :from} (an array), after
     * checking that each status in {@code from} may move to {@code to}.
     */
    private static JdbcClient.StatementSpec moving(JdbcClient.StatementSpec statement, MessageStatus to,
            MessageStatus... from) {
        for (MessageStatus status : from) {
            status.to(to);
        }
        return statement.param("to", to.wire()).param("from", MessageStatus.wires(List.of(from)));
    }

    /** Every message of the owner's queues (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_messages WHERE owner_id = :owner").param("owner", owner).update();
    }

    static Message map(ResultSet rs, int n) throws SQLException {
        return new Message(rs.getLong("id"), rs.getLong("queue_id"), rs.getLong("owner_id"),
                rs.getObject("customer_id", Long.class), rs.getString("phone"),
                MessageStatus.of(rs.getString("status")), rs.getBoolean("graylisted"), instant(rs, "due_at"),
                rs.getInt("attempts"), rs.getObject("sender_id", Long.class), rs.getString("provider_message_id"),
                rs.getString("error_code"), rs.getString("error_reason"), rs.getObject("retryable", Boolean.class),
                instant(rs, "sent_at"), instant(rs, "delivered_at"), instant(rs, "read_at"), instant(rs, "failed_at"),
                instant(rs, "updated_at"), rs.getString("market"), rs.getInt("credits_held"), rs.getString("pricing"),
                instant(rs, "replied_at"), rs.getObject("charged_credits", Integer.class),
                rs.getString("charged_category"));
    }

}
