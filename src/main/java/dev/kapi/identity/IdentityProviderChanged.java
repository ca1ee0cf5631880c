package dev.kapi.identity;

/**
 * Published in the transaction in which an admin ({@code changedBy}) creates, updates or
 * deletes an external identity provider; {@code change} is {@code created},
 * {@code updated} or {@code deleted}.
 */
public record IdentityProviderChanged(String alias, String type, String change, long changedBy) {
}
