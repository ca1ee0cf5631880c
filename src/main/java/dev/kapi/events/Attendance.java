package dev.kapi.events;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Issue 33's part of an event: its time zone, capacity, registration settings and
 * visibility, and the counts of its registrations. {@code shown} is false for an event
 * that never used any of it, which answers seed 003's object exactly. {@code capacity}
 * null is unlimited; {@code opensAt} null opens now, {@code closesAt} null closes at the
 * event's end.
 */
record Attendance(String timezone, Integer capacity, Instant opensAt, Instant closesAt, String approval,
        boolean waitlist, String visibility, boolean shown, int confirmed, int waitlisted, int pending, int checkedIn) {

    static final String DEFAULT_TIMEZONE = "Europe/Istanbul";

    static final String AUTO = "auto";

    static final String MANUAL = "manual";

    static final String SIGNED_IN = "signed_in";

    static final String PUBLIC = "public";

    /** The same, answered from now on (an event of a series always is). */
    Attendance shownNow() {
        return new Attendance(timezone, capacity, opensAt, closesAt, approval, waitlist, visibility, true, confirmed,
                waitlisted, pending, checkedIn);
    }

    ZoneId zone() {
        return ZoneId.of(timezone);
    }

    boolean manual() {
        return MANUAL.equals(approval);
    }

    /** Whether one more registration may be confirmed. */
    boolean hasSeat() {
        return capacity == null || confirmed < capacity;
    }

    /** Seats not yet taken; null when unlimited. */
    Integer seatsLeft() {
        return capacity == null ? null : Math.max(0, capacity - confirmed);
    }

}
