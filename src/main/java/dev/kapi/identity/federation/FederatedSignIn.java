package dev.kapi.identity.federation;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Service;

import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;

/**
 * What the hosted sign-in page needs of external providers: a button per enabled
 * provider, and the end of a sign-in that came back to the page with its one-time code,
 * accepted only in the browser that started it.
 */
@Service
public class FederatedSignIn {

    private final IdentityProviders providers;

    private final ExternalSignIn signIn;

    private final BrowserBinding binding;

    FederatedSignIn(IdentityProviders providers, ExternalSignIn signIn, BrowserBinding binding) {
        this.providers = providers;
        this.signIn = signIn;
        this.binding = binding;
    }

    /** A provider the sign-in page offers. */
    public record Button(String alias, String displayName) {
    }

    public List<Button> buttons() {
        return providers.enabled().stream().map(p -> new Button(p.alias(), p.displayName())).toList();
    }

    /**
     * Exchanges the code the callback sent back to the page, ending as {@code finish}
     * says; 400 {@code external-code-invalid} when the code is not this browser's.
     */
    public PasswordLogin.Outcome finish(String code, HttpServletRequest request, PasswordLogin.Finish finish) {
        Optional<String> browser = binding.read(request);
        if (browser.isEmpty()) {
            throw ApiException.invalidField("code", "external-code-invalid");
        }
        return signIn.exchange(code, null, browser, finish);
    }

}
