package dev.kapi.messaging.pricing;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * What each message was charged ({@code messaging_charges}): one row per message at most,
 * written by the first billable status callback (a retried callback finds the row and
 * charges nothing), under the recipient's market and the category Meta billed
 * ({@link Pricing#billedCategory}) at that category's price for the market as the rate
 * card stood when the queue started ({@link Rates#keepFor}); the row also keeps what was
 * held (the queue's category and the credits held for the message). A category Meta did
 * not name, or a queue started before prices were kept, charges what was held.
 */
@Repository
public class Charges {

    /** The category of a queue's messages: its template's, or service for a free text. */
    private static final String CATEGORY = "CASE WHEN q.template_name IS NULL THEN 'service' "
            + "ELSE coalesce(q.template_category, 'marketing') END";

    /**
     * The message a status callback names (a row {@code u} of an {@code unnest} of Meta's
     * ids and Kapı's keys): by Meta's id, or by Kapı's key before that was recorded,
     * unless the id is of an earlier send that Meta's per-user marketing cap superseded
     * (that send is not billed; the message is charged by a later one).
     */
    private static final String NAMED = """
            (m.provider_message_id = u.pid
             OR (m.provider_message_id IS NULL AND m.id = u.message_id
                 AND (m.superseded_provider_message_ids IS NULL
                      OR NOT (u.pid = ANY(m.superseded_provider_message_ids)))))""";

    private final JdbcClient jdbc;

    Charges(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Credits spent in one period ({@code 2026-12} or {@code 2026}) per category and
     * market.
     */
    public record Spent(String period, String category, String market, long spent) {
    }

    /**
     * A message a billable status callback names: Meta's id, Kapı's key for before that
     * was recorded, and the category Meta billed ({@link Pricing#billedCategory}; null:
     * what was held).
     */
    public record Billed(String providerMessageId, long messageId, String billedCategory) {
    }

    /**
     * Charges each message Meta names once, all in two statements whatever their number:
     * not when it was sent before {@code cutoff} (its queue may have given the credits
     * back), nor once its queue settled; at the price the queue kept for the message's
     * market and the billed category (what was held when Meta named none Kapı knows). A
     * message named twice is charged once, under the category its first naming billed.
     * Returns how many this call charged.
     */
    public int charge(List<Billed> billed, Instant now, Instant cutoff) {
        if (billed.isEmpty()) {
            return 0;
        }
        String[] pids = billed.stream().map(Billed::providerMessageId).toArray(String[]::new);
        Long[] ids = billed.stream().map(Billed::messageId).toArray(Long[]::new);
        String[] categories = billed.stream().map(Billed::billedCategory).toArray(String[]::new);
        // Waits for a settlement in progress (it locks the queue row), which then
        // leaves nothing to charge. Queues locked and charges inserted in id order: two
        // instances' writers charging some of the same messages wait for each other in
        // one direction only (an insert waits for the other's uncommitted row of the
        // same message), never in a circle.
        List<Long> queues = jdbc.sql("""
                SELECT q.id FROM messaging_queues q
                WHERE q.id IN (SELECT m.queue_id FROM messaging_messages m
                               JOIN unnest(CAST(:pids AS text[]), CAST(:ids AS bigint[])) AS u(pid, message_id)
                                 ON %s)
                ORDER BY q.id
                FOR SHARE OF q
                """.formatted(NAMED)).param("pids", pids).param("ids", ids).query(Long.class).list();
        if (queues.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                WITH named AS (
                SELECT DISTINCT ON (m.id) m.id, u.billed
                FROM messaging_messages m
                JOIN unnest(CAST(:pids AS text[]), CAST(:ids AS bigint[]), CAST(:billed AS text[]))
                     WITH ORDINALITY AS u(pid, message_id, billed, n) ON %2$s
                ORDER BY m.id, u.n
                ),
                charged AS (
                INSERT INTO messaging_charges (message_id, owner_id, queue_id, market, category, credits,
                                               held_category, held_credits, charged_at)
                SELECT m.id, m.owner_id, m.queue_id, coalesce(m.market, '*'),
                       CASE WHEN p.credits IS NULL THEN %1$s ELSE p.category END, coalesce(p.credits, m.credits_held),
                       %1$s, m.credits_held, :now
                FROM named JOIN messaging_messages m ON m.id = named.id
                JOIN messaging_queues q ON q.id = m.queue_id
                LEFT JOIN messaging_queue_prices p
                       ON p.queue_id = q.id AND p.market = coalesce(m.market, '*') AND p.category = named.billed
                WHERE coalesce(m.sent_at, :now) > :cutoff
                  AND EXISTS (SELECT 1 FROM messaging_queue_reservations r WHERE r.queue_id = q.id AND NOT r.settled)
                ORDER BY m.id
                ON CONFLICT (message_id) DO NOTHING
                RETURNING message_id
                )
                UPDATE messaging_messages SET priced_at = :now FROM charged WHERE id = charged.message_id
                """.formatted(CATEGORY, NAMED))
            .param("pids", pids)
            .param("ids", ids)
            .param("billed", categories)
            .param("now", utc(now))
            .param("cutoff", utc(cutoff))
            .update();
    }

    /**
     * Charges messages a provider bills as it accepts them (the simulator, which sends no
     * pricing callbacks), once each, at what was held for them.
     */
    public void chargeAccepted(Collection<Long> messageIds, Instant now) {
        if (messageIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                WITH charged AS (
                INSERT INTO messaging_charges (message_id, owner_id, queue_id, market, category, credits,
                                               held_category, held_credits, charged_at)
                SELECT m.id, m.owner_id, m.queue_id, coalesce(m.market, '*'), %1$s, m.credits_held,
                       %1$s, m.credits_held, :now
                FROM messaging_messages m JOIN messaging_queues q ON q.id = m.queue_id
                WHERE m.id = ANY(:ids)
                ON CONFLICT (message_id) DO NOTHING
                RETURNING message_id
                )
                UPDATE messaging_messages SET priced_at = :now FROM charged WHERE id = charged.message_id
                """.formatted(CATEGORY)).param("ids", messageIds.toArray(Long[]::new)).param("now", utc(now)).update();
    }

    /** The credits charged for a queue's messages. */
    public long sumOf(long queueId) {
        return jdbc.sql("SELECT coalesce(sum(credits), 0) FROM messaging_charges WHERE queue_id = :id")
            .param("id", queueId)
            .query(Long.class)
            .single();
    }

    /**
     * What an owner was charged per UTC month ({@code yearly} false) or year, category
     * Meta billed and market, oldest first.
     */
    public List<Spent> usage(long owner, boolean yearly) {
        return jdbc.sql("""
                SELECT to_char(charged_at AT TIME ZONE 'UTC', :format) AS period, category, market,
                       sum(credits) AS spent
                FROM messaging_charges WHERE owner_id = :owner
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """)
            .param("format", yearly ? "YYYY" : "YYYY-MM")
            .param("owner", owner)
            .query((rs, n) -> new Spent(rs.getString("period"), rs.getString("category"), rs.getString("market"),
                    rs.getLong("spent")))
            .list();
    }

    /** Every charge of the owner (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_charges WHERE owner_id = :owner").param("owner", owner).update();
    }

}
