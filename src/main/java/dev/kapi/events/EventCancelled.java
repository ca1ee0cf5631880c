package dev.kapi.events;

/**
 * An event was cancelled (soft-deleted, alone or as a future occurrence of a deleted
 * series): its attendees are owed a mail. Published in the transaction of the change.
 */
record EventCancelled(long eventId) {
}
