package dev.kapi.identity;

import java.util.List;

/**
 * Published in the transaction that registers a client of Kapı's OpenID provider, by the
 * admin {@code createdBy} (the creating admin of a service key, for a key).
 */
public record OAuthClientCreated(String clientId, String clientName, String clientType, List<String> grantTypes,
        List<String> scopes, long createdBy) {
}
