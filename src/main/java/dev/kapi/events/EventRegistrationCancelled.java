package dev.kapi.events;

/**
 * Published when an account cancels its registration, in the transaction that records it;
 * {@code promotedRegistrationId} is the waiting registration that took the freed seat, if
 * one did.
 */
public record EventRegistrationCancelled(long registrationId, long eventId, long accountId,
        Long promotedRegistrationId) {
}
