package dev.kapi.identity.hosted;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /oauth2/error?error=<code>}: what the browser sees when the provider cannot
 * trust a redirect URI with an error (an unknown client, a redirect URI that is not
 * registered) and for the hosted pages' own dead ends. It explains the code in Turkish or
 * English, echoes nothing else the request carried, and links nowhere but Kapı's own
 * sign-in page: it never redirects.
 */
@Controller
@Hidden
class ErrorPage {

    static final String PATH = "/oauth2/error";

    /** The OAuth and OpenID error codes the page explains; any other is {@code error}. */
    static final Set<String> CODES = Set.of("invalid_request", "invalid_client", "unauthorized_client", "access_denied",
            "unsupported_response_type", "invalid_scope", "server_error", "temporarily_unavailable", "login_required",
            "consent_required", "interaction_required", "unmet_authentication_requirements", "invalid_redirect_uri");

    private final HostedPages pages;

    ErrorPage(HostedPages pages) {
        this.pages = pages;
    }

    @GetMapping(PATH)
    ResponseEntity<String> show(HttpServletRequest request, @RequestParam(required = false) String error) {
        return page(pages, pages.locale(request, Optional.empty()), error);
    }

    /** The error page for a code, from any hosted page. */
    static ResponseEntity<String> page(HostedPages pages, Locale locale, String error) {
        String code = error != null && CODES.contains(error) ? error : "error";
        String body = "<p class=\"error\" role=\"alert\" data-error=\"" + code + "\">"
                + pages.text(locale, "hosted.oauth-error." + code) + "</p><p class=\"lead\"><code>" + code
                + "</code></p>";
        return pages.page(HttpStatus.BAD_REQUEST, locale, pages.text(locale, "hosted.error.title"), body);
    }

}
