package dev.kapi.plans;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.plans.Credits.Balance;
import dev.kapi.plans.Credits.Entry;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The credit ledger: entries that are only ever appended, and per account the running
 * sums of its entries. {@link #append} writes both in the caller's transaction, so the
 * sums always equal the entries; the database refuses to change or delete an entry.
 */
@Repository
class Ledger {

    static final String CREDIT = "credit";
    static final String DEBIT = "debit";

    private final JdbcClient jdbc;

    private final ApplicationEventPublisher events;

    Ledger(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** What a new entry says; {@code reservationId} links the entries of one spend. */
    record NewEntry(long accountId, String kind, long amount, String reason, String note, Long actorId,
            UUID reservationId) {
    }

    /**
     * The account's balance, locked until the transaction ends: every change to an
     * account's credits takes this lock first, so they happen one after another and each
     * sees the balance the one before left.
     */
    Balance lock(long accountId) {
        jdbc.sql("INSERT INTO credit_balances (account_id) VALUES (:accountId) ON CONFLICT (account_id) DO NOTHING")
            .param("accountId", accountId)
            .update();
        return jdbc.sql("SELECT credit, debit FROM credit_balances WHERE account_id = :accountId FOR UPDATE")
            .param("accountId", accountId)
            .query(Ledger::balance)
            .single();
    }

    /**
     * Appends the entry and adds its amount to the account's sums; the caller holds
     * {@link #lock}.
     */
    Entry append(NewEntry entry, Instant now) {
        Entry appended = jdbc
            .sql("""
                    INSERT INTO credit_entries (account_id, kind, amount, reason, note, actor_id, reservation_id, created_at)
                    VALUES (:accountId, :kind, :amount, :reason, :note, :actorId, :reservationId, :now)
                    RETURNING *
                    """)
            .param("accountId", entry.accountId())
            .param("kind", entry.kind())
            .param("amount", entry.amount())
            .param("reason", entry.reason())
            .param("note", entry.note())
            .param("actorId", entry.actorId())
            .param("reservationId", entry.reservationId())
            .param("now", utc(now))
            .query(Ledger::entry)
            .single();
        jdbc.sql("""
                UPDATE credit_balances SET credit = credit + :credit, debit = debit + :debit
                WHERE account_id = :accountId
                """)
            .param("credit", CREDIT.equals(entry.kind()) ? entry.amount() : 0L)
            .param("debit", DEBIT.equals(entry.kind()) ? entry.amount() : 0L)
            .param("accountId", entry.accountId())
            .update();
        events.publishEvent(new CreditsChanged(entry.accountId(), entry.kind(), entry.amount(), entry.reason()));
        return appended;
    }

    Balance balanceOf(long accountId) {
        return jdbc.sql("SELECT credit, debit FROM credit_balances WHERE account_id = :accountId")
            .param("accountId", accountId)
            .query(Ledger::balance)
            .optional()
            .orElse(Balance.ZERO);
    }

    /** Every id is a key; an account without entries has {@link Balance#ZERO}. */
    Map<Long, Balance> balancesOf(Collection<Long> accountIds) {
        Map<Long, Balance> balances = new LinkedHashMap<>();
        accountIds.forEach(id -> balances.put(id, Balance.ZERO));
        if (!accountIds.isEmpty()) {
            jdbc.sql("SELECT account_id, credit, debit FROM credit_balances WHERE account_id IN (:ids)")
                .param("ids", List.copyOf(accountIds))
                .query((rs, n) -> Map.entry(rs.getLong("account_id"), balance(rs, n)))
                .list()
                .forEach(found -> balances.put(found.getKey(), found.getValue()));
        }
        return balances;
    }

    /** Newest first, at most {@code limit}, older than {@code beforeId} when given. */
    List<Entry> entriesOf(long accountId, int limit, Long beforeId) {
        return jdbc.sql("""
                SELECT * FROM credit_entries
                WHERE account_id = :accountId AND (CAST(:before AS bigint) IS NULL OR id < :before)
                ORDER BY id DESC
                LIMIT :limit
                """)
            .param("accountId", accountId)
            .param("before", beforeId)
            .param("limit", limit)
            .query(Ledger::entry)
            .list();
    }

    private static Balance balance(ResultSet rs, int n) throws SQLException {
        return new Balance(rs.getLong("credit"), rs.getLong("debit"));
    }

    private static Entry entry(ResultSet rs, int n) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getLong("account_id"), rs.getString("kind"), rs.getLong("amount"),
                rs.getString("reason"), rs.getString("note"), rs.getObject("actor_id", Long.class),
                instant(rs, "created_at"));
    }

}
