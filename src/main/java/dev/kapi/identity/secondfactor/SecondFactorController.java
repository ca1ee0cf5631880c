package dev.kapi.identity.secondfactor;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.passkey.PasskeyResponse;
import dev.kapi.identity.signin.LoginResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Second factors (issue 16): one's TOTP authenticator and recovery codes, the second step
 * of a sign-in, and the admin's view and removal of a user's factors (by the admin API's
 * public {@code userId}).
 */
@RestController
@Tag(name = "mfa")
class SecondFactorController {

    private final SecondFactors factors;

    private final SecondFactorLogin login;

    SecondFactorController(SecondFactors factors, SecondFactorLogin login) {
        this.factors = factors;
        this.login = login;
    }

    record CodeRequest(@NotNull @Pattern(regexp = "\\d{6}") String code) {
    }

    record MfaLoginRequest(@JsonProperty("mfa_token") @NotBlank @Size(max = 200) String mfaToken,
            @Pattern(regexp = "\\d{6}") String code,
            @JsonProperty("recovery_code") @Size(min = 1, max = 32) String recoveryCode, @Valid PasskeyProof passkey) {
    }

    /**
     * A passkey as the second factor: the ceremony from /auth/passkey/options with the
     * mfa_token, and its answer.
     */
    record PasskeyProof(@JsonProperty("ceremony_id") @NotNull java.util.UUID ceremonyId,
            @NotNull tools.jackson.databind.JsonNode credential) {
    }

    record TotpEnrolmentResponse(String secret, @JsonProperty("otpauth_uri") String otpauthUri,
            @JsonProperty("qr_svg") String qrSvg) {
    }

    record RecoveryCodesResponse(@JsonProperty("recovery_codes") List<String> recoveryCodes) {
    }

    record MfaStatusResponse(boolean totp, @JsonProperty("recovery_codes_left") int recoveryCodesLeft,
            List<PasskeyResponse> passkeys, List<String> methods, boolean required) {

        static MfaStatusResponse from(SecondFactors.Status status) {
            return new MfaStatusResponse(status.totp(), status.recoveryCodesLeft(),
                    status.passkeys().stream().map(PasskeyResponse::from).toList(), status.methods(),
                    status.required());
        }
    }

    @GetMapping("/users/me/mfa")
    @Operation(summary = "One's second factors: whether TOTP is on, recovery codes left, the sign-in methods")
    MfaStatusResponse status(@AuthenticationPrincipal CurrentAccount me) {
        return MfaStatusResponse.from(factors.status(me.id()));
    }

    @PostMapping("/users/me/mfa/totp")
    @Operation(summary = "Start TOTP enrolment: a new secret, its otpauth URI and QR code (SVG); on after confirm")
    TotpEnrolmentResponse startTotp(@AuthenticationPrincipal CurrentAccount me) {
        SecondFactors.TotpEnrolment enrolment = factors.startTotp(me);
        return new TotpEnrolmentResponse(enrolment.secret(), enrolment.otpauthUri(), enrolment.qrSvg());
    }

    @PostMapping("/users/me/mfa/totp/confirm")
    @Operation(summary = "Turn TOTP on with a first code; answers ten recovery codes, shown only this once")
    RecoveryCodesResponse confirmTotp(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CodeRequest request) {
        return new RecoveryCodesResponse(factors.confirmTotp(me, request.code()));
    }

    @DeleteMapping("/users/me/mfa/totp")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Turn TOTP off with a current code; its recovery codes go too")
    void disableTotp(@AuthenticationPrincipal CurrentAccount me, @Valid @RequestBody CodeRequest request) {
        factors.disableTotp(me, request.code());
    }

    @PostMapping("/users/me/mfa/recovery-codes")
    @Operation(summary = "A new set of ten recovery codes; the old ones stop working")
    RecoveryCodesResponse regenerateRecoveryCodes(@AuthenticationPrincipal CurrentAccount me) {
        return new RecoveryCodesResponse(factors.regenerateRecoveryCodes(me));
    }

    @PostMapping("/auth/login/mfa")
    @SecurityRequirements
    @Operation(
            summary = "Second step of a sign-in: the mfa_token and a TOTP code, a recovery code or a passkey; the token pair")
    LoginResponse.TokenResponse loginMfa(@Valid @RequestBody MfaLoginRequest request, HttpServletRequest http) {
        return LoginResponse.TokenResponse.from(login.finish(request.mfaToken(),
                new SecondFactorLogin.Proof(request.code(), request.recoveryCode(),
                        request.passkey() == null ? null : request.passkey().ceremonyId(),
                        request.passkey() == null ? null : request.passkey().credential()),
                http.getRemoteAddr(), http.getHeader(HttpHeaders.USER_AGENT)));
    }

    /** The admin API's envelope (seed 004). */
    record AdminMfaStatus(boolean success, MfaStatusResponse data) {
    }

    @GetMapping("/api/admin/users/{userId}/mfa")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "A user's second factors, by its public userId (admin)")
    AdminMfaStatus userStatus(@PathVariable @Size(max = 64) String userId) {
        return new AdminMfaStatus(true, MfaStatusResponse.from(factors.status(factors.accountIdOf(userId))));
    }

    @DeleteMapping("/api/admin/users/{userId}/mfa")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove every second factor of a user (admin; audited), e.g. after a lost phone")
    void removeFactors(@AuthenticationPrincipal CurrentAccount me, @PathVariable @Size(max = 64) String userId) {
        factors.removeAll(me, factors.accountIdOf(userId));
    }

}
