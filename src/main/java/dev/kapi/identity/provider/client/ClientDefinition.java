package dev.kapi.identity.provider.client;

import java.util.List;

/**
 * What an admin says a client is, as checked by {@link ClientRules}: its URIs exact and
 * distinct, its grants and scopes among those Kapı serves.
 */
record ClientDefinition(String name, ClientType type, List<String> redirectUris, List<String> postLogoutRedirectUris,
        List<String> grantTypes, List<String> scopes, boolean requireConsent, String backchannelLogoutUri,
        String idTokenAlg, String jwksUri) {
}
