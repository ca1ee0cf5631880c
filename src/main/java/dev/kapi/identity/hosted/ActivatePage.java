package dev.kapi.identity.hosted;

import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /activate} without a {@code user_code} (RFC 8628's verification URI): a form
 * for the code a device shows, which GETs {@code /activate?user_code=…}, where the
 * provider's device verification takes over (it asks the browser to sign in first, then
 * for consent naming the client and the code). {@code code} pre-fills the field.
 */
@Controller
@Hidden
class ActivatePage {

    static final String PATH = "/activate";

    private static final int MAX_USER_CODE = 64;

    private final HostedPages pages;

    ActivatePage(HostedPages pages) {
        this.pages = pages;
    }

    @GetMapping(PATH)
    ResponseEntity<String> show(HttpServletRequest request, @RequestParam(required = false) String code) {
        Locale locale = pages.locale(request, Optional.empty());
        String prefill = code == null || code.length() > MAX_USER_CODE ? "" : code;
        String body = "<p class=\"lead\">" + pages.text(locale, "hosted.activate.lead") + "</p>"
                + "<form method=\"get\" action=\"" + PATH + "\" data-form=\"activate\">" + "<label for=\"user_code\">"
                + pages.text(locale, "hosted.activate.code") + "</label>"
                + "<input id=\"user_code\" name=\"user_code\" type=\"text\" required maxlength=\"" + MAX_USER_CODE
                + "\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" autofocus value=\""
                + HostedPages.escape(prefill) + "\">" + "<button type=\"submit\">"
                + pages.text(locale, "hosted.activate.submit") + "</button></form>";
        return pages.page(HttpStatus.OK, locale, pages.text(locale, "hosted.activate.title"), body);
    }

}
