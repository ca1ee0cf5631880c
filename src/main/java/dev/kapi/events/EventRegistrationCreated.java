package dev.kapi.events;

/**
 * Published when an account registers for an event, in the transaction that records it;
 * {@code status} is {@code confirmed}, {@code waitlisted} or {@code pending_approval}.
 */
public record EventRegistrationCreated(long registrationId, long eventId, long accountId, String status) {
}
