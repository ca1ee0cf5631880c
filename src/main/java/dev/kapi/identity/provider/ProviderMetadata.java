package dev.kapi.identity.provider;

import java.util.List;
import java.util.Map;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

import dev.kapi.identity.hosted.SsoAuthentication;

/**
 * The discovery documents as they are true of Kapı
 * ({@code /.well-known/openid-configuration} and
 * {@code /.well-known/oauth-authorization-server}): SAS's own list a few things Kapı does
 * not do (token exchange, mutual TLS, DPoP, {@code client_secret_jwt}); this rewrites
 * both to exactly what works.
 */
final class ProviderMetadata {

    static final List<String> GRANT_TYPES = List.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
            AuthorizationGrantType.REFRESH_TOKEN.getValue(), AuthorizationGrantType.CLIENT_CREDENTIALS.getValue(),
            AuthorizationGrantType.DEVICE_CODE.getValue());

    static final List<String> AUTH_METHODS = List.of("client_secret_basic", "client_secret_post", "private_key_jwt",
            "none");

    static final List<String> ACR_VALUES = List.of(SsoAuthentication.ACR_MFA, SsoAuthentication.ACR_SFA);

    private ProviderMetadata() {
    }

    /** Rewrites a document SAS built for {@code issuer}. */
    static void rewrite(Map<String, Object> claims, String issuer, boolean openid) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        claims.remove("tls_client_certificate_bound_access_tokens");
        claims.remove("dpop_signing_alg_values_supported");
        claims.remove("pushed_authorization_request_endpoint");
        claims.remove("require_pushed_authorization_requests");
        claims.remove("registration_endpoint");
        claims.put("issuer", issuer);
        claims.put("authorization_endpoint", base + "/oauth2/authorize");
        claims.put("token_endpoint", base + "/oauth2/token");
        claims.put("jwks_uri", base + "/.well-known/jwks.json");
        claims.put("revocation_endpoint", base + "/oauth2/revoke");
        claims.put("introspection_endpoint", base + "/oauth2/introspect");
        claims.put("device_authorization_endpoint", base + "/oauth2/device_authorization");
        claims.put("grant_types_supported", GRANT_TYPES);
        claims.put("response_types_supported", List.of("code"));
        claims.put("response_modes_supported", List.of("query"));
        claims.put("code_challenge_methods_supported", List.of("S256"));
        claims.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        claims.put("revocation_endpoint_auth_methods_supported", AUTH_METHODS);
        claims.put("introspection_endpoint_auth_methods_supported", AUTH_METHODS);
        claims.put("scopes_supported", ProviderClaims.SCOPES);
        claims.put("claims_supported", ProviderClaims.CLAIMS);
        claims.put("subject_types_supported", List.of("public"));
        claims.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA"));
        claims.put("acr_values_supported", ACR_VALUES);
        claims.put("prompt_values_supported", List.of("none", "login", "consent"));
        claims.put("claims_parameter_supported", false);
        claims.put("request_parameter_supported", false);
        claims.put("request_uri_parameter_supported", false);
        claims.put("authorization_response_iss_parameter_supported", true);
        claims.put("userinfo_endpoint", base + "/userinfo");
        claims.put("end_session_endpoint", base + "/connect/logout");
        claims.put("backchannel_logout_supported", true);
        claims.put("backchannel_logout_session_supported", true);
        if (!openid) {
            claims.remove("subject_types_supported");
            claims.remove("id_token_signing_alg_values_supported");
        }
    }

}
