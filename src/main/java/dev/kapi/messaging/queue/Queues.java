package dev.kapi.messaging.queue;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.messaging.draft.Drafts;
import dev.kapi.messaging.draft.RichContent;
import dev.kapi.messaging.draft.TemplateMessage;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** Queues and the credit reservations that pay for them. */
@Repository
public class Queues {

    private final JdbcClient jdbc;

    Queues(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A credit reservation of a queue that is not settled yet. */
    record HeldCredits(UUID reservationId, long amount) {
    }

    long insert(long owner, String name, long draftId, String body, TemplateMessage template, RichContent rich,
            String category, List<Long> senderIds, List<Long> groupIds, List<Long> customerIds, Instant scheduledAt,
            Instant now) {
        return Drafts.template(jdbc.sql("""
                INSERT INTO messaging_queues (owner_id, name, draft_id, body, template_name, template_language,
                                              template_category, header_type, header_link, body_parameters,
                                              template_buttons, rich, sender_ids, group_ids, customer_ids, status,
                                              scheduled_at, created_at, updated_at)
                VALUES (:owner, :name, :draftId, :body, :templateName, :templateLanguage, :category, :headerType,
                        :headerLink, :bodyParameters, CAST(:templateButtons AS jsonb), CAST(:rich AS jsonb),
                        :senderIds, :groupIds, :customerIds, :status, :scheduledAt, :now, :now)
                RETURNING id
                """), template)
            .param("rich", RichContent.write(rich))
            .param("category", template == null ? null : category)
            .param("owner", owner)
            .param("name", name)
            .param("draftId", draftId)
            .param("body", body)
            .param("senderIds", senderIds.toArray(Long[]::new))
            .param("groupIds", groupIds.toArray(Long[]::new))
            .param("customerIds", customerIds.toArray(Long[]::new))
            .param("status", QueueStatus.CREATED.wire())
            .param("scheduledAt", utc(scheduledAt))
            .param("now", utc(now))
            .query(Long.class)
            .single();
    }

    public Optional<Queue> byId(long owner, long id) {
        return jdbc.sql("SELECT * FROM messaging_queues WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .query(Queues::map)
            .optional();
    }

    /** The queue, locked for a change of state until the transaction ends. */
    Optional<Queue> lock(long owner, long id) {
        return jdbc.sql("SELECT * FROM messaging_queues WHERE id = :id AND owner_id = :owner FOR UPDATE")
            .param("id", id)
            .param("owner", owner)
            .query(Queues::map)
            .optional();
    }

    public Optional<Queue> lock(long id) {
        return jdbc.sql("SELECT * FROM messaging_queues WHERE id = :id FOR UPDATE")
            .param("id", id)
            .query(Queues::map)
            .optional();
    }

    List<Queue> page(long owner, Long afterId, int limit) {
        return jdbc
            .sql("SELECT * FROM messaging_queues WHERE owner_id = :owner AND id > :after ORDER BY id LIMIT :limit")
            .param("owner", owner)
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(Queues::map)
            .list();
    }

    /**
     * Every owner's queues, newest first, optionally of one status; {@code limit + 1}
     * rows.
     */
    List<Queue> pageOfAll(QueueStatus status, Long beforeId, int limit) {
        return jdbc.sql("""
                SELECT * FROM messaging_queues
                WHERE (CAST(:status AS text) IS NULL OR status = :status) AND id < :before
                ORDER BY id DESC LIMIT :limit
                """)
            .param("status", status == null ? null : status.wire())
            .param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
            .param("limit", limit + 1)
            .query(Queues::map)
            .list();
    }

    /**
     * A started queue's status and counts; {@code queue} is the locked row it moves from.
     */
    void started(Queue queue, QueueStatus next, int total, int blacklisted, int creditCost, Instant now) {
        jdbc.sql("""
                UPDATE messaging_queues SET status = :to, total = :total, blacklisted = :blacklisted,
                                            credit_cost = :cost, started_at = :now, updated_at = :now
                WHERE id = :id AND status = :from
                """)
            .param("to", queue.status().to(next).wire())
            .param("from", queue.status().wire())
            .param("total", total)
            .param("blacklisted", blacklisted)
            .param("cost", creditCost)
            .param("now", utc(now))
            .param("id", queue.id())
            .update();
    }

    /**
     * Moves the queue from {@code from} to {@code to} (a move its {@link QueueStatus}
     * allows), unless it is no longer in {@code from} (another worker moved it first);
     * returns whether it moved. A status that ends the queue sets {@code finished_at},
     * any other clears it.
     */
    public boolean move(long id, QueueStatus from, QueueStatus to, Instant now) {
        return jdbc.sql("""
                UPDATE messaging_queues SET status = :to, updated_at = :now, pause_reason = NULL,
                    finished_at = CASE WHEN :ended THEN :now END
                WHERE id = :id AND status = :from
                """)
            .param("to", from.to(to).wire())
            .param("from", from.wire())
            .param("ended", to.ended())
            .param("now", utc(now))
            .param("id", id)
            .update() == 1;
    }

    /**
     * Holds every scheduled or running queue that sends the template from a sender of the
     * business account (of any owner with such a sender): paused with {@code reason}, in
     * one compare-and-set; returns their ids. Queues of several accounts are held whole.
     */
    List<Long> holdForTemplate(String wabaId, String name, String language, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE messaging_queues q SET status = :to, pause_reason = :reason, updated_at = :now
                WHERE q.status = ANY(:from) AND q.template_name = :name AND q.template_language = :language
                  AND EXISTS (SELECT 1 FROM messaging_senders s WHERE s.id = ANY(q.sender_ids) AND s.waba_id = :waba)
                RETURNING q.id
                """)
            .param("to", QueueStatus.PAUSED.wire())
            .param("from", QueueStatus.wires(QueueStatus.HOLDABLE))
            .param("reason", reason)
            .param("name", name)
            .param("language", language)
            .param("waba", wabaId)
            .param("now", utc(now))
            .query(Long.class)
            .list();
    }

    /**
     * Holds one queue, if it is scheduled or running, with {@code reason} (a send that
     * Meta refused for the queue's template); returns whether it moved.
     */
    boolean hold(long id, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE messaging_queues SET status = :to, pause_reason = :reason, updated_at = :now
                WHERE id = :id AND status = ANY(:from)
                """)
            .param("to", QueueStatus.PAUSED.wire())
            .param("from", QueueStatus.wires(QueueStatus.HOLDABLE))
            .param("reason", reason)
            .param("id", id)
            .param("now", utc(now))
            .update() == 1;
    }

    /**
     * Releases the queues held for the template of the business account (paused with a
     * template reason, never a user's pause): they run again, or wait again when their
     * time is still to come; returns their ids.
     */
    List<Long> releaseForTemplate(String wabaId, String name, String language, Instant now) {
        return jdbc.sql("""
                UPDATE messaging_queues q
                SET status = CASE WHEN q.scheduled_at > :now THEN :scheduled ELSE :running END,
                    pause_reason = NULL, updated_at = :now
                WHERE q.status = :from AND q.pause_reason IS NOT NULL
                  AND q.template_name = :name AND q.template_language = :language
                  AND EXISTS (SELECT 1 FROM messaging_senders s WHERE s.id = ANY(q.sender_ids) AND s.waba_id = :waba)
                RETURNING q.id
                """)
            .param("from", QueueStatus.PAUSED.wire())
            .param("scheduled", QueueStatus.PAUSED.release(true).orElseThrow().wire())
            .param("running", QueueStatus.PAUSED.release(false).orElseThrow().wire())
            .param("name", name)
            .param("language", language)
            .param("waba", wabaId)
            .param("now", utc(now))
            .query(Long.class)
            .list();
    }

    /**
     * The queues not ended that send the template from a sender of the business account,
     * oldest first.
     */
    List<Long> usingTemplate(String wabaId, String name, String language) {
        return jdbc.sql("""
                SELECT q.id FROM messaging_queues q
                WHERE q.status = ANY(:active) AND q.template_name = :name AND q.template_language = :language
                  AND EXISTS (SELECT 1 FROM messaging_senders s WHERE s.id = ANY(q.sender_ids) AND s.waba_id = :waba)
                ORDER BY q.id
                """)
            .param("active", QueueStatus.wires(QueueStatus.ACTIVE))
            .param("name", name)
            .param("language", language)
            .param("waba", wabaId)
            .query(Long.class)
            .list();
    }

    public boolean senderInUse(long owner, long senderId) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM messaging_queues WHERE owner_id = :owner AND :sender = ANY(sender_ids)
                                                               AND status = ANY(:active))
                """)
            .param("owner", owner)
            .param("sender", senderId)
            .param("active", QueueStatus.wires(QueueStatus.ACTIVE))
            .query(Boolean.class)
            .single();
    }

    /** Scheduled queues whose time has come, with their owners. */
    public List<Queue> due(Instant now) {
        return jdbc
            .sql("SELECT * FROM messaging_queues WHERE status = " + QueueStatus.SCHEDULED.literal()
                    + " AND scheduled_at <= :now ORDER BY id")
            .param("now", utc(now))
            .query(Queues::map)
            .list();
    }

    /** The running queues an account sends for, oldest first. */
    public List<Long> runningFor(long owner, long senderId) {
        return jdbc.sql("""
                SELECT id FROM messaging_queues
                WHERE status = %s AND owner_id = :owner AND :sender = ANY(sender_ids)
                ORDER BY id
                """.formatted(QueueStatus.RUNNING.literal()))
            .param("owner", owner)
            .param("sender", senderId)
            .query(Long.class)
            .list();
    }

    /**
     * Completes every running queue that has nothing left to send (no message pending,
     * sending or deferred); returns their ids.
     */
    public List<Long> completeFinished(Instant now) {
        return jdbc
            .sql("""
                    UPDATE messaging_queues q SET status = :to, finished_at = :now, updated_at = :now
                    WHERE q.status = %s
                      AND NOT EXISTS (SELECT 1 FROM messaging_messages m
                                      WHERE m.queue_id = q.id AND m.status IN (%s, %s, %s))
                    RETURNING q.id
                    """.formatted(QueueStatus.RUNNING.literal(), MessageStatus.PENDING.literal(),
                    MessageStatus.SENDING.literal(), MessageStatus.DEFERRED.literal()))
            .param("to", QueueStatus.RUNNING.to(QueueStatus.COMPLETED).wire())
            .param("now", utc(now))
            .query(Long.class)
            .list();
    }

    /**
     * Ended queues that still hold credits and have no message in flight: ready to be
     * settled.
     */
    public List<Long> toSettle() {
        return jdbc.sql("""
                SELECT q.id FROM messaging_queues q
                WHERE q.status = ANY(:ended)
                  AND EXISTS (SELECT 1 FROM messaging_queue_reservations r WHERE r.queue_id = q.id AND NOT r.settled)
                  AND NOT EXISTS (SELECT 1 FROM messaging_messages m WHERE m.queue_id = q.id AND m.status = %s)
                ORDER BY q.id
                """.formatted(MessageStatus.SENDING.literal()))
            .param("ended", QueueStatus.wires(QueueStatus.ENDED))
            .query(Long.class)
            .list();
    }

    void hold(long queueId, UUID reservationId, long amount, Instant now) {
        jdbc.sql("""
                INSERT INTO messaging_queue_reservations (reservation_id, queue_id, amount, created_at)
                VALUES (:reservationId, :queueId, :amount, :now)
                """)
            .param("reservationId", reservationId)
            .param("queueId", queueId)
            .param("amount", amount)
            .param("now", utc(now))
            .update();
    }

    List<HeldCredits> held(long queueId) {
        return jdbc.sql("""
                SELECT reservation_id, amount FROM messaging_queue_reservations
                WHERE queue_id = :queueId AND NOT settled ORDER BY created_at, reservation_id
                """)
            .param("queueId", queueId)
            .query((rs, n) -> new HeldCredits(rs.getObject("reservation_id", UUID.class), rs.getLong("amount")))
            .list();
    }

    long heldTotal(long queueId) {
        return jdbc.sql(
                "SELECT coalesce(sum(amount), 0) FROM messaging_queue_reservations WHERE queue_id = :id AND NOT settled")
            .param("id", queueId)
            .query(Long.class)
            .single();
    }

    void settled(UUID reservationId) {
        jdbc.sql("UPDATE messaging_queue_reservations SET settled = true WHERE reservation_id = :id")
            .param("id", reservationId)
            .update();
    }

    void charged(long queueId, long credits) {
        jdbc.sql("UPDATE messaging_queues SET charged = charged + :credits WHERE id = :id")
            .param("credits", credits)
            .param("id", queueId)
            .update();
    }

    /**
     * Records what Meta billed beyond the queue's holds that the owner's balance could
     * not cover.
     */
    void uncovered(long queueId, long credits) {
        jdbc.sql("UPDATE messaging_queues SET credits_uncovered = credits_uncovered + :credits WHERE id = :id")
            .param("credits", credits)
            .param("id", queueId)
            .update();
    }

    /**
     * Every queue of the owner, and with them their credit reservations (an account
     * deleted for good).
     */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_queues WHERE owner_id = :owner").param("owner", owner).update();
    }

    private static List<Long> longs(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((Long[]) array.getArray());
    }

    private static Queue map(ResultSet rs, int n) throws SQLException {
        return new Queue(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"),
                rs.getObject("draft_id", Long.class), rs.getString("body"), TemplateMessage.read(rs),
                rs.getString("template_category"), longs(rs.getArray("sender_ids")), longs(rs.getArray("group_ids")),
                longs(rs.getArray("customer_ids")), QueueStatus.of(rs.getString("status")), instant(rs, "scheduled_at"),
                rs.getInt("total"), rs.getInt("blacklisted"), rs.getLong("charged"), instant(rs, "created_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"), instant(rs, "updated_at"),
                rs.getInt("credit_cost"), RichContent.read(rs.getString("rich")), rs.getString("pause_reason"),
                rs.getLong("credits_uncovered"));
    }

}
