package dev.kapi.plans;

/**
 * Published in the transaction that appends a credit entry: {@code kind} is
 * {@code credit} or {@code debit}, {@code amount} is positive.
 */
public record CreditsChanged(long accountId, String kind, long amount, String reason) {
}
