package dev.kapi.identity;

/**
 * Published in the transaction that changes an account's own profile (name, email,
 * status).
 */
public record AccountUpdated(long accountId, String publicId, boolean emailChanged) {
}
