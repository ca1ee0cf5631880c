package dev.kapi.events;

import java.time.Instant;

/**
 * Published when a ticket is checked in at the door, in the transaction that records it.
 */
public record EventCheckedIn(long registrationId, long eventId, long accountId, Instant checkedInAt) {
}
