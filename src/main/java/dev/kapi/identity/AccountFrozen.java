package dev.kapi.identity;

/** Published in the transaction that freezes ({@code frozen} true) or thaws an account. */
public record AccountFrozen(long accountId, String publicId, boolean frozen) {
}
