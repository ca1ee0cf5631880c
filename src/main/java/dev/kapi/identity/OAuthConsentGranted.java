package dev.kapi.identity;

import java.util.List;

/**
 * Published in the transaction that stores a user's consent to a client of Kapı's OpenID
 * provider (first given, or widened to more scopes): every scope now consented.
 */
public record OAuthConsentGranted(long accountId, String clientId, List<String> scopes) {
}
