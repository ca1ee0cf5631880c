package dev.kapi.identity;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What other modules may look up about accounts they refer to by id, such as the author of an event.
 * One call per page of ids, never one per row.
 */
public interface AccountDirectory {

    /** The full names of those of the given accounts that exist; accounts without one map to null. */
    Map<Long, String> fullNames(Collection<Long> accountIds);

    /** Those of the given accounts that are frozen (seed 001): their background work must not start. */
    Set<Long> frozen(Collection<Long> accountIds);
}
