package dev.kapi.events;

import java.time.Instant;

/**
 * One account's registration for one event. {@code ticketCode} is given when the
 * registration is first confirmed; {@code waitlistedAt} orders the waiting list.
 */
record Registration(long id, long eventId, long accountId, String status, String note, String ticketCode,
        Instant waitlistedAt, Instant checkedInAt, Instant createdAt, Instant updatedAt) {

    static final String CONFIRMED = "confirmed";

    static final String WAITLISTED = "waitlisted";

    static final String PENDING = "pending_approval";

    static final String DECLINED = "declined";

    static final String CANCELLED = "cancelled";

    /** Holding a seat, a place in the waiting list or awaiting an editor. */
    boolean active() {
        return CONFIRMED.equals(status) || WAITLISTED.equals(status) || PENDING.equals(status);
    }

    boolean confirmed() {
        return CONFIRMED.equals(status);
    }

}
