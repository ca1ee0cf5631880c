package dev.kapi.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What other modules may look up about accounts they refer to by id, such as the author
 * of an event. One call per page of ids, never one per row.
 */
public interface AccountDirectory {

    /**
     * The full names of those of the given accounts that exist; accounts without one map
     * to null.
     */
    Map<Long, String> fullNames(Collection<Long> accountIds);

    /**
     * Those of the given accounts that are frozen: background work on their behalf
     * pauses.
     */
    Set<Long> frozen(Collection<Long> accountIds);

    /**
     * The public ids (as the admin API shows them) of those of the given accounts that
     * exist.
     */
    Map<Long, String> publicIds(Collection<Long> accountIds);

    /**
     * The language tags ({@code tr}, {@code en}) of those of the given accounts that
     * exist: what to write to them in.
     */
    Map<Long, String> languages(Collection<Long> accountIds);

    /**
     * How many accounts have a live session (not ended, not expired at {@code now}) used
     * since {@code since}.
     */
    long activeSince(Instant since, Instant now);

    /**
     * Accounts created per UTC day in {@code [from, to)}; days without any are left out.
     */
    Map<LocalDate, Long> signUpsPerDay(Instant from, Instant to);

    /**
     * Successful logins per UTC day in {@code [from, to)}, from the audit log; days
     * without any are left out.
     */
    Map<LocalDate, Long> loginsPerDay(Instant from, Instant to);

}
