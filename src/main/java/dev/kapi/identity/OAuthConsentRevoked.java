package dev.kapi.identity;

/**
 * Published in the transaction that removes a user's consent to a client of Kapı's OpenID
 * provider ({@code DELETE /users/me/consents/{client_id}}): what the client was given for
 * the account is to go with it (its stored authorizations and tokens).
 */
public record OAuthConsentRevoked(long accountId, String clientId) {
}
