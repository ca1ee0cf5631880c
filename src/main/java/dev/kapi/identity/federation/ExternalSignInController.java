package dev.kapi.identity.federation;

import java.net.URI;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.signin.LoginResponse;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Signing in with an external provider (issue 30): the start (a 302 to the provider), the
 * provider's callback (a 302 to {@code return_to} with a one-time code or an error), and
 * the code's exchange for the login answer. No token is ever put in an address.
 */
@RestController
@Tag(name = "auth")
@SecurityRequirements
class ExternalSignInController {

    private final ExternalSignIn signIn;

    private final BrowserBinding binding;

    ExternalSignInController(ExternalSignIn signIn, BrowserBinding binding) {
        this.signIn = signIn;
        this.binding = binding;
    }

    record ExchangeRequest(@NotBlank @Size(max = 200) String code,
            @JsonProperty("code_verifier") @Size(max = 200) String codeVerifier) {
    }

    @GetMapping("/auth/external/{alias}")
    @Operation(summary = "Start signing in with an external provider: a 302 to it (PKCE, state, nonce); "
            + "return_to is where the one-time code or the error goes; the app's code_challenge (S256) binds "
            + "that code to the code_verifier it keeps")
    ResponseEntity<Void> start(@PathVariable String alias,
            @RequestParam(name = "return_to", required = false) String returnTo,
            @RequestParam(name = "code_challenge", required = false) String codeChallenge,
            @RequestParam(name = "code_challenge_method", required = false) String challengeMethod,
            @RequestParam(name = "link_ticket", required = false) @Size(max = 200) String linkTicket,
            HttpServletRequest request, HttpServletResponse response) {
        String browser = binding.readOrIssue(request, response);
        String location = linkTicket != null ? signIn.continueLink(alias, linkTicket, browser)
                : signIn.start(alias, returnTo, codeChallenge, challengeMethod, browser);
        return redirect(location);
    }

    @GetMapping("/auth/external/{alias}/callback")
    @Operation(summary = "The provider's return: a 302 to return_to with ?code= (60 s, single use), "
            + "?linked=<alias> or ?error=<code> (account-exists-sign-in-to-link, …)")
    ResponseEntity<Void> callback(@PathVariable String alias,
            @RequestParam(required = false) @Size(max = 2048) String code,
            @RequestParam(required = false) @Size(max = 200) String state,
            @RequestParam(required = false) @Size(max = 200) String error, HttpServletRequest request) {
        Optional<String> browser = binding.read(request);
        return redirect(signIn.callback(alias, code, state, error, browser.orElse(null)).location());
    }

    @PostMapping("/auth/external/exchange")
    @Operation(summary = "Exchange the one-time code (with the code_verifier of its code_challenge) for the token "
            + "pair, or mfa_required as /auth/login answers")
    LoginResponse exchange(@Valid @RequestBody ExchangeRequest body, HttpServletRequest request) {
        return LoginResponse.from(signIn.exchange(body.code(), body.codeVerifier(), Optional.empty(),
                new PasswordLogin.Finish.Tokens(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT))));
    }

    private static ResponseEntity<Void> redirect(String location) {
        if (location == null) {
            throw ApiException.badRequest("external-state-invalid");
        }
        return ResponseEntity.status(HttpStatus.FOUND)
            .location(URI.create(location))
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .header("Referrer-Policy", "no-referrer")
            .build();
    }

}
