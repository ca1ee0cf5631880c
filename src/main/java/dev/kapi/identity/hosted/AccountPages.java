package dev.kapi.identity.hosted;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.kapi.identity.AccountRules;
import dev.kapi.identity.account.AccountManagement;
import dev.kapi.identity.account.RegisterRequest;
import dev.kapi.identity.recovery.AccountRecovery;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The hosted pages linked from {@code /login} for getting an account or back into one:
 * {@code /login/register} (only while registration is open; {@link RegisterRequest}'s
 * rules and {@link AccountManagement#registerSelf}, as {@code POST /auth/register}, then
 * signed in with the new password and on to {@code return}) and
 * {@code /login/forgot-password} (the reset mail of {@code POST /auth/forgot-password},
 * the same page whether or not the address has an account, and back to the sign-in with
 * {@code return}).
 */
@Controller
@Hidden
class AccountPages {

    static final String REGISTER = "/login/register";

    static final String FORGOT = "/login/forgot-password";

    private static final int MAX_EMAIL = 254;

    private final HostedPages pages;

    private final LoginPage login;

    private final AccountManagement accounts;

    private final AccountRecovery recovery;

    private final PasswordLogin passwordLogin;

    private final Validator validator;

    AccountPages(HostedPages pages, LoginPage login, AccountManagement accounts, AccountRecovery recovery,
            PasswordLogin passwordLogin, Validator validator) {
        this.pages = pages;
        this.login = login;
        this.accounts = accounts;
        this.recovery = recovery;
        this.passwordLogin = passwordLogin;
        this.validator = validator;
    }

    @GetMapping(REGISTER)
    ResponseEntity<String> registerForm(HttpServletRequest request,
            @RequestParam(name = "return", required = false) String returnTo) {
        LoginPage.Flow flow = login.flow(request, returnTo, null, null);
        if (!accounts.registrationOpen()) {
            return closed(flow);
        }
        String hint = flow.returnPath().flatMap(path -> path.parameter("login_hint")).orElse("");
        return registerForm(flow, HttpStatus.OK, List.of(), hint.length() > MAX_EMAIL ? "" : hint, "", request);
    }

    @PostMapping(REGISTER)
    ResponseEntity<String> register(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String email, @RequestParam(required = false) String password,
            @RequestParam(name = "full_name", required = false) String fullName) {
        LoginPage.Flow flow = login.flow(request, returnTo, null, null);
        if (!accounts.registrationOpen()) {
            return closed(flow);
        }
        RegisterRequest registration = new RegisterRequest(email == null ? null : email.trim(), password,
                fullName == null ? null : fullName.trim());
        List<String> problems = problems(registration, flow.locale());
        if (!problems.isEmpty()) {
            return registerForm(flow, HttpStatus.BAD_REQUEST, problems, registration.email(), registration.fullName(),
                    request);
        }
        try {
            accounts.registerSelf(registration, flow.locale());
            // The owner just chose this password: signed in with it, through the same
            // sign-in (lockout, audit) as the form on /login.
            return login.outcome(flow,
                    passwordLogin.login(registration.email(), registration.password(),
                            new PasswordLogin.Finish.NewSession(request.getRemoteAddr(),
                                    request.getHeader(HttpHeaders.USER_AGENT))),
                    request, response);
        }
        catch (ApiException ex) {
            return registerForm(flow, ex.status(), List.of(pages.error(flow.locale(), ex)), registration.email(),
                    registration.fullName(), request);
        }
    }

    @GetMapping(FORGOT)
    ResponseEntity<String> forgotForm(HttpServletRequest request,
            @RequestParam(name = "return", required = false) String returnTo) {
        LoginPage.Flow flow = login.flow(request, returnTo, null, null);
        String hint = flow.returnPath().flatMap(path -> path.parameter("login_hint")).orElse("");
        return forgotForm(flow, HttpStatus.OK, null, hint.length() > MAX_EMAIL ? "" : hint, request);
    }

    /**
     * Queues the reset mail; the page that follows is the same whether or not the address
     * has an account.
     */
    @PostMapping(FORGOT)
    ResponseEntity<String> forgot(HttpServletRequest request,
            @RequestParam(name = "return", required = false) String returnTo,
            @RequestParam(required = false) String email) {
        LoginPage.Flow flow = login.flow(request, returnTo, null, null);
        String address = email == null ? "" : email.trim();
        if (address.length() > MAX_EMAIL || !address.matches(AccountRules.EMAIL)) {
            return forgotForm(flow, HttpStatus.BAD_REQUEST, pages.text(flow.locale(), "hosted.email.invalid"),
                    address.length() > MAX_EMAIL ? "" : address, request);
        }
        recovery.forgotPassword(address);
        Locale locale = flow.locale();
        String body = "<p class=\"lead\" data-sent>" + pages.text(locale, "hosted.forgot.sent", address) + "</p>"
                + "<p class=\"links\">" + signInLink(flow) + "</p>";
        return pages.page(HttpStatus.OK, locale, pages.text(locale, "hosted.forgot.title"), body,
                flow.formActionOrigins());
    }

    /** Every rule the request breaks, in the page's language, password rules included. */
    private List<String> problems(RegisterRequest registration, Locale locale) {
        Locale before = LocaleContextHolder.getLocale();
        LocaleContextHolder.setLocale(locale);
        try {
            Set<ConstraintViolation<RegisterRequest>> violations = validator.validate(registration);
            return violations.stream()
                .sorted(Comparator.comparing((ConstraintViolation<RegisterRequest> violation) -> order(
                        violation.getPropertyPath().toString())))
                .map(violation -> pages.text(locale, "hosted.register." + violation.getPropertyPath()) + ": "
                        + HostedPages.escape(violation.getMessage()))
                .distinct()
                .toList();
        }
        finally {
            LocaleContextHolder.setLocale(before);
        }
    }

    private static int order(String field) {
        return switch (field) {
            case "fullName" -> 0;
            case "email" -> 1;
            default -> 2;
        };
    }

    private ResponseEntity<String> registerForm(LoginPage.Flow flow, HttpStatus status, List<String> problems,
            String email, String fullName, HttpServletRequest request) {
        Locale locale = flow.locale();
        StringBuilder body = new StringBuilder("<p class=\"lead\">").append(pages.text(locale, "hosted.register.lead"))
            .append("</p>");
        for (String problem : problems) {
            body.append("<p class=\"error\" role=\"alert\">").append(problem).append("</p>");
        }
        body.append("<form method=\"post\" action=\"")
            .append(REGISTER)
            .append("\" data-form=\"register\">")
            .append(HostedPages.csrfField(request))
            .append(flow.fields())
            .append("<label for=\"full_name\">")
            .append(pages.text(locale, "hosted.register.fullName"))
            .append("</label><input id=\"full_name\" name=\"full_name\" type=\"text\" required maxlength=\"200\" "
                    + "autocomplete=\"name\" autofocus value=\"")
            .append(HostedPages.escape(fullName == null ? "" : fullName))
            .append("\"><label for=\"email\">")
            .append(pages.text(locale, "hosted.register.email"))
            .append("</label><input id=\"email\" name=\"email\" type=\"email\" required maxlength=\"")
            .append(MAX_EMAIL)
            .append("\" autocomplete=\"email\" value=\"")
            .append(HostedPages.escape(email == null ? "" : email))
            .append("\"><label for=\"password\">")
            .append(pages.text(locale, "hosted.register.password"))
            .append("</label><input id=\"password\" name=\"password\" type=\"password\" required "
                    + "autocomplete=\"new-password\"><button type=\"submit\">")
            .append(pages.text(locale, "hosted.register.submit"))
            .append("</button></form><p class=\"links\">")
            .append(signInLink(flow))
            .append("</p>");
        return pages.page(status, locale, pages.text(locale, "hosted.register.title"), body.toString(),
                flow.formActionOrigins());
    }

    private ResponseEntity<String> forgotForm(LoginPage.Flow flow, HttpStatus status, String error, String email,
            HttpServletRequest request) {
        Locale locale = flow.locale();
        StringBuilder body = new StringBuilder("<p class=\"lead\">").append(pages.text(locale, "hosted.forgot.lead"))
            .append("</p>");
        if (error != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(error).append("</p>");
        }
        body.append("<form method=\"post\" action=\"")
            .append(FORGOT)
            .append("\" data-form=\"forgot-password\">")
            .append(HostedPages.csrfField(request))
            .append(flow.fields())
            .append("<label for=\"email\">")
            .append(pages.text(locale, "hosted.email.address"))
            .append("</label><input id=\"email\" name=\"email\" type=\"email\" required maxlength=\"")
            .append(MAX_EMAIL)
            .append("\" autocomplete=\"email\" autofocus value=\"")
            .append(HostedPages.escape(email))
            .append("\"><button type=\"submit\">")
            .append(pages.text(locale, "hosted.forgot.submit"))
            .append("</button></form><p class=\"links\">")
            .append(signInLink(flow))
            .append("</p>");
        return pages.page(status, locale, pages.text(locale, "hosted.forgot.title"), body.toString(),
                flow.formActionOrigins());
    }

    private ResponseEntity<String> closed(LoginPage.Flow flow) {
        Locale locale = flow.locale();
        String body = "<p class=\"error\" role=\"alert\">" + pages.text(locale, "error.sign-up-closed") + "</p>"
                + "<p class=\"links\">" + signInLink(flow) + "</p>";
        return pages.page(HttpStatus.FORBIDDEN, locale, pages.text(locale, "hosted.register.title"), body);
    }

    /** Back to the sign-in, keeping the pending authorization and the language. */
    private String signInLink(LoginPage.Flow flow) {
        Locale locale = flow.locale();
        String href = LoginPage.PATH + "?lang=" + (Locale.ENGLISH.equals(locale) ? "en" : "tr")
                + flow.returnPath()
                    .map(path -> "&return=" + URLEncoder.encode(path.path(), StandardCharsets.UTF_8))
                    .orElse("");
        return "<a data-link=\"sign-in\" href=\"" + HostedPages.escape(href) + "\">"
                + pages.text(locale, "hosted.login.back") + "</a>";
    }

}
