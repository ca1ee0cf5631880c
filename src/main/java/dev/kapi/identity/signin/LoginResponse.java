package dev.kapi.identity.signin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Seed 003's token answer or, for an account with a second factor, the challenge of the
 * second step: what every sign-in answers, whichever way it was made (a password, a
 * mailed link or code, a passkey, a second factor).
 */
@Schema(oneOf = { LoginResponse.TokenResponse.class, LoginResponse.MfaRequiredResponse.class })
public sealed interface LoginResponse permits LoginResponse.TokenResponse, LoginResponse.MfaRequiredResponse {

    static LoginResponse from(PasswordLogin.Outcome outcome) {
        return switch (outcome) {
            case PasswordLogin.SignedIn signedIn -> TokenResponse.from(signedIn);
            case PasswordLogin.SecondFactorRequired required ->
                new MfaRequiredResponse(true, required.mfaToken(), required.methods());
            case PasswordLogin.SessionOpened opened ->
                throw new IllegalStateException("The API's sign-in routes always finish with tokens");
        };
    }

    record MfaRequiredResponse(@JsonProperty("mfa_required") boolean mfaRequired,
            @JsonProperty("mfa_token") String mfaToken, List<String> methods) implements LoginResponse {
    }

    record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn, @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("password_reset_required") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passwordResetRequired)
            implements
                LoginResponse {

        public static TokenResponse from(PasswordLogin.SignedIn signedIn) {
            return new TokenResponse(signedIn.access().value(), "bearer", signedIn.access().expiresInSeconds(),
                    signedIn.refreshToken(), signedIn.passwordResetRequired() ? Boolean.TRUE : null);
        }
    }

}
