package dev.kapi.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.messaging.pricing.Rates;
import dev.kapi.messaging.whatsapp.ServiceWindows;

import static dev.kapi.messaging.queue.MessageStatus.PENDING;
import static dev.kapi.messaging.queue.MessageStatus.SKIPPED;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Who a queue reaches, in set-based statements over its groups and customers: its
 * selection counted before it starts (the lists, the service window, the messaging tiers,
 * missing variables), and its expansion into one message row per recipient when it
 * starts.
 */
@Repository
class Recipients {

    /**
     * The recipients a queue selects: its groups' members and its customers, each once,
     * of the owner.
     */
    private static final String CHOSEN = """
            WITH chosen AS (
                SELECT c.id, c.phone, c.fields, coalesce(c.country, '*') AS country
                FROM messaging_customers c
                WHERE c.owner_id = :owner
                  AND c.id IN (SELECT gm.customer_id FROM messaging_group_members gm WHERE gm.group_id = ANY(:groupIds)
                               UNION ALL
                               SELECT unnest(CAST(:customerIds AS bigint[])))
            ), marked AS (
                SELECT ch.*, EXISTS (SELECT 1 FROM messaging_list_entries b
                                     WHERE b.owner_id = :owner AND b.list = 'black' AND b.phone = ch.phone) AS black,
                             EXISTS (SELECT 1 FROM messaging_list_entries g
                                     WHERE g.owner_id = :owner AND g.list = 'gray' AND g.phone = ch.phone) AS gray
                FROM chosen ch
            )
            """;

    private final JdbcClient jdbc;

    private final Rates rates;

    Recipients(JdbcClient jdbc, Rates rates) {
        this.jdbc = jdbc;
        this.rates = rates;
    }

    /** What a queue's selection amounts to, before it is expanded. */
    record Selection(long chosen, long blacklisted, long graylisted, long insideServiceWindow,
            long graylistedInsideServiceWindow, Map<String, Long> missing) {
    }

    /**
     * Counts a queue's selection: chosen, blacklisted, graylisted (not blacklisted),
     * inside their service window at {@code now} (not blacklisted), and per custom field
     * those without a value.
     */
    Selection select(long owner, List<Long> groupIds, List<Long> customerIds, Collection<String> fields, Instant now) {
        Map<String, Long> missing = new LinkedHashMap<>();
        long[] counts = new long[5];
        StringBuilder sql = new StringBuilder(CHOSEN)
            .append("SELECT count(*) AS chosen, count(*) FILTER (WHERE black) AS black, ")
            .append("count(*) FILTER (WHERE gray AND NOT black) AS gray, ")
            .append("count(*) FILTER (WHERE NOT black AND EXISTS (SELECT 1 FROM messaging_service_windows w ")
            .append("WHERE w.owner_id = :owner AND w.phone = marked.phone AND w.last_inbound_at > :since)) AS inside, ")
            .append("count(*) FILTER (WHERE gray AND NOT black AND EXISTS (SELECT 1 FROM messaging_service_windows w ")
            .append("WHERE w.owner_id = :owner AND w.phone = marked.phone AND w.last_inbound_at > :since)) AS inside_gray");
        List<String> names = List.copyOf(fields);
        for (int i = 0; i < names.size(); i++) {
            sql.append(", count(*) FILTER (WHERE NOT black AND coalesce(fields ->> :f")
                .append(i)
                .append(", '') = '') AS m")
                .append(i);
        }
        sql.append(" FROM marked");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString())
            .param("owner", owner)
            .param("groupIds", groupIds.toArray(Long[]::new))
            .param("customerIds", customerIds.toArray(Long[]::new))
            .param("since", utc(now.minus(ServiceWindows.LENGTH)));
        for (int i = 0; i < names.size(); i++) {
            statement = statement.param("f" + i, names.get(i));
        }
        statement.query(rs -> {
            counts[0] = rs.getLong("chosen");
            counts[1] = rs.getLong("black");
            counts[2] = rs.getLong("gray");
            counts[3] = rs.getLong("inside");
            counts[4] = rs.getLong("inside_gray");
            for (int i = 0; i < names.size(); i++) {
                missing.put(names.get(i), rs.getLong("m" + i));
            }
        });
        return new Selection(counts[0], counts[1], counts[2], counts[3], counts[4], missing);
    }

    /**
     * How many of a queue's recipients (not blacklisted) one of these business accounts
     * reached with a template message since {@code since}: the messaging tier does not
     * count them again.
     */
    long reachedSince(long owner, List<Long> groupIds, List<Long> customerIds, Collection<String> wabaIds,
            Instant since) {
        return jdbc.sql(CHOSEN + """
                SELECT count(*) FROM marked
                WHERE NOT black AND EXISTS (SELECT 1 FROM messaging_tier_recipients t
                                            WHERE t.owner_id = :owner AND t.waba_id = ANY(:wabaIds)
                                              AND t.phone = marked.phone AND t.reached_at > :since)
                """)
            .param("owner", owner)
            .param("groupIds", groupIds.toArray(Long[]::new))
            .param("customerIds", customerIds.toArray(Long[]::new))
            .param("wabaIds", wabaIds.toArray(String[]::new))
            .param("since", utc(since))
            .query(Long.class)
            .single();
    }

    /**
     * What a queue's recipients (not blacklisted; not graylisted when those are skipped;
     * only those inside their service window when {@code windowOnly}) cost at the rate
     * card's prices for {@code category}, each by its market.
     */
    long cost(long owner, List<Long> groupIds, List<Long> customerIds, String category, boolean skipGray,
            boolean windowOnly, Instant now) {
        return rates.bind(jdbc.sql(CHOSEN + """
                SELECT coalesce(sum(%s), 0) FROM marked
                WHERE NOT black AND NOT (gray AND :skipGray)
                  AND (NOT :windowOnly OR EXISTS (SELECT 1 FROM messaging_service_windows w
                       WHERE w.owner_id = :owner AND w.phone = marked.phone AND w.last_inbound_at > :since))
                """.formatted(Rates.price("marked.country"))), category)
            .param("owner", owner)
            .param("groupIds", groupIds.toArray(Long[]::new))
            .param("customerIds", customerIds.toArray(Long[]::new))
            .param("skipGray", skipGray)
            .param("windowOnly", windowOnly)
            .param("since", utc(now.minus(ServiceWindows.LENGTH)))
            .query(Long.class)
            .single();
    }

    /**
     * Expands a queue into one row per recipient in one statement: blacklisted numbers
     * are left out, graylisted ones are skipped or spread {@code graylistDelay} apart
     * from {@code start}. Each row holds the rate card's price for its market and
     * {@code category}, and the queue keeps the card's prices of every category for its
     * markets ({@link Rates#keepFor}), both from the same card (it cannot change until
     * the start commits). Returns the number of rows written.
     */
    int expand(long queueId, long owner, List<Long> groupIds, List<Long> customerIds, String category, boolean skipGray,
            Duration graylistDelay, Instant start, Instant now) {
        rates.freeze();
        int written = rates.bind(jdbc.sql(CHOSEN + """
                INSERT INTO messaging_messages (queue_id, owner_id, customer_id, phone, status, graylisted, due_at,
                                                error_code, updated_at, market, credits_held)
                SELECT :queueId, :owner, r.id, r.phone,
                       CASE WHEN r.gray AND :skipGray THEN :skipped ELSE :pending END, r.gray,
                       CASE WHEN r.gray THEN CAST(:start AS timestamptz)
                                             + (r.gray_rank - 1) * make_interval(secs => :grayDelay)
                            ELSE CAST(:start AS timestamptz) END,
                       CASE WHEN r.gray AND :skipGray THEN 'graylisted' END, :now, r.country,
                       CASE WHEN r.gray AND :skipGray THEN 0 ELSE %s END
                FROM (SELECT m.id, m.phone, m.gray, m.country,
                             row_number() OVER (PARTITION BY m.gray ORDER BY m.id) AS gray_rank
                      FROM marked m WHERE NOT m.black) r
                ORDER BY r.id
                """.formatted(Rates.price("r.country"))), category)
            .param("queueId", queueId)
            .param("owner", owner)
            .param("groupIds", groupIds.toArray(Long[]::new))
            .param("customerIds", customerIds.toArray(Long[]::new))
            .param("skipGray", skipGray)
            .param("skipped", SKIPPED.wire())
            .param("pending", PENDING.wire())
            .param("grayDelay", (double) graylistDelay.toSeconds())
            .param("start", utc(start))
            .param("now", utc(now))
            .update();
        rates.keepFor(queueId);
        return written;
    }

}
