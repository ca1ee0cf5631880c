package dev.kapi.identity;

import java.util.UUID;

/**
 * Published once, on the instance that ended them, when sessions of an account were
 * revoked: one session ({@code sessionId}), or all of the account's ({@code sessionId}
 * null) but the one it kept, if any.
 */
public record SessionRevoked(long accountId, UUID sessionId, String reason) {
}
