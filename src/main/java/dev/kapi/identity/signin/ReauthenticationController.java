package dev.kapi.identity.signin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.identity.passkey.CeremonyResponse;
import dev.kapi.identity.session.Sessions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Recent authentication (RFC 9470's step-up): a route {@link RecentAuthentication} guards
 * answers 401 {@code reauthentication-required}; the client proves the owner again here
 * and retries.
 */
@RestController
@Tag(name = "auth")
class ReauthenticationController {

    private final Reauthentication reauthentication;

    ReauthenticationController(Reauthentication reauthentication) {
        this.reauthentication = reauthentication;
    }

    /**
     * One of: the password, a TOTP code, or a passkey ceremony's id and the
     * authenticator's answer.
     */
    record ReauthenticateRequest(@Size(max = 1024) String password, @Pattern(regexp = "\\d{6}") String code,
            @JsonProperty("ceremony_id") UUID ceremonyId, JsonNode credential) {
    }

    /** The session's proof now. */
    record ProofResponse(@JsonProperty("auth_time") Instant authTime, List<String> amr) {

        static ProofResponse from(Sessions.Proof proof) {
            return new ProofResponse(proof.authTime(), proof.amr());
        }
    }

    @PostMapping("/auth/reauthenticate")
    @Operation(summary = "Prove the session's owner again (password, or the second factor when the account has "
            + "one): its auth_time becomes now, so the routes that need a recent proof work for "
            + "KAPI_IDENTITY_STEPUP_MAXAGE")
    ProofResponse reauthenticate(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody ReauthenticateRequest request) {
        return ProofResponse.from(reauthentication.reauthenticate(me, new Reauthentication.Proof(request.password(),
                request.code(), request.ceremonyId(), request.credential())));
    }

    @PostMapping("/auth/reauthenticate/passkey/options")
    @Operation(summary = "Options to re-authenticate with one of one's passkeys, and the ceremony_id (5 minutes)")
    CeremonyResponse passkeyOptions(@AuthenticationPrincipal CurrentAccount me) {
        return CeremonyResponse.from(reauthentication.passkeyOptions(me));
    }

}
