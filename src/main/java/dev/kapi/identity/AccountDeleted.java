package dev.kapi.identity;

/**
 * Published after an account was removed for good; modules drop or anonymise what they
 * kept for it.
 */
public record AccountDeleted(long accountId, String publicId) {
}
