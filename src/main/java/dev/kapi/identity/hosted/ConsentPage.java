package dev.kapi.identity.hosted;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /oauth2/consent}: where the provider sends a signed-in browser whose client
 * asks for scopes not yet granted ({@code client_id}, {@code scope}, {@code state}, and
 * {@code user_code} in the device flow). It names the client and explains each scope in
 * Turkish or English; Allow posts the checked scopes with {@code client_id} and
 * {@code state} back to {@code /oauth2/authorize} (or {@code /activate} for a device),
 * Deny posts them without a scope. The provider checks {@code state} against the
 * signed-in account, so the forms need no CSRF field of their own.
 */
@Controller
@Hidden
class ConsentPage {

    static final String PATH = "/oauth2/consent";

    /** The scopes the page explains; any other is shown by name. */
    static final Set<String> KNOWN_SCOPES = Set.of("openid", "profile", "email", "offline_access", "roles",
            "entitlements");

    private static final int MAX_SCOPES = 50;

    private final HostedPages pages;

    private final SsoContextRepository contexts;

    private final Accounts accounts;

    ConsentPage(HostedPages pages, SsoContextRepository contexts, Accounts accounts) {
        this.accounts = accounts;
        this.pages = pages;
        this.contexts = contexts;
    }

    @GetMapping(PATH)
    ResponseEntity<String> show(HttpServletRequest request,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(required = false) String scope, @RequestParam(required = false) String state,
            @RequestParam(name = "user_code", required = false) String userCode) {
        Locale locale = pages.locale(request, Optional.empty());
        if (clientId == null || clientId.length() > 200 || state == null || state.isEmpty() || state.length() > 500
                || (scope != null && scope.length() > 2000) || (userCode != null && userCode.length() > 64)) {
            return ErrorPage.page(pages, locale, "invalid_request");
        }
        Optional<RegisteredClient> client = pages.client(clientId);
        if (client.isEmpty()) {
            return ErrorPage.page(pages, locale, "invalid_client");
        }
        Optional<SsoAuthentication> signedIn = contexts.authentication(request);
        if (signedIn.isEmpty()) {
            String here = PATH + "?" + request.getQueryString();
            return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI
                    .create(LoginPage.PATH + "?return=" + UriUtils.encodeQueryParam(here, StandardCharsets.UTF_8)))
                .build();
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String one : (scope == null ? "" : scope.trim()).split("\\s+")) {
            if (!one.isEmpty() && scopes.size() < MAX_SCOPES) {
                scopes.add(one);
            }
        }
        String action = userCode == null ? "/oauth2/authorize" : "/activate";
        String name = client.get().getClientName() == null ? clientId : client.get().getClientName();
        StringBuilder body = new StringBuilder("<p class=\"lead\">")
            .append(pages.text(locale, "hosted.consent.lead", name))
            .append("</p>");
        if (userCode != null) {
            body.append("<p class=\"lead\" data-user-code>")
                .append(pages.text(locale, "hosted.consent.device", userCode))
                .append("</p>");
        }
        body.append("<form method=\"post\" action=\"")
            .append(action)
            .append("\" data-form=\"consent\">")
            .append(HostedPages.hidden("client_id", clientId))
            .append(HostedPages.hidden("state", state))
            .append(HostedPages.hidden("user_code", userCode));
        if (scopes.contains("openid")) {
            body.append(HostedPages.hidden("scope", "openid"));
        }
        body.append("<ul class=\"scopes\">");
        for (String one : scopes) {
            boolean known = KNOWN_SCOPES.contains(one);
            String key = "hosted.scope." + one;
            if (one.equals("openid")) {
                body.append("<li data-scope=\"openid\">").append(pages.text(locale, key)).append("</li>");
                continue;
            }
            String id = "scope-" + HostedPages.escape(one);
            body.append("<li data-scope=\"")
                .append(HostedPages.escape(one))
                .append("\"><label for=\"")
                .append(id)
                .append("\"><input type=\"checkbox\" id=\"")
                .append(id)
                .append("\" name=\"scope\" value=\"")
                .append(HostedPages.escape(one))
                .append("\" checked> ")
                .append(known ? pages.text(locale, key) : HostedPages.escape(one))
                .append("<small>")
                .append(known ? pages.text(locale, key + ".why") : pages.text(locale, "hosted.scope.other"))
                .append("</small></label></li>");
        }
        body.append("</ul><p class=\"lead\">")
            .append(pages.text(locale, "hosted.consent.account",
                    accounts.byId(signedIn.get().accountId()).map(Account::email).orElse("")))
            .append("</p><div class=\"actions\"><button type=\"submit\" data-action=\"allow\">")
            .append(pages.text(locale, "hosted.consent.allow"))
            .append("</button></div></form>")
            .append("<form method=\"post\" action=\"")
            .append(action)
            .append("\" data-form=\"deny\">")
            .append(HostedPages.hidden("client_id", clientId))
            .append(HostedPages.hidden("state", state))
            .append(HostedPages.hidden("user_code", userCode))
            .append("<button type=\"submit\" class=\"secondary\" data-action=\"deny\">")
            .append(pages.text(locale, "hosted.consent.deny"))
            .append("</button></form>");
        return pages.page(HttpStatus.OK, locale, pages.text(locale, "hosted.consent.title", name), body.toString(),
                HostedPolicy.originsOf(client.get().getRedirectUris()));
    }

}
