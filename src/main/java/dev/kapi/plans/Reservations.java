package dev.kapi.plans;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/** Credits held for a spend, each settled once: committed or refunded. */
@Repository
class Reservations {

    static final String COMMITTED = "committed";
    static final String REFUNDED = "refunded";

    private final JdbcClient jdbc;

    Reservations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A reservation that was just settled. */
    record Settled(UUID id, long accountId, long amount, String reason) {
    }

    void hold(UUID id, long accountId, long amount, String reason, Instant now) {
        jdbc.sql("""
                INSERT INTO credit_reservations (id, account_id, amount, reason, state, created_at)
                VALUES (:id, :accountId, :amount, :reason, 'held', :now)
                """)
            .param("id", id)
            .param("accountId", accountId)
            .param("amount", amount)
            .param("reason", reason)
            .param("now", utc(now))
            .update();
    }

    /**
     * Moves a held reservation to {@code state}; empty if it was not held (unknown or
     * already settled). The conditional update settles it at most once, also when two
     * callers race.
     */
    Optional<Settled> settle(UUID id, String state, Long spent, Instant now) {
        return jdbc
            .sql("""
                    UPDATE credit_reservations SET state = :state, settled_at = :now, spent = coalesce(CAST(:spent AS bigint), amount)
                    WHERE id = :id AND state = 'held'
                    RETURNING id, account_id, amount, reason
                    """)
            .param("state", state)
            .param("spent", spent)
            .param("now", utc(now))
            .param("id", id)
            .query((rs, n) -> new Settled(rs.getObject("id", UUID.class), rs.getLong("account_id"),
                    rs.getLong("amount"), rs.getString("reason")))
            .optional();
    }

    /** The reservation while it is held. */
    Optional<Settled> held(UUID id) {
        return jdbc
            .sql("SELECT id, account_id, amount, reason FROM credit_reservations WHERE id = :id AND state = 'held'")
            .param("id", id)
            .query((rs, n) -> new Settled(rs.getObject("id", UUID.class), rs.getLong("account_id"),
                    rs.getLong("amount"), rs.getString("reason")))
            .optional();
    }

    /** Spent credits per UTC month or year of settlement, oldest first. */
    List<Credits.Usage> usage(long accountId, boolean yearly) {
        return jdbc.sql("""
                SELECT to_char(date_trunc(:unit, settled_at AT TIME ZONE 'UTC'), :format) AS period, sum(spent) AS spent
                FROM credit_reservations
                WHERE account_id = :accountId AND state = 'committed' AND spent > 0
                GROUP BY 1
                ORDER BY 1
                """)
            .param("unit", yearly ? "year" : "month")
            .param("format", yearly ? "YYYY" : "YYYY-MM")
            .param("accountId", accountId)
            .query((rs, n) -> new Credits.Usage(rs.getString("period"), rs.getLong("spent")))
            .list();
    }

    /** Spent credits per account of the reservations settled in {@code [from, to)}. */
    Map<Long, Long> spentPerAccount(Instant from, Instant to) {
        Map<Long, Long> spent = new HashMap<>();
        jdbc.sql("""
                SELECT account_id, sum(spent) AS spent FROM credit_reservations
                WHERE state = 'committed' AND spent > 0 AND settled_at >= :from AND settled_at < :to
                GROUP BY account_id""").param("from", utc(from)).param("to", utc(to)).query(rs -> {
            spent.put(rs.getLong("account_id"), rs.getLong("spent"));
        });
        return spent;
    }

    Optional<String> stateOf(UUID id) {
        return jdbc.sql("SELECT state FROM credit_reservations WHERE id = :id")
            .param("id", id)
            .query(String.class)
            .optional();
    }

}
