package dev.kapi.identity.hosted;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.HtmlUtils;

import dev.kapi.shared.ApiException;

/**
 * What every hosted page shares: its language (the {@code lang} parameter, then the
 * {@code ui_locales} of the address it returns to, then the browser's), its texts (the
 * {@code hosted.*} and {@code error.*} messages in Turkish and English), its frame, its
 * CSRF field and its headers ({@link HostedPolicy}). Pages are plain HTML built here;
 * they load one stylesheet and, for passkeys only, one script of Kapı's own.
 */
@Component
final class HostedPages {

    static final Locale TURKISH = Locale.forLanguageTag("tr");

    static final String STYLESHEET = "/hosted/hosted.css";

    private final MessageSource messages;

    private final LocaleResolver locales;

    private final ObjectProvider<RegisteredClientRepository> clients;

    HostedPages(MessageSource messages, LocaleResolver locales, ObjectProvider<RegisteredClientRepository> clients) {
        this.messages = messages;
        this.locales = locales;
        this.clients = clients;
    }

    /** The language of a page. */
    Locale locale(HttpServletRequest request, Optional<ReturnPath> returnPath) {
        String lang = request.getParameter("lang");
        if (lang != null) {
            return "en".equalsIgnoreCase(lang) ? Locale.ENGLISH : TURKISH;
        }
        Optional<Locale> asked = returnPath.flatMap(path -> path.parameter("ui_locales"))
            .or(() -> Optional.ofNullable(request.getParameter("ui_locales")))
            .flatMap(HostedPages::firstKnown);
        if (asked.isPresent()) {
            return asked.get();
        }
        return "en".equals(locales.resolveLocale(request).getLanguage()) ? Locale.ENGLISH : TURKISH;
    }

    /** The first of a space-separated list of language tags that Kapı speaks. */
    private static Optional<Locale> firstKnown(String uiLocales) {
        for (String tag : uiLocales.trim().split("\\s+")) {
            String language = Locale.forLanguageTag(tag).getLanguage();
            if ("en".equals(language)) {
                return Optional.of(Locale.ENGLISH);
            }
            if ("tr".equals(language)) {
                return Optional.of(TURKISH);
            }
        }
        return Optional.empty();
    }

    /** A text of the page's language, HTML-escaped. */
    String text(Locale locale, String key, Object... args) {
        return escape(messages.getMessage(key, args, key, locale));
    }

    /** The text of an error code ({@code error.<code>}), HTML-escaped. */
    String error(Locale locale, ApiException ex) {
        return escape(messages.getMessage("error." + ex.code(), ex.args(),
                messages.getMessage("error.generic", null, locale), locale));
    }

    static String escape(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }

    /** The hidden CSRF field of a form posted to a hosted page. */
    static String csrfField(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return token == null ? "" : "<input type=\"hidden\" name=\"" + escape(token.getParameterName()) + "\" value=\""
                + escape(token.getToken()) + "\">";
    }

    static String hidden(String name, String value) {
        return value == null ? ""
                : "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
    }

    /**
     * The origins of the registered redirect URIs of a client, for {@code form-action};
     * none for an unknown client or while no client repository exists.
     */
    Set<String> clientOrigins(String clientId) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 200) {
            return Set.of();
        }
        RegisteredClientRepository repository = clients.getIfAvailable();
        RegisteredClient client = repository == null ? null : repository.findByClientId(clientId);
        return client == null ? Set.of() : HostedPolicy.originsOf(client.getRedirectUris());
    }

    /** The registered client, when a repository knows it. */
    Optional<RegisteredClient> client(String clientId) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 200) {
            return Optional.empty();
        }
        RegisteredClientRepository repository = clients.getIfAvailable();
        return Optional.ofNullable(repository == null ? null : repository.findByClientId(clientId));
    }

    /** A whole page as a response. */
    ResponseEntity<String> page(HttpStatus status, Locale locale, String title, String body,
            Collection<String> formActionOrigins) {
        return ResponseEntity.status(status)
            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .header("Content-Security-Policy", HostedPolicy.contentSecurityPolicy(formActionOrigins))
            .header("X-Frame-Options", "DENY")
            .header("Referrer-Policy", "no-referrer")
            .header("Cache-Control", "no-store")
            .header("Vary", "Accept-Language, Cookie")
            .body(html(locale, title, body, List.of()));
    }

    ResponseEntity<String> page(HttpStatus status, Locale locale, String title, String body) {
        return page(status, locale, title, body, Set.of());
    }

    /** A page with the scripts it runs (Kapı's own files). */
    ResponseEntity<String> page(HttpStatus status, Locale locale, String title, String body,
            Collection<String> formActionOrigins, List<String> scripts) {
        ResponseEntity<String> page = page(status, locale, title, body, formActionOrigins);
        return ResponseEntity.status(page.getStatusCode())
            .headers(page.getHeaders())
            .body(html(locale, title, body, scripts));
    }

    /** An error page written straight to a response (from a security filter). */
    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String messageKey)
            throws IOException {
        Locale locale = locale(request, ReturnPath.of(request.getParameter("return")));
        HostedPolicy.apply(response, Set.of());
        response.setStatus(status.value());
        response.setContentType("text/html;charset=UTF-8");
        String title = text(locale, "hosted.error.title");
        response.getWriter()
            .write(html(locale, title, "<p class=\"error\" role=\"alert\">" + text(locale, messageKey) + "</p>"
                    + "<p><a href=\"/login\">" + text(locale, "hosted.login.title") + "</a></p>", List.of()));
    }

    private String html(Locale locale, String title, String body, List<String> scripts) {
        StringBuilder scriptTags = new StringBuilder();
        for (String script : scripts) {
            scriptTags.append("<script src=\"").append(escape(script)).append("\" defer></script>\n");
        }
        return """
                <!doctype html>
                <html lang="%s">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Kapı</title>
                <link rel="icon" href="data:,">
                <link rel="stylesheet" href="%s">
                %s</head>
                <body>
                <main>
                <p class="brand">Kapı</p>
                <h1>%s</h1>
                %s
                </main>
                </body>
                </html>
                """.formatted(locale.getLanguage(), title, STYLESHEET, scriptTags, title, body);
    }

}
