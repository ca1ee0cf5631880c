package dev.kapi.identity.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountRules;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.recovery.AccountRecovery;
import dev.kapi.identity.session.SessionManagement;
import dev.kapi.identity.signin.LoginResponse;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Confirmation;
import dev.kapi.shared.Messages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The authentication routes of seeds 003 and 001: register, admin register, login,
 * refresh, logout, email verification (and its mail again) and password reset.
 */
@RestController
@Tag(name = "auth")
@SecurityRequirements
class AuthController {

    private final AccountManagement accounts;

    private final PasswordLogin login;

    private final SessionManagement sessions;

    private final AccountRecovery recovery;

    private final Messages messages;

    private final IdentitySettings settings;

    AuthController(AccountManagement accounts, PasswordLogin login, SessionManagement sessions,
            AccountRecovery recovery, Messages messages, IdentitySettings settings) {
        this.accounts = accounts;
        this.login = login;
        this.sessions = sessions;
        this.recovery = recovery;
        this.messages = messages;
        this.settings = settings;
    }

    record AdminRegisterRequest(@NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
            @NotNull @AcceptablePassword String password,
            @JsonProperty("full_name") @NotBlank @Size(max = 200) String fullName,
            @JsonProperty("admin_secret") @NotNull String adminSecret) {
    }

    record LoginRequest(@NotBlank @Size(max = 254) String username, @NotNull @Size(max = 1024) String password) {
    }

    record RefreshRequest(@JsonProperty("refresh_token") @NotBlank @Size(max = 200) String refreshToken) {
    }

    record TokenRequest(@NotBlank @Size(max = 200) String token) {
    }

    record ForgotPasswordRequest(@NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email) {
    }

    record ResendVerificationRequest(@NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email) {
    }

    record ResetPasswordRequest(@NotBlank @Size(max = 200) String token,
            @JsonProperty("new_password") @NotNull @AcceptablePassword String newPassword) {
    }

    @PostMapping("/auth/register")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an account (user type 'user'); 403 sign-up-closed while registration is closed")
    UserResponse register(@Valid @RequestBody RegisterRequest request) {
        return UserResponse.from(accounts.registerSelf(request, LocaleContextHolder.getLocale()));
    }

    @PostMapping("/auth/register/admin")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an admin account with the configured admin secret")
    UserResponse registerAdmin(@Valid @RequestBody AdminRegisterRequest request) {
        if (!StringUtils.hasText(settings.adminSecret())) {
            throw ApiException.notFound("route-not-found");
        }
        if (!MessageDigest.isEqual(settings.adminSecret().getBytes(StandardCharsets.UTF_8),
                request.adminSecret().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.forbidden("admin-secret-invalid");
        }
        return UserResponse.from(accounts.register(request.email(), request.password(), request.fullName(),
                CurrentAccount.ADMIN, LocaleContextHolder.getLocale()));
    }

    @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sign in with email or username and password (JSON)")
    LoginResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return signIn(request, http);
    }

    @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(summary = "Sign in with email or username and password (form fields)")
    LoginResponse loginForm(@Valid @ModelAttribute LoginRequest request, HttpServletRequest http) {
        return signIn(request, http);
    }

    @PostMapping("/auth/refresh")
    @Operation(summary = "Trade a refresh token for a new access token and a new refresh token (rotation)")
    LoginResponse.TokenResponse refresh(@Valid @RequestBody RefreshRequest request) {
        return LoginResponse.TokenResponse.from(sessions.refresh(request.refreshToken()));
    }

    @PostMapping("/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "End the current session; its access and refresh tokens stop working at once")
    void logout(@AuthenticationPrincipal CurrentAccount me) {
        sessions.logout(me);
    }

    @PostMapping("/auth/reset-session-login")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "End every other session of the signed-in user")
    void endOtherSessions(@AuthenticationPrincipal CurrentAccount me) {
        sessions.endOtherSessions(me);
    }

    @PostMapping("/auth/verify-email")
    @Operation(summary = "Confirm the email address with the token from the verification mail")
    Confirmation verifyEmail(@Valid @RequestBody TokenRequest request) {
        recovery.verifyEmail(request.token());
        return Confirmation.of(messages.get("done.email-verified"));
    }

    @PostMapping("/auth/resend-verification")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail the verification link again; the same answer whether or not the address has an "
            + "account with an unverified address")
    Confirmation resendVerification(@Valid @RequestBody ResendVerificationRequest request) {
        recovery.resendVerification(request.email());
        return Confirmation.of(messages.get("done.verification-mail-sent"));
    }

    @PostMapping("/auth/forgot-password")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail a password reset link; the same answer whether or not the address has an account")
    Confirmation forgotPassword(@Valid @RequestBody ForgotPasswordRequest request) {
        recovery.forgotPassword(request.email());
        return Confirmation.of(messages.get("done.reset-mail-sent"));
    }

    @PostMapping("/auth/forgot-password/confirm")
    @Operation(summary = "Set a new password with the token from the reset mail; ends every session")
    Confirmation confirmReset(@Valid @RequestBody ResetPasswordRequest request) {
        recovery.resetPassword(request.token(), request.newPassword());
        return Confirmation.of(messages.get("done.password-reset"));
    }

    @PostMapping("/auth/reset-password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Seed 001's name for changing the signed-in user's password (as /users/me/change-password)")
    void resetPassword(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody UserController.ChangePasswordRequest request) {
        accounts.changePassword(me, request.currentPassword(), request.newPassword(), request.confirmPassword());
    }

    private LoginResponse signIn(LoginRequest request, HttpServletRequest http) {
        return LoginResponse.from(login.login(request.username(), request.password(), http.getRemoteAddr(),
                http.getHeader(HttpHeaders.USER_AGENT)));
    }

}
