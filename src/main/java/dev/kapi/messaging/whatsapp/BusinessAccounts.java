package dev.kapi.messaging.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The owner's WhatsApp Business Accounts (by {@code waba_id}) as Meta's messaging tiers
 * see them: the tier setting shared by every sender of the account, and the recipients
 * its template messages reached in the last 24 hours. Counted in PostgreSQL under the
 * account row's lock, so the tier holds across queues, senders and instances.
 */
@Repository
public class BusinessAccounts {

    /** Meta's rolling window of the messaging limit. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private final JdbcClient jdbc;

    BusinessAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What {@link #admit} decided: the phones that may get a template message now
     * (recorded as reached), and for the rest, when the window next rolls (null when none
     * waits).
     */
    public record Admission(Set<String> admitted, Instant retryAt) {
    }

    /**
     * The tier of each of the owner's business accounts named (the default for one never
     * set).
     */
    public Map<String, MessagingLimit> limits(long owner, Collection<String> wabaIds) {
        Map<String, MessagingLimit> limits = new HashMap<>();
        wabaIds.stream().filter(java.util.Objects::nonNull).forEach(waba -> limits.put(waba, MessagingLimit.DEFAULT));
        if (limits.isEmpty()) {
            return limits;
        }
        jdbc.sql(
                "SELECT waba_id, messaging_limit FROM messaging_business_accounts WHERE owner_id = :owner AND waba_id = ANY(:ids)")
            .param("owner", owner)
            .param("ids", limits.keySet().toArray(String[]::new))
            .query(rs -> {
                limits.put(rs.getString("waba_id"), new MessagingLimit(rs.getObject("messaging_limit", Integer.class)));
            });
        return limits;
    }

    public void setLimit(long owner, String wabaId, MessagingLimit limit, Instant now) {
        jdbc.sql("""
                INSERT INTO messaging_business_accounts (owner_id, waba_id, messaging_limit, updated_at)
                VALUES (:owner, :waba, :limit, :now)
                ON CONFLICT (owner_id, waba_id) DO UPDATE SET messaging_limit = EXCLUDED.messaging_limit,
                                                              updated_at = EXCLUDED.updated_at
                """)
            .param("owner", owner)
            .param("waba", wabaId)
            .param("limit", limit.recipients())
            .param("now", utc(now))
            .update();
    }

    /**
     * Lets the given recipients have a template message from the business account now, as
     * far as its tier allows: the account's row is locked until the transaction ends
     * (inserted with the default tier when new), recipients reached in the last 24 hours
     * always pass and count once, new ones pass while the unique count stays within the
     * tier; every one that passes is recorded as reached now. Those that do not pass wait
     * until the oldest reach in the window is 24 hours old.
     */
    public Admission admit(long owner, String wabaId, Collection<String> phones, Instant now) {
        Set<String> wanted = new LinkedHashSet<>(phones);
        if (wanted.isEmpty()) {
            return new Admission(Set.of(), null);
        }
        Integer limit = jdbc.sql("""
                INSERT INTO messaging_business_accounts (owner_id, waba_id, messaging_limit, updated_at)
                VALUES (:owner, :waba, :default, :now)
                ON CONFLICT (owner_id, waba_id) DO UPDATE SET owner_id = EXCLUDED.owner_id
                RETURNING messaging_limit
                """)
            .param("owner", owner)
            .param("waba", wabaId)
            .param("default", MessagingLimit.DEFAULT.recipients())
            // An unlimited tier is a null limit: list() keeps it, single() would refuse
            // it.
            .param("now", utc(now))
            .query((rs, n) -> rs.getObject("messaging_limit", Integer.class))
            .list()
            .getFirst();
        Instant cutoff = now.minus(WINDOW);
        jdbc.sql(
                "DELETE FROM messaging_tier_recipients WHERE owner_id = :owner AND waba_id = :waba AND reached_at <= :cutoff")
            .param("owner", owner)
            .param("waba", wabaId)
            .param("cutoff", utc(cutoff))
            .update();
        Set<String> admitted = new LinkedHashSet<>();
        Instant retryAt = null;
        if (limit == null) {
            admitted.addAll(wanted);
        }
        else {
            long[] used = new long[1];
            Instant[] oldest = new Instant[1];
            Set<String> reached = new java.util.HashSet<>();
            jdbc.sql("""
                    SELECT count(*) AS used, min(reached_at) AS oldest,
                           array_agg(phone) FILTER (WHERE phone = ANY(:phones)) AS reached
                    FROM messaging_tier_recipients WHERE owner_id = :owner AND waba_id = :waba
                    """)
                .param("owner", owner)
                .param("waba", wabaId)
                .param("phones", wanted.toArray(String[]::new))
                .query(rs -> {
                    used[0] = rs.getLong("used");
                    oldest[0] = instant(rs, "oldest");
                    java.sql.Array array = rs.getArray("reached");
                    if (array != null) {
                        reached.addAll(Arrays.asList((String[]) array.getArray()));
                    }
                });
            long free = limit - used[0];
            for (String phone : wanted) {
                if (reached.contains(phone)) {
                    admitted.add(phone);
                }
                else if (free > 0) {
                    admitted.add(phone);
                    free--;
                }
            }
            if (admitted.size() < wanted.size()) {
                retryAt = (oldest[0] == null ? now : oldest[0]).plus(WINDOW);
            }
        }
        if (!admitted.isEmpty()) {
            jdbc.sql("""
                    INSERT INTO messaging_tier_recipients (owner_id, waba_id, phone, reached_at)
                    SELECT :owner, :waba, p, :now FROM unnest(CAST(:phones AS text[])) AS p
                    ON CONFLICT (owner_id, waba_id, phone) DO UPDATE SET reached_at = EXCLUDED.reached_at
                    """)
                .param("owner", owner)
                .param("waba", wabaId)
                .param("phones", admitted.toArray(String[]::new))
                .param("now", utc(now))
                .update();
        }
        return new Admission(admitted, retryAt);
    }

    /** When each recipient counted in the accounts' window was reached, oldest first. */
    public List<Instant> reachedSince(long owner, Collection<String> wabaIds, Instant now) {
        return jdbc.sql("""
                SELECT reached_at FROM messaging_tier_recipients
                WHERE owner_id = :owner AND waba_id = ANY(:ids) AND reached_at > :cutoff ORDER BY reached_at
                """)
            .param("owner", owner)
            .param("ids", wabaIds.toArray(String[]::new))
            .param("cutoff", utc(now.minus(WINDOW)))
            .query((rs, n) -> instant(rs, "reached_at"))
            .list();
    }

    /** Every tier setting and reach of the owner (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_tier_recipients WHERE owner_id = :owner").param("owner", owner).update();
        jdbc.sql("DELETE FROM messaging_business_accounts WHERE owner_id = :owner").param("owner", owner).update();
    }

}
