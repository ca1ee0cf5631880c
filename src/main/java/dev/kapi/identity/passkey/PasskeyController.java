package dev.kapi.identity.passkey;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.signin.LoginResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Passkeys (issue 16): registering, listing and removing one's own while signed in, and
 * signing in with one alone (a discoverable credential). Each ceremony is two calls:
 * options (answered as WebAuthn's JSON, for
 * {@code PublicKeyCredential.parseCreationOptionsFromJSON} /
 * {@code parseRequestOptionsFromJSON}) and the authenticator's answer
 * ({@code credential.toJSON()}) with the {@code ceremony_id}.
 */
@RestController
@Tag(name = "mfa")
class PasskeyController {

    private final SecondFactors factors;

    private final PasskeySignIn signIn;

    PasskeyController(SecondFactors factors, PasskeySignIn signIn) {
        this.factors = factors;
        this.signIn = signIn;
    }

    record RegisterPasskeyRequest(@JsonProperty("ceremony_id") @NotNull UUID ceremonyId,
            @NotBlank @Size(max = 100) String label, @NotNull JsonNode credential) {
    }

    record PasskeyList(List<PasskeyResponse> passkeys) {
    }

    record SignInOptionsRequest(@JsonProperty("mfa_token") @Size(max = 200) String mfaToken) {
    }

    record PasskeySignInRequest(@JsonProperty("ceremony_id") @NotNull UUID ceremonyId, @NotNull JsonNode credential) {
    }

    @PostMapping("/users/me/passkeys/options")
    @Operation(summary = "Start registering a passkey: the creation options and the ceremony_id (5 minutes)")
    CeremonyResponse registrationOptions(@AuthenticationPrincipal CurrentAccount me) {
        return CeremonyResponse.from(factors.startPasskey(me));
    }

    @PostMapping("/users/me/passkeys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register the passkey the authenticator made for the ceremony")
    PasskeyResponse register(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody RegisterPasskeyRequest request) {
        return PasskeyResponse
            .from(factors.registerPasskey(me, request.ceremonyId(), request.label().trim(), request.credential()));
    }

    @GetMapping("/users/me/passkeys")
    @Operation(summary = "One's passkeys")
    PasskeyList list(@AuthenticationPrincipal CurrentAccount me) {
        return new PasskeyList(factors.passkeysOf(me).stream().map(PasskeyResponse::from).toList());
    }

    @DeleteMapping("/users/me/passkeys/{passkey_id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove one of one's passkeys")
    void remove(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable("passkey_id") @Size(max = 1000) String passkeyId) {
        factors.removePasskey(me, passkeyId);
    }

    @PostMapping("/auth/passkey/options")
    @SecurityRequirements
    @Operation(summary = "Options to sign in with a passkey: any discoverable one, or with mfa_token one of that "
            + "account's as its second factor")
    CeremonyResponse signInOptions(@Valid @RequestBody(required = false) SignInOptionsRequest request) {
        return CeremonyResponse.from(signIn.options(request == null ? null : request.mfaToken()));
    }

    @PostMapping("/auth/passkey")
    @SecurityRequirements
    @Operation(summary = "Sign in with a passkey alone: the token pair")
    LoginResponse.TokenResponse signIn(@Valid @RequestBody PasskeySignInRequest request, HttpServletRequest http) {
        return LoginResponse.TokenResponse.from(signIn.signIn(request.ceremonyId(), request.credential(),
                http.getRemoteAddr(), http.getHeader(HttpHeaders.USER_AGENT)));
    }

}
