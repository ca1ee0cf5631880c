package dev.kapi.plans;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An account's credits (seeds 004, 001) as an append-only ledger: every change is an
 * entry, and the account's {@code credit} and {@code debit} are the sums of its entries
 * of each kind. Spending reserves credits first and then commits or refunds them; the
 * credit never goes below zero, also under concurrent spends.
 */
public interface Credits {

    /** The sums of an account's entries. */
    record Balance(long credit, long debit) {

        public static final Balance ZERO = new Balance(0, 0);

    }

    /**
     * One ledger entry. {@code kind} is {@code credit} or {@code debit}, the total it
     * changes; {@code amount} is signed; {@code reason} is {@code load},
     * {@code adjustment}, {@code reservation} or {@code refund}.
     */
    record Entry(long id, long accountId, String kind, long amount, String reason, String note, Long actorId,
            Instant createdAt) {
    }

    /**
     * Credits spent in one month ({@code 2026-11}) or year ({@code 2026}), by when the
     * spends were settled.
     */
    record Usage(String period, long spent) {
    }

    /** Credits held for a spend until it is committed or refunded. */
    record Reservation(UUID id, long accountId, long amount) {
    }

    Balance balanceOf(long accountId);

    /**
     * The balances of several accounts in one query; every id is a key
     * ({@link Balance#ZERO} if none).
     */
    Map<Long, Balance> balancesOf(Collection<Long> accountIds);

    /**
     * Writes {@code adjustment} entries so that the sums equal the given totals (null
     * leaves a total as it is; an unchanged total writes nothing). 400
     * {@code credit-total-invalid} naming {@code credit} or {@code debit} when negative.
     */
    Balance setTotals(long accountId, Long credit, Long debit, Long actorId, String note);

    /**
     * Adds credits ({@code load}). 400 {@code credit-amount-invalid} naming
     * {@code amount} unless positive.
     */
    Entry load(long accountId, long amount, String note, Long actorId);

    /** Every entry of the account, newest first. */
    List<Entry> entriesOf(long accountId);

    /**
     * A page of entries, newest first; {@code beforeId} is the last id of the previous
     * page, or null.
     */
    List<Entry> entriesOf(long accountId, int limit, Long beforeId);

    /**
     * Takes {@code amount} credits from the balance ({@code reservation} entry,
     * {@code reason} as its note). 409 {@code insufficient-credits} when the credit is
     * smaller; nothing is written then.
     */
    Reservation reserve(long accountId, long amount, String reason);

    /**
     * Takes as much of {@code amount} as the credit covers, like {@link #reserve} and
     * under the same lock: the credit is read and taken in one step, so a spend elsewhere
     * just before leaves less to cover, never a refusal, and the credit never goes below
     * zero. Returns the reservation of what was covered (its {@code amount} at most the
     * one asked for), or empty when the credit is zero: nothing is written then. 400
     * {@code credit-amount-invalid} naming {@code amount} unless positive.
     */
    Optional<Reservation> reserveUpTo(long accountId, long amount, String reason);

    /**
     * Makes a reservation's spend final; writes no entry (the credits left the balance
     * when reserved). Idempotent. 404 {@code reservation-not-found}; 409
     * {@code reservation-refunded}.
     */
    void commit(UUID reservationId);

    /**
     * Gives a reservation's credits back with a {@code refund} entry. Idempotent. 404
     * {@code reservation-not-found}; 409 {@code reservation-committed}.
     */
    void refund(UUID reservationId);

    /**
     * Settles a reservation of which only {@code spent} credits were used: they are spent
     * for good and the rest is given back with one {@code refund} entry (all spent is
     * {@link #commit}, none is {@link #refund}). Idempotent like those. 400
     * {@code credit-amount-invalid} unless {@code 0 <= spent <= amount}.
     */
    void settle(UUID reservationId, long spent);

    /**
     * The credits an account spent per UTC month ({@code yearly} false) or year, oldest
     * first: each settled reservation counts its spent part at the time it was settled.
     */
    List<Usage> usage(long accountId, boolean yearly);

    /**
     * The credits each account spent in {@code [from, to)} by when the spends were
     * settled, like {@link #usage}; accounts that spent nothing are left out.
     */
    Map<Long, Long> spentPerAccount(Instant from, Instant to);

}
