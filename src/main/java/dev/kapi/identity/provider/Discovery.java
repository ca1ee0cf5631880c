package dev.kapi.identity.provider;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.token.SigningKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * What other services need to trust Kapı's tokens without its secret: the JSON Web Key
 * Set of the public keys that sign tokens (the provider's always; Kapı's own access
 * tokens under HS256 only Kapı itself can check). The discovery documents are the
 * provider's ({@link ProviderSecurity}).
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

    private final SigningKeys keys;

    Discovery(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping("/.well-known/jwks.json")
    @Operation(summary = "The public keys that verify Kapı's tokens, by kid: the OpenID provider's (RS256, ES256) "
            + "always, and those of Kapı's own access tokens unless they are HS256")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(JWKS_CACHE).body(keys.published().toJSONObject(true));
    }

}
