package dev.kapi.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Seed 003's authentication routes: register, admin register and login. */
@RestController
@Tag(name = "auth")
@SecurityRequirements
class AuthController {

    private final AccountManagement accounts;
    private final PasswordLogin login;
    private final IdentitySettings settings;

    AuthController(AccountManagement accounts, PasswordLogin login, IdentitySettings settings) {
        this.accounts = accounts;
        this.login = login;
        this.settings = settings;
    }

    record RegisterRequest(@NotBlank @Email(regexp = EMAIL) @Size(max = 254) String email, @NotNull @AcceptablePassword String password,
            @JsonProperty("full_name") @NotBlank @Size(max = 200) String fullName) {
    }

    record AdminRegisterRequest(@NotBlank @Email(regexp = EMAIL) @Size(max = 254) String email,
            @NotNull @AcceptablePassword String password,
            @JsonProperty("full_name") @NotBlank @Size(max = 200) String fullName,
            @JsonProperty("admin_secret") @NotNull String adminSecret) {
    }

    record LoginRequest(@NotBlank @Size(max = 254) String username, @NotNull @Size(max = 1024) String password) {
    }

    record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn) {

        static TokenResponse from(AccessTokens.Issued token) {
            return new TokenResponse(token.value(), "bearer", token.expiresInSeconds());
        }
    }

    /** An address with a dot in its domain; {@code @Email} alone accepts {@code a@b}. */
    static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    @PostMapping("/auth/register")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an account (user type 'user')")
    UserResponse register(@Valid @RequestBody RegisterRequest request) {
        return UserResponse.from(accounts.register(request.email(), request.password(), request.fullName(), "user"));
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
                CurrentAccount.ADMIN));
    }

    @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sign in with email or username and password (JSON)")
    TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return signIn(request, http);
    }

    @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(summary = "Sign in with email or username and password (form fields)")
    TokenResponse loginForm(@Valid @ModelAttribute LoginRequest request, HttpServletRequest http) {
        return signIn(request, http);
    }

    private TokenResponse signIn(LoginRequest request, HttpServletRequest http) {
        return TokenResponse.from(login.login(request.username(), request.password(), http.getRemoteAddr(),
                http.getHeader(HttpHeaders.USER_AGENT)));
    }
}
