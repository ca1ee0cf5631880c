package dev.kapi.identity.magiclink;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.AccountRules;
import dev.kapi.identity.signin.LoginResponse;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Confirmation;
import dev.kapi.shared.Messages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Signing in without a password (issue 16): a mailed single-use link or six-digit code.
 */
@RestController
@Tag(name = "auth")
@SecurityRequirements
class MagicLinkController {

    private final MagicLinks links;

    private final MagicLinkSignIn signIn;

    private final Messages messages;

    MagicLinkController(MagicLinks links, MagicLinkSignIn signIn, Messages messages) {
        this.links = links;
        this.signIn = signIn;
        this.messages = messages;
    }

    record MagicLinkRequest(@NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email) {
    }

    record MagicLinkConfirmRequest(@Size(min = 1, max = 200) String token,
            @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
            @Pattern(regexp = "\\d{6}") String code) {
    }

    @PostMapping("/auth/magic-link")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail a sign-in link and a six-digit code (15 minutes, single use); the same answer "
            + "whether or not the address has an account")
    Confirmation request(@Valid @RequestBody MagicLinkRequest request) {
        links.request(request.email());
        return Confirmation.of(messages.get("done.magic-link-sent"));
    }

    @PostMapping("/auth/magic-link/confirm")
    @Operation(summary = "Sign in with the mailed link's token, or with email and code: the token pair, or "
            + "mfa_required for an account with a second factor")
    LoginResponse confirm(@Valid @RequestBody MagicLinkConfirmRequest request, HttpServletRequest http) {
        String ip = http.getRemoteAddr();
        String agent = http.getHeader(HttpHeaders.USER_AGENT);
        if (request.token() != null && request.email() == null && request.code() == null) {
            return LoginResponse.from(signIn.withToken(request.token(), ip, agent));
        }
        if (request.token() == null && request.email() != null && request.code() != null) {
            return LoginResponse.from(signIn.withCode(request.email(), request.code(), ip, agent));
        }
        throw ApiException.invalidField(request.token() == null ? "token" : "code", "magic-link-token-or-code");
    }

}
