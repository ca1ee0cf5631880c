package dev.kapi.identity.provider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.token.AccessTokens;
import dev.kapi.identity.token.SigningKeys;
import dev.kapi.identity.token.SigningSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * What other services need to trust Kapı's tokens without its secret: the OpenID Connect
 * discovery document and the JSON Web Key Set of the public keys that sign tokens (the
 * provider's always; Kapı's own access tokens under HS256 only Kapı itself can check).
 */
@RestController
@Tag(name = "discovery")
@SecurityRequirements
class Discovery {

    /**
     * Shorter than the publish lead, so a relying party's cached set always knows the
     * next key in time.
     */
    private static final CacheControl JWKS_CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

    private final AccessTokens tokens;

    private final SigningKeys keys;

    private final SigningSettings settings;

    Discovery(AccessTokens tokens, SigningKeys keys, SigningSettings settings) {
        this.tokens = tokens;
        this.keys = keys;
        this.settings = settings;
    }

    @GetMapping("/.well-known/openid-configuration")
    @Operation(summary = "OpenID Connect discovery: issuer, JWKS, token and introspection endpoints, algorithms")
    Map<String, Object> configuration() {
        String issuer = tokens.issuer();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", base + "/.well-known/jwks.json");
        document.put("token_endpoint", base + "/auth/login");
        document.put("introspection_endpoint", base + "/oauth2/introspect");
        document.put("userinfo_endpoint", base + "/users/me");
        document.put("grant_types_supported", List.of("password", "refresh_token"));
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of(settings.algorithm()));
        document.put("token_endpoint_auth_methods_supported", List.of("none"));
        document.put("introspection_endpoint_auth_methods_supported", List.of("bearer"));
        document.put("claims_supported", List.of("iss", "sub", "sid", "iat", "exp", "jti"));
        return document;
    }

    @GetMapping("/.well-known/jwks.json")
    @Operation(summary = "The public keys that verify Kapı's tokens, by kid: the OpenID provider's (RS256, ES256) "
            + "always, and those of Kapı's own access tokens unless they are HS256")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(JWKS_CACHE).body(keys.published().toJSONObject(true));
    }

}
