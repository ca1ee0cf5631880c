package dev.kapi.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A campaign: a draft's text sent from one or more of the user's accounts to groups and customers, at once
 * or from {@code scheduledAt}. {@code created} until started; then {@code scheduled} or {@code running},
 * {@code paused}, and finally {@code completed} or {@code cancelled}.
 */
record Queue(long id, long ownerId, String name, Long draftId, String body, List<Long> senderIds,
        List<Long> groupIds, List<Long> customerIds, String status, Instant scheduledAt, int total, int blacklisted,
        long charged, Instant createdAt, Instant startedAt, Instant finishedAt, Instant updatedAt) {

    static final String CREATED = "created";
    static final String SCHEDULED = "scheduled";
    static final String RUNNING = "running";
    static final String PAUSED = "paused";
    static final String CANCELLED = "cancelled";
    static final String COMPLETED = "completed";

    static final Set<String> ACTIVE = Set.of(SCHEDULED, RUNNING, PAUSED);

    /** Every status, in the order a queue goes through them. */
    static final List<String> STATUSES = List.of(CREATED, SCHEDULED, RUNNING, PAUSED, CANCELLED, COMPLETED);

    boolean ended() {
        return CANCELLED.equals(status) || COMPLETED.equals(status);
    }
}
