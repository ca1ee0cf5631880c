package dev.kapi.identity.provider.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.kapi.shared.ApiException;

/**
 * The rules a client registration passes, field by field, each failure a 400 naming the
 * field. Redirect URIs are matched exactly at the authorization endpoint, so they are
 * registered exactly: absolute, no fragment, no wildcard, no user info, {@code https}, or
 * {@code http} only for a loopback host ({@code 127.0.0.1}, {@code [::1]},
 * {@code localhost}: native apps, RFC 8252). A public client authenticates with nothing,
 * so it cannot have {@code client_credentials}; {@code refresh_token} comes with a grant
 * that signs a user in. Scopes are the standard ones or custom ones of the form
 * {@code a-z0-9_.:-}, for other resource servers.
 */
final class ClientRules {

    static final int MAX_URIS = 10;

    static final int MAX_URI = 2048;

    static final int MAX_SCOPES = 20;

    static final int MAX_SCOPE = 64;

    static final String AUTHORIZATION_CODE = "authorization_code";

    static final String REFRESH_TOKEN = "refresh_token";

    static final String CLIENT_CREDENTIALS = "client_credentials";

    static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

    static final Set<String> GRANT_TYPES = Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS, DEVICE_CODE);

    static final Set<String> STANDARD_SCOPES = Set.of("openid", "profile", "email", "offline_access", "roles",
            "entitlements");

    /** The algorithms an ID token may be signed with; RS256 is OpenID's mandatory one. */
    static final Set<String> ID_TOKEN_ALGORITHMS = Set.of("RS256", "ES256", "EdDSA");

    private static final Pattern CUSTOM_SCOPE = Pattern.compile("[a-z][a-z0-9_.:-]*");

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "localhost");

    private ClientRules() {
    }

    /** The definition checked, its lists made distinct in their order. */
    static ClientDefinition check(ClientDefinition client) {
        List<String> grants = distinct(client.grantTypes());
        for (int i = 0; i < grants.size(); i++) {
            if (!GRANT_TYPES.contains(grants.get(i))) {
                throw ApiException.invalidField("grant_types[" + i + "]", "oauth-client-grant-unsupported");
            }
        }
        if (client.type() == ClientType.PUBLIC && grants.contains(CLIENT_CREDENTIALS)) {
            throw ApiException.invalidField("grant_types", "oauth-client-public-credentials");
        }
        if (grants.contains(REFRESH_TOKEN) && !grants.contains(AUTHORIZATION_CODE) && !grants.contains(DEVICE_CODE)) {
            throw ApiException.invalidField("grant_types", "oauth-client-refresh-alone");
        }
        List<String> redirects = uris("redirect_uris", client.redirectUris());
        if (grants.contains(AUTHORIZATION_CODE) && redirects.isEmpty()) {
            throw ApiException.invalidField("redirect_uris", "oauth-client-redirect-required");
        }
        List<String> postLogout = uris("post_logout_redirect_uris", client.postLogoutRedirectUris());
        List<String> scopes = distinct(client.scopes());
        if (scopes.size() > MAX_SCOPES) {
            throw ApiException.invalidField("scopes", "oauth-client-too-many", MAX_SCOPES);
        }
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            if (!STANDARD_SCOPES.contains(scope)
                    && (scope.length() > MAX_SCOPE || !CUSTOM_SCOPE.matcher(scope).matches())) {
                throw ApiException.invalidField("scopes[" + i + "]", "oauth-client-scope-invalid", MAX_SCOPE);
            }
        }
        String algorithm = client.idTokenAlg() == null ? "RS256" : client.idTokenAlg();
        if (!ID_TOKEN_ALGORITHMS.contains(algorithm)) {
            throw ApiException.invalidField("id_token_signed_response_alg", "oauth-client-alg-unsupported");
        }
        if (client.type() == ClientType.PUBLIC && client.jwksUri() != null) {
            throw ApiException.invalidField("jwks_uri", "oauth-client-public-keys");
        }
        return new ClientDefinition(client.name().strip(), client.type(), redirects, postLogout, grants, scopes,
                client.requireConsent(), client.backchannelLogoutUri(), algorithm, client.jwksUri());
    }

    /** The URIs checked one by one, each named by its index. */
    private static List<String> uris(String field, List<String> uris) {
        List<String> distinct = distinct(uris);
        if (distinct.size() > MAX_URIS) {
            throw ApiException.invalidField(field, "oauth-client-too-many", MAX_URIS);
        }
        for (int i = 0; i < distinct.size(); i++) {
            redirectUri(field + "[" + i + "]", distinct.get(i));
        }
        return distinct;
    }

    /**
     * One redirect URI: absolute, http(s), no fragment, user info, wildcard, comma or
     * white space, {@code http} only at a loopback host.
     */
    static void redirectUri(String field, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_URI) {
            throw ApiException.invalidField(field, "oauth-client-redirect-invalid", MAX_URI);
        }
        if (value.contains("*") || value.contains(",") || value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw ApiException.invalidField(field, "oauth-client-redirect-invalid", MAX_URI);
        }
        URI uri;
        try {
            uri = new URI(value);
        }
        catch (URISyntaxException ex) {
            throw ApiException.invalidField(field, "oauth-client-redirect-invalid", MAX_URI);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null || !scheme.equals("https") && !scheme.equals("http")) {
            throw ApiException.invalidField(field, "oauth-client-redirect-invalid", MAX_URI);
        }
        if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw ApiException.invalidField(field, "oauth-client-redirect-http");
        }
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
    }

}
