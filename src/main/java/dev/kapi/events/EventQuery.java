package dev.kapi.events;

import java.time.Instant;

/**
 * One list request, parsed: filters, order, position and page size. {@code tsquery} is
 * the resolved search or null; {@code after} is the cursor or null; {@code now} decides
 * upcoming and past; {@code publicOnly} keeps the events anyone may read.
 */
record EventQuery(String tsquery, Integer categoryId, EventStatus status, EventSort sort, boolean descending,
        boolean includeDeleted, EventCursor after, int skip, int limit, Instant now, boolean publicOnly) {

    EventQuery(String tsquery, Integer categoryId, EventStatus status, EventSort sort, boolean descending,
            boolean includeDeleted, EventCursor after, int skip, int limit, Instant now) {
        this(tsquery, categoryId, status, sort, descending, includeDeleted, after, skip, limit, now, false);
    }
}
