package dev.kapi.identity;

/**
 * Published in the transaction that creates an account (self-registered or made by an
 * admin).
 */
public record AccountRegistered(long accountId, String publicId, String email, String role) {
}
