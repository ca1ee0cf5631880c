package dev.kapi.identity;

/**
 * Published in the transaction in which an account's owner removes one of its external
 * identities.
 */
public record AccountUnlinked(long accountId, String publicId, String alias, String subject) {
}
