package dev.kapi.identity.provider;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.shared.PublicUrl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /}: a small page in Turkish or English (the browser's language, or
 * {@code ?lang=tr|en}) that links the admin console, the API docs and health; for
 * {@code Accept: application/json} a JSON index of the same and of the discovery
 * documents. The page runs no script and loads nothing but its stylesheet.
 */
@RestController
@Tag(name = "discovery")
@SecurityRequirements
class FrontDoor {

    static final String STYLESHEET = "/front-door.css";

    private static final String POLICY = "default-src 'none'; style-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private final String publicUrl;

    FrontDoor(PublicUrl site) {
        String publicUrl = site.publicUrl();
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** Where things are, in the order the page shows them. */
    Map<String, String> links() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("admin_console", publicUrl + "/admin/");
        links.put("api_docs", publicUrl + "/swagger-ui.html");
        links.put("openapi", publicUrl + "/v3/api-docs");
        links.put("health", publicUrl + "/actuator/health");
        links.put("openid_configuration", publicUrl + "/.well-known/openid-configuration");
        links.put("jwks", publicUrl + "/.well-known/jwks.json");
        return links;
    }

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The index of Kapı's entry points (the same links as the page at / in a browser)")
    Map<String, Object> index() {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("name", "Kapı");
        index.put("issuer", publicUrl);
        index.put("links", links());
        return index;
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "The front door page, in Turkish or English")
    ResponseEntity<String> page(@RequestParam(name = "lang", required = false) String lang) {
        boolean english = lang == null
                ? Locale.ENGLISH.getLanguage().equals(LocaleContextHolder.getLocale().getLanguage())
                : "en".equalsIgnoreCase(lang);
        return ResponseEntity.ok()
            .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
            .header("Content-Security-Policy", POLICY)
            .header("X-Frame-Options", "DENY")
            .header("Referrer-Policy", "no-referrer")
            .header(HttpHeaders.VARY, "Accept, Accept-Language")
            .body(english
                    ? html("en", "Kapı is running", "Accounts, sign-in and admin for your products.", "Admin console",
                            "API documentation", "Health", "OpenID configuration", "Türkçe", "tr")
                    : html("tr", "Kapı çalışıyor", "Ürünleriniz için hesaplar, oturum açma ve yönetim.",
                            "Yönetim konsolu", "API belgeleri", "Sağlık durumu", "OpenID yapılandırması", "English",
                            "en"));
    }

    private static String html(String language, String title, String lead, String admin, String docs, String health,
            String discovery, String otherLanguage, String otherTag) {
        return """
                <!doctype html>
                <html lang="%s">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <link rel="stylesheet" href="%s">
                </head>
                <body>
                <main>
                <h1>%s</h1>
                <p>%s</p>
                <ul>
                <li><a data-link="admin" href="/admin/">%s</a></li>
                <li><a data-link="api-docs" href="/swagger-ui.html">%s</a></li>
                <li><a data-link="health" href="/actuator/health">%s</a></li>
                <li><a data-link="discovery" href="/.well-known/openid-configuration">%s</a></li>
                </ul>
                <p class="language"><a data-link="language" href="/?lang=%s" hreflang="%s">%s</a></p>
                </main>
                </body>
                </html>
                """.formatted(language, title, STYLESHEET, title, lead, admin, docs, health, discovery, otherTag,
                otherTag, otherLanguage);
    }

}
