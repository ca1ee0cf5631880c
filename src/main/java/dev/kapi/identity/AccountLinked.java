package dev.kapi.identity;

/**
 * Published in the transaction that links an external identity ({@code subject} at the
 * provider {@code alias}) to an account, at sign-up, by a verified address or by its
 * signed-in owner.
 */
public record AccountLinked(long accountId, String publicId, String alias, String subject) {
}
