package dev.kapi.identity.hosted;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.AccountManagement;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.federation.FederatedSignIn;
import dev.kapi.identity.magiclink.MagicLinkSignIn;
import dev.kapi.identity.magiclink.MagicLinks;
import dev.kapi.identity.passkey.PasskeySignIn;
import dev.kapi.identity.secondfactor.SecondFactorLogin;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.identity.AccountRules;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.CleanText;
import io.swagger.v3.oas.annotations.Hidden;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /login}: Kapı's hosted sign-in page, the login of its OpenID provider. A browser
 * whose single sign-on cookie points to a live session goes straight on to
 * {@code return}; otherwise the page asks for the password and then the second factor the
 * account has, through the same services (lockout, rate limits, breached passwords,
 * audit) as {@code /auth/login}, opens a session without {@code /auth} tokens and points
 * the cookie to it. With {@code reauth=1} the signed-in browser's own session proves its
 * owner again (its id stays); {@code stepup=mfa} asks for a second factor as well.
 * Passkeys, as the second factor or alone, take one script of Kapı's own
 * ({@value #PASSKEY_SCRIPT}): it asks {@code POST /auth/passkey/options} for a ceremony,
 * has the authenticator sign its challenge and posts the answer with this page's form
 * ({@code POST /login/passkey}). Without the script the page offers the account's other
 * factors.
 */
@Controller
@Hidden
class LoginPage {

    static final String PATH = "/login";

    private static final int MAX_LOGIN = 320;

    private static final int MAX_EMAIL = 254;

    private static final int MAX_PASSWORD = 1024;

    private static final int MAX_TOKEN = 200;

    private static final int MAX_RECOVERY_CODE = 32;

    /** An authenticator's assertion as {@code PublicKeyCredential.toJSON()} writes it. */
    static final int MAX_CREDENTIAL = 16_384;

    static final String PASSKEY_SCRIPT = "/hosted/passkey.js";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HostedPages pages;

    private final SsoContextRepository contexts;

    private final SsoCookie cookie;

    private final PasswordLogin passwordLogin;

    private final SecondFactorLogin secondFactorLogin;

    private final SecondFactors factors;

    private final Sessions sessions;

    private final Accounts accounts;

    private final MagicLinks magicLinks;

    private final MagicLinkSignIn magicLinkSignIn;

    private final PasskeySignIn passkeySignIn;

    private final AccountManagement registration;

    private final FederatedSignIn federated;

    LoginPage(HostedPages pages, SsoContextRepository contexts, SsoCookie cookie, PasswordLogin passwordLogin,
            SecondFactorLogin secondFactorLogin, SecondFactors factors, Sessions sessions, Accounts accounts,
            MagicLinks magicLinks, MagicLinkSignIn magicLinkSignIn, PasskeySignIn passkeySignIn,
            AccountManagement registration, FederatedSignIn federated) {
        this.registration = registration;
        this.passkeySignIn = passkeySignIn;
        this.federated = federated;
        this.magicLinks = magicLinks;
        this.magicLinkSignIn = magicLinkSignIn;
        this.pages = pages;
        this.contexts = contexts;
        this.cookie = cookie;
        this.passwordLogin = passwordLogin;
        this.secondFactorLogin = secondFactorLogin;
        this.factors = factors;
        this.sessions = sessions;
        this.accounts = accounts;
    }

    /** What every step of the page carries along. */
    record Flow(Optional<ReturnPath> returnPath, boolean reauth, boolean stepUp, Locale locale,
            Optional<SsoAuthentication> signedIn, Set<String> formActionOrigins) {

        /** The hidden fields that keep the flow across its forms. */
        String fields() {
            return HostedPages.hidden("return", returnPath.map(ReturnPath::path).orElse(null))
                    + HostedPages.hidden("reauth", reauth ? "1" : null)
                    + HostedPages.hidden("stepup", stepUp ? "mfa" : null);
        }

        /** Re-authentication of the signed-in browser's own session. */
        boolean sameSession() {
            return reauth && signedIn.isPresent();
        }

        PasswordLogin.Finish finish(HttpServletRequest request) {
            return sameSession()
                    ? new PasswordLogin.Finish.SameSession(signedIn.get().accountId(), signedIn.get().sessionId())
                    : new PasswordLogin.Finish.NewSession(request.getRemoteAddr(),
                            request.getHeader(HttpHeaders.USER_AGENT));
        }
    }

    Flow flow(HttpServletRequest request, String returnTo, String reauth, String stepUp) {
        Optional<ReturnPath> returnPath = ReturnPath.of(returnTo);
        return new Flow(returnPath, "1".equals(reauth), "mfa".equals(stepUp), pages.locale(request, returnPath),
                contexts.authentication(request),
                pages.clientOrigins(returnPath.flatMap(path -> path.parameter("client_id")).orElse(null)));
    }

    @GetMapping(PATH)
    ResponseEntity<String> show(HttpServletRequest request,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp) {
        Flow flow = flow(request, returnTo, reauth, stepUp);
        if (flow.stepUp() && flow.signedIn().isPresent()
                && factors.methodsOf(flow.signedIn().get().accountId()).isEmpty()) {
            return unmet(flow);
        }
        if (flow.signedIn().isPresent() && !flow.reauth()) {
            return flow.returnPath().isPresent() ? onward(flow) : signedIn(flow, flow.signedIn().get().accountId());
        }
        return passwordForm(flow, HttpStatus.OK, null, request);
    }

    @PostMapping(PATH)
    ResponseEntity<String> password(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp,
            @RequestParam(required = false) String username, @RequestParam(required = false) String password) {
        Flow flow = flow(request, returnTo, reauth, stepUp);
        if (flow.stepUp() && flow.sameSession() && factors.methodsOf(flow.signedIn().get().accountId()).isEmpty()) {
            return unmet(flow);
        }
        String login = flow.sameSession() ? ownLogin(flow.signedIn().get()) : username;
        // Clean text as every JSON login is (a NUL reached PostgreSQL as a 500 before).
        if (login == null || login.isBlank() || login.length() > MAX_LOGIN || CleanText.defect(login) != null
                || password == null || password.isEmpty() || password.length() > MAX_PASSWORD
                || CleanText.defect(password) != null) {
            return passwordForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "hosted.login.missing"),
                    request);
        }
        try {
            return outcome(flow, passwordLogin.login(login, password, flow.finish(request)), request, response);
        }
        catch (ApiException ex) {
            return passwordForm(flow, ex.status(), pages.error(flow.locale(), ex), request);
        }
    }

    @PostMapping(PATH + "/mfa")
    ResponseEntity<String> secondFactor(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp,
            @RequestParam(name = "mfa_token", required = false) String mfaToken,
            @RequestParam(required = false) String code,
            @RequestParam(name = "recovery_code", required = false) String recoveryCode) {
        Flow flow = flow(request, returnTo, reauth, stepUp);
        if (mfaToken == null || mfaToken.isBlank() || mfaToken.length() > MAX_TOKEN) {
            return passwordForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "error.mfa-token-invalid"),
                    request);
        }
        List<String> methods = factors.challenged(mfaToken).map(factors::methodsOf).orElse(List.of());
        String totp = blankToNull(code);
        String recovery = totp == null ? blankToNull(recoveryCode) : null;
        if ((totp == null && recovery == null) || (totp != null && !totp.matches("\\d{6}"))
                || (recovery != null && recovery.length() > MAX_RECOVERY_CODE)) {
            return secondFactorForm(flow, HttpStatus.BAD_REQUEST, mfaToken, methods,
                    pages.text(flow.locale(), "hosted.mfa.missing"), request);
        }
        try {
            return outcome(flow, secondFactorLogin.finish(mfaToken,
                    new SecondFactorLogin.Proof(totp, recovery, null, null), flow.finish(request)), request, response);
        }
        catch (ApiException ex) {
            if ("mfa-token-invalid".equals(ex.code())) {
                return passwordForm(flow, ex.status(), pages.error(flow.locale(), ex), request);
            }
            return secondFactorForm(flow, ex.status(), mfaToken, methods, pages.error(flow.locale(), ex), request);
        }
    }

    /**
     * A passkey's assertion: with the {@code mfa_token} of a right password, the second
     * factor (one of that account's passkeys, as {@code POST /auth/login/mfa} takes it);
     * without, a sign-in with the passkey alone (a discoverable credential that verified
     * its user, as {@code POST /auth/passkey} takes it).
     */
    @PostMapping(PATH + "/passkey")
    ResponseEntity<String> passkey(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp,
            @RequestParam(name = "mfa_token", required = false) String mfaToken,
            @RequestParam(name = "ceremony_id", required = false) String ceremonyId,
            @RequestParam(required = false) String credential) {
        Flow flow = flow(request, returnTo, reauth, stepUp);
        Optional<UUID> ceremony = uuid(ceremonyId);
        Optional<JsonNode> assertion = assertion(credential);
        if (mfaToken == null || mfaToken.isBlank()) {
            if (ceremony.isEmpty() || assertion.isEmpty()) {
                return passwordForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "hosted.passkey.failed"),
                        request);
            }
            try {
                return outcome(flow, passkeySignIn.signIn(ceremony.get(), assertion.get(), flow.finish(request)),
                        request, response);
            }
            catch (ApiException ex) {
                return passwordForm(flow, ex.status(), pages.error(flow.locale(), ex), request);
            }
        }
        if (mfaToken.length() > MAX_TOKEN) {
            return passwordForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "error.mfa-token-invalid"),
                    request);
        }
        List<String> methods = factors.challenged(mfaToken).map(factors::methodsOf).orElse(List.of());
        if (ceremony.isEmpty() || assertion.isEmpty()) {
            return secondFactorForm(flow, HttpStatus.BAD_REQUEST, mfaToken, methods,
                    pages.text(flow.locale(), "hosted.passkey.failed"), request);
        }
        try {
            return outcome(flow, secondFactorLogin.finish(mfaToken,
                    new SecondFactorLogin.Proof(null, null, ceremony.get(), assertion.get()), flow.finish(request)),
                    request, response);
        }
        catch (ApiException ex) {
            if ("mfa-token-invalid".equals(ex.code())) {
                return passwordForm(flow, ex.status(), pages.error(flow.locale(), ex), request);
            }
            return secondFactorForm(
                    flow, ex.status(), mfaToken, methods, "mfa-code-invalid".equals(ex.code())
                            ? pages.text(flow.locale(), "hosted.passkey.refused") : pages.error(flow.locale(), ex),
                    request);
        }
    }

    private static Optional<UUID> uuid(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    /** The authenticator's answer, when it is a JSON object of a bounded size. */
    private static Optional<JsonNode> assertion(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_CREDENTIAL) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(value);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        }
        catch (JacksonException ex) {
            return Optional.empty();
        }
    }

    /**
     * Where an external provider's sign-in comes back to ({@code return_to} of the
     * buttons): its one-time code, exchanged in this browser only, or its error.
     */
    @GetMapping(PATH + "/external")
    ResponseEntity<String> external(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String code, @RequestParam(required = false) String error) {
        Flow flow = flow(request, returnTo, null, null);
        if (code == null || code.isEmpty() || code.length() > MAX_TOKEN) {
            String message = error != null && error.matches("[a-z-]{1,60}")
                    ? pages.text(flow.locale(), "error." + error)
                    : pages.text(flow.locale(), "error.external-code-invalid");
            return passwordForm(flow, HttpStatus.BAD_REQUEST, message, request);
        }
        try {
            return outcome(flow, federated.finish(code, request, flow.finish(request)), request, response);
        }
        catch (ApiException ex) {
            return passwordForm(flow, ex.status(), pages.error(flow.locale(), ex), request);
        }
    }

    @GetMapping(PATH + "/email")
    ResponseEntity<String> emailForm(HttpServletRequest request,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp) {
        return emailForm(flow(request, returnTo, reauth, stepUp), HttpStatus.OK, null, request);
    }

    /**
     * Mails a sign-in code, whatever the address: the page says the same for an address
     * with no account, as {@code POST /auth/magic-link} does.
     */
    @PostMapping(PATH + "/email")
    ResponseEntity<String> mailCode(HttpServletRequest request,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp,
            @RequestParam(required = false) String email) {
        Flow flow = flow(request, returnTo, reauth, stepUp);
        String address = email == null ? "" : email.trim();
        if (address.length() > MAX_EMAIL || !address.matches(AccountRules.EMAIL)) {
            return emailForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "hosted.email.invalid"), request);
        }
        magicLinks.request(address);
        return codeForm(flow, HttpStatus.OK, address, null, request);
    }

    @PostMapping(PATH + "/email/code")
    ResponseEntity<String> emailCode(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String reauth,
            @RequestParam(name = "stepup", required = false) String stepUp,
            @RequestParam(required = false) String email, @RequestParam(required = false) String code) {
        Flow flow = flow(request, returnTo, reauth, stepUp);
        String address = email == null ? "" : email.trim();
        if (address.length() > MAX_EMAIL || !address.matches(AccountRules.EMAIL)) {
            return emailForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "hosted.email.invalid"), request);
        }
        if (code == null || !code.trim().matches("\\d{6}")) {
            return codeForm(flow, HttpStatus.BAD_REQUEST, address,
                    pages.text(flow.locale(), "hosted.email.code-format"), request);
        }
        try {
            return outcome(flow, magicLinkSignIn.withCode(address, code.trim(), flow.finish(request)), request,
                    response);
        }
        catch (ApiException ex) {
            return codeForm(flow, ex.status(), address, pages.error(flow.locale(), ex), request);
        }
    }

    private ResponseEntity<String> emailForm(Flow flow, HttpStatus status, String error, HttpServletRequest request) {
        Locale locale = flow.locale();
        StringBuilder body = new StringBuilder("<p class=\"lead\">").append(pages.text(locale, "hosted.email.lead"))
            .append("</p>");
        appendError(body, error);
        String hint = flow.returnPath().flatMap(path -> path.parameter("login_hint")).orElse("");
        body.append("<form method=\"post\" action=\"")
            .append(PATH)
            .append("/email\" data-form=\"email\">")
            .append(HostedPages.csrfField(request))
            .append(flow.fields())
            .append("<label for=\"email\">")
            .append(pages.text(locale, "hosted.email.address"))
            .append("</label><input id=\"email\" name=\"email\" type=\"email\" required maxlength=\"")
            .append(MAX_EMAIL)
            .append("\" autocomplete=\"email\" autofocus value=\"")
            .append(HostedPages.escape(hint.length() > MAX_EMAIL ? "" : hint))
            .append("\"><button type=\"submit\">")
            .append(pages.text(locale, "hosted.email.send"))
            .append("</button></form>");
        appendLinks(body, flow, false);
        return pages.page(status, locale, pages.text(locale, "hosted.email.title"), body.toString(),
                flow.formActionOrigins());
    }

    private ResponseEntity<String> codeForm(Flow flow, HttpStatus status, String email, String error,
            HttpServletRequest request) {
        Locale locale = flow.locale();
        StringBuilder body = new StringBuilder("<p class=\"lead\">")
            .append(pages.text(locale, "hosted.email.sent", email))
            .append("</p>");
        appendError(body, error);
        body.append("<form method=\"post\" action=\"")
            .append(PATH)
            .append("/email/code\" data-form=\"email-code\">")
            .append(HostedPages.csrfField(request))
            .append(flow.fields())
            .append(HostedPages.hidden("email", email))
            .append("<label for=\"code\">")
            .append(pages.text(locale, "hosted.email.code"))
            .append("</label><input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
                    + "pattern=\"[0-9]{6}\" maxlength=\"6\" required autocomplete=\"one-time-code\" autofocus>")
            .append("<button type=\"submit\">")
            .append(pages.text(locale, "hosted.login.submit"))
            .append("</button></form>");
        return pages.page(status, locale, pages.text(locale, "hosted.email.title"), body.toString(),
                flow.formActionOrigins());
    }

    /** Where a right step leads: the second step, or the session and on. */
    ResponseEntity<String> outcome(Flow flow, PasswordLogin.Outcome outcome, HttpServletRequest request,
            HttpServletResponse response) {
        return switch (outcome) {
            case PasswordLogin.SecondFactorRequired required ->
                secondFactorForm(flow, HttpStatus.OK, required.mfaToken(), required.methods(), null, request);
            case PasswordLogin.SessionOpened opened -> signedIn(flow, opened, response);
            case PasswordLogin.SignedIn signedIn -> throw new IllegalStateException("The hosted page mints no tokens");
        };
    }

    private ResponseEntity<String> signedIn(Flow flow, PasswordLogin.SessionOpened opened,
            HttpServletResponse response) {
        boolean frozen = sessions.resolve(opened.sessionId()).map(CurrentAccount::frozen).orElse(true);
        if (frozen || opened.enrolmentOnly()) {
            if (!flow.sameSession()) {
                // A session that cannot sign in anywhere from here has no use.
                sessions.end(opened.accountId(), opened.sessionId(), "hosted-sign-in-refused");
            }
            return errorPage(flow, HttpStatus.FORBIDDEN,
                    pages.text(flow.locale(), frozen ? "error.account-frozen" : "hosted.login.enrolment-required"));
        }
        if (!flow.sameSession() && !cookie.attach(opened.sessionId(), response)) {
            return errorPage(flow, HttpStatus.UNAUTHORIZED, pages.text(flow.locale(), "error.unauthorized"));
        }
        List<String> amr = sessions.proof(opened.sessionId()).map(Sessions.Proof::amr).orElse(List.of());
        if (flow.stepUp() && !SsoAuthentication.ACR_MFA.equals(SsoAuthentication.acr(amr))) {
            return unmet(flow);
        }
        return flow.returnPath().isPresent() ? onward(flow)
                : ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(PATH)).build();
    }

    private ResponseEntity<String> onward(Flow flow) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
            .header(HttpHeaders.LOCATION, flow.returnPath().orElseThrow().path())
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .build();
    }

    private String ownLogin(SsoAuthentication signedIn) {
        return accounts.byId(signedIn.accountId()).map(Account::email).orElse(null);
    }

    private ResponseEntity<String> passwordForm(Flow flow, HttpStatus status, String error,
            HttpServletRequest request) {
        Locale locale = flow.locale();
        StringBuilder body = new StringBuilder();
        if (flow.sameSession()) {
            body.append("<p class=\"lead\">")
                .append(pages.text(locale, flow.stepUp() ? "hosted.stepup.lead" : "hosted.reauth.lead"))
                .append("</p>");
        }
        else {
            body.append("<p class=\"lead\">").append(pages.text(locale, "hosted.login.lead")).append("</p>");
        }
        appendError(body, error);
        body.append("<form method=\"post\" action=\"")
            .append(PATH)
            .append("\" data-form=\"password\">")
            .append(HostedPages.csrfField(request))
            .append(flow.fields());
        if (flow.sameSession()) {
            String email = ownLogin(flow.signedIn().get());
            body.append("<p class=\"account\">")
                .append(pages.text(locale, "hosted.reauth.account", email == null ? "" : email))
                .append("</p>");
        }
        else {
            String hint = flow.returnPath().flatMap(path -> path.parameter("login_hint")).orElse("");
            body.append("<label for=\"username\">")
                .append(pages.text(locale, "hosted.login.username"))
                .append("</label><input id=\"username\" name=\"username\" type=\"text\" required maxlength=\"")
                .append(MAX_LOGIN)
                .append("\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" value=\"")
                .append(HostedPages.escape(hint.length() > MAX_LOGIN ? "" : hint))
                .append("\"")
                .append(hint.isEmpty() ? " autofocus" : "")
                .append(">");
        }
        body.append("<label for=\"password\">")
            .append(pages.text(locale, "hosted.login.password"))
            .append("</label><input id=\"password\" name=\"password\" type=\"password\" required maxlength=\"")
            .append(MAX_PASSWORD)
            .append("\" autocomplete=\"current-password\"")
            .append(flow.sameSession()
                    || !flow.returnPath().flatMap(path -> path.parameter("login_hint")).orElse("").isEmpty()
                            ? " autofocus" : "")
            .append("><button type=\"submit\">")
            .append(pages.text(locale, "hosted.login.submit"))
            .append("</button></form>");
        appendPasskeyForm(body, flow, null, request);
        appendExternalButtons(body, flow);
        appendLinks(body, flow, true);
        return pages.page(status, locale,
                pages.text(locale, flow.sameSession() ? "hosted.reauth.title" : "hosted.login.title"), body.toString(),
                flow.formActionOrigins(), List.of(PASSKEY_SCRIPT));
    }

    private ResponseEntity<String> secondFactorForm(Flow flow, HttpStatus status, String mfaToken, List<String> methods,
            String error, HttpServletRequest request) {
        Locale locale = flow.locale();
        boolean codes = methods.isEmpty() || methods.contains("totp") || methods.contains("recovery_code");
        boolean passkey = methods.contains(SecondFactors.PASSKEY);
        StringBuilder body = new StringBuilder("<p class=\"lead\">")
            .append(pages.text(locale, codes ? "hosted.mfa.lead" : "hosted.passkey.lead"))
            .append("</p>");
        appendError(body, error);
        if (codes) {
            body.append("<form method=\"post\" action=\"")
                .append(PATH)
                .append("/mfa\" data-form=\"second-factor\">")
                .append(HostedPages.csrfField(request))
                .append(flow.fields())
                .append(HostedPages.hidden("mfa_token", mfaToken));
            if (methods.isEmpty() || methods.contains("totp")) {
                body.append("<label for=\"code\">")
                    .append(pages.text(locale, "hosted.mfa.code"))
                    .append("</label><input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
                            + "pattern=\"[0-9]{6}\" maxlength=\"6\" autocomplete=\"one-time-code\" autofocus>");
            }
            body.append("<label for=\"recovery_code\">")
                .append(pages.text(locale, "hosted.mfa.recovery"))
                .append("</label><input id=\"recovery_code\" name=\"recovery_code\" type=\"text\" maxlength=\"")
                .append(MAX_RECOVERY_CODE)
                .append("\" autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\">");
            body.append("<button type=\"submit\">").append(pages.text(locale, "hosted.mfa.submit")).append("</button>");
            body.append("</form>");
        }
        if (passkey) {
            appendPasskeyForm(body, flow, mfaToken, request);
            if (!codes) {
                body.append("<noscript><p class=\"error\" role=\"alert\">")
                    .append(pages.text(locale, "hosted.passkey.needs-script"))
                    .append("</p></noscript>");
            }
        }
        return pages.page(status, locale, pages.text(locale, "hosted.mfa.title"), body.toString(),
                flow.formActionOrigins(), passkey ? List.of(PASSKEY_SCRIPT) : List.of());
    }

    /**
     * The form {@value #PASSKEY_SCRIPT} fills and posts: with the {@code mfa_token}, the
     * second factor; without, a passkey alone. Hidden until the script shows it (a
     * browser without the script or without WebAuthn never sees a button that cannot
     * work).
     */
    private void appendPasskeyForm(StringBuilder body, Flow flow, String mfaToken, HttpServletRequest request) {
        Locale locale = flow.locale();
        boolean second = mfaToken != null;
        body.append("<form method=\"post\" action=\"")
            .append(PATH)
            .append("/passkey\" data-form=\"")
            .append(second ? "passkey" : "passkey-sign-in")
            .append("\" data-passkey data-passkey-failed=\"")
            .append(pages.text(locale, "hosted.passkey.failed"))
            .append("\" hidden>")
            .append(HostedPages.csrfField(request))
            .append(flow.fields())
            .append(second ? HostedPages.hidden("mfa_token", mfaToken) : "")
            .append("<input type=\"hidden\" name=\"ceremony_id\"><input type=\"hidden\" name=\"credential\">");
        if (second && !body.isEmpty() && body.indexOf("data-form=\"second-factor\"") >= 0) {
            body.append("<p class=\"lead\">").append(pages.text(locale, "hosted.passkey.or")).append("</p>");
        }
        body.append("<p class=\"error\" role=\"alert\" data-passkey-status hidden></p>")
            .append("<button type=\"submit\" class=\"secondary\" data-action=\"")
            .append(second ? "passkey" : "passkey-sign-in")
            .append("\">")
            .append(pages.text(locale, second ? "hosted.passkey.use" : "hosted.passkey.sign-in"))
            .append("</button></form>");
    }

    /** The neutral page of a signed-in browser that has nowhere to go. */
    private ResponseEntity<String> signedIn(Flow flow, long accountId) {
        Locale locale = flow.locale();
        String email = accounts.byId(accountId).map(Account::email).orElse("");
        String body = "<p class=\"lead\" data-signed-in>" + pages.text(locale, "hosted.signedin.lead", email) + "</p>";
        return pages.page(HttpStatus.OK, locale, pages.text(locale, "hosted.signedin.title"), body);
    }

    private ResponseEntity<String> unmet(Flow flow) {
        return errorPage(flow, HttpStatus.FORBIDDEN,
                pages.text(flow.locale(), "error.unmet_authentication_requirements"));
    }

    private ResponseEntity<String> errorPage(Flow flow, HttpStatus status, String message) {
        Locale locale = flow.locale();
        String body = "<p class=\"error\" role=\"alert\">" + message + "</p>";
        return pages.page(status, locale, pages.text(locale, "hosted.error.title"), body);
    }

    /**
     * A button per enabled external provider; its sign-in comes back to
     * {@code /login/external} with the flow's return path.
     */
    private void appendExternalButtons(StringBuilder body, Flow flow) {
        if (flow.sameSession()) {
            return;
        }
        List<FederatedSignIn.Button> buttons = federated.buttons();
        if (buttons.isEmpty()) {
            return;
        }
        String back = PATH + "/external"
                + flow.returnPath()
                    .map(path -> "?return=" + org.springframework.web.util.UriUtils.encodeQueryParam(path.path(),
                            java.nio.charset.StandardCharsets.UTF_8))
                    .orElse("");
        body.append("<p class=\"external\">");
        for (FederatedSignIn.Button button : buttons) {
            body.append("<a class=\"button\" data-provider=\"")
                .append(HostedPages.escape(button.alias()))
                .append("\" href=\"")
                .append(HostedPages.escape("/auth/external/" + button.alias() + "?return_to="
                        + org.springframework.web.util.UriUtils.encodeQueryParam(back,
                                java.nio.charset.StandardCharsets.UTF_8)))
                .append("\">")
                .append(pages.text(flow.locale(), "hosted.login.external", button.displayName()))
                .append("</a>");
        }
        body.append("</p>");
    }

    private static void appendError(StringBuilder body, String error) {
        if (error != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(error).append("</p>");
        }
    }

    /**
     * The other ways in (a mailed code, or the password) and the other language, each
     * keeping the flow.
     */
    private void appendLinks(StringBuilder body, Flow flow, boolean fromPassword) {
        Locale locale = flow.locale();
        boolean english = Locale.ENGLISH.equals(locale);
        StringBuilder flowQuery = new StringBuilder();
        flow.returnPath()
            .ifPresent(path -> flowQuery.append("&return=")
                .append(org.springframework.web.util.UriUtils.encodeQueryParam(path.path(),
                        java.nio.charset.StandardCharsets.UTF_8)));
        if (flow.reauth()) {
            flowQuery.append("&reauth=1");
        }
        if (flow.stepUp()) {
            flowQuery.append("&stepup=mfa");
        }
        String lang = "lang=" + (english ? "en" : "tr");
        if (!flow.sameSession()) {
            body.append("<p class=\"links\">");
            if (fromPassword) {
                body.append("<a data-link=\"email-code\" href=\"")
                    .append(HostedPages.escape(PATH + "/email?" + lang + flowQuery))
                    .append("\">")
                    .append(pages.text(locale, "hosted.login.email-code"))
                    .append("</a><br><a data-link=\"forgot-password\" href=\"")
                    .append(HostedPages.escape(AccountPages.FORGOT + "?" + lang + flowQuery))
                    .append("\">")
                    .append(pages.text(locale, "hosted.forgot.link"))
                    .append("</a>");
                if (registration.registrationOpen()) {
                    body.append("<br><a data-link=\"register\" href=\"")
                        .append(HostedPages.escape(AccountPages.REGISTER + "?" + lang + flowQuery))
                        .append("\">")
                        .append(pages.text(locale, "hosted.register.link"))
                        .append("</a>");
                }
            }
            else {
                body.append("<a data-link=\"password\" href=\"")
                    .append(HostedPages.escape(PATH + "?" + lang + flowQuery))
                    .append("\">")
                    .append(pages.text(locale, "hosted.email.password-instead"))
                    .append("</a>");
            }
            body.append("</p>");
        }
        body.append("<p class=\"language\"><a data-link=\"language\" hreflang=\"")
            .append(english ? "tr" : "en")
            .append("\" href=\"")
            .append(HostedPages
                .escape((fromPassword ? PATH : PATH + "/email") + "?lang=" + (english ? "tr" : "en") + flowQuery))
            .append("\">")
            .append(english ? "Türkçe" : "English")
            .append("</a></p>");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

}
