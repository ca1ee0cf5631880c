package dev.kapi.events;

/**
 * A mail an attendee is owed about a registration: {@code kind} is {@code confirmed},
 * {@code waitlisted}, {@code pending}, {@code promoted} (a seat from the waiting list),
 * {@code approved} or {@code declined}. Published in the transaction of the change; sent
 * after it committed.
 */
record RegistrationMail(long registrationId, String kind) {
}
