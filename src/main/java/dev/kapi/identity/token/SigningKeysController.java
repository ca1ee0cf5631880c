package dev.kapi.identity.token;

import java.util.List;

import jakarta.validation.constraints.Size;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The token signing keys for admins: which signs, which are published until when, and
 * rotation on demand.
 */
@RestController
@RequestMapping("/api/admin/signing-keys")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class SigningKeysController {

    private final SigningKeys keys;

    SigningKeysController(SigningKeys keys) {
        this.keys = keys;
    }

    record KeyResponse(String kid, String algorithm, @JsonProperty("created_at") java.time.Instant createdAt,
            @JsonProperty("activates_at") java.time.Instant activatesAt,
            @JsonProperty("signs_until") java.time.Instant signsUntil,
            @JsonProperty("published_until") java.time.Instant publishedUntil, String state) {

        static KeyResponse from(SigningKeys.KeyView view) {
            return new KeyResponse(view.kid(), view.algorithm(), view.createdAt(), view.activatesAt(),
                    view.signsUntil(), view.publishedUntil(), view.state());
        }
    }

    @GetMapping
    @Operation(summary = "Every signing key, newest first, with its state: published, signing, retiring, retired, "
            + "revoked")
    List<KeyResponse> list() {
        return keys.views().stream().map(KeyResponse::from).toList();
    }

    @PostMapping("/rotate")
    @Operation(summary = "Create the next key of an algorithm (KAPI_JWT_ALGORITHM's unless algorithm names RS256 or "
            + "ES256, the OpenID provider's): it signs after the publish lead, or at once with immediate=true, which "
            + "revokes every key of that algorithm still published (a suspected leak: out of the JWKS, its tokens "
            + "refused at once)")
    KeyResponse rotate(@RequestParam(name = "immediate", defaultValue = "false") boolean immediate,
            @RequestParam(name = "algorithm", required = false) @Size(max = 10) String algorithm) {
        return KeyResponse.from(keys.rotateByAdmin(algorithm, immediate));
    }

}
