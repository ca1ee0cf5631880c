package dev.kapi.identity;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /}: a page for browsers, a JSON index for programs; no token needed. */
class FrontDoorIntegrationTests extends IntegrationTest {

    @Test
    void frontDoorWhenAskedForJsonThenAnIndexOfTheEntryPoints() {
        Map<String, Object> index = client().get()
            .uri("/")
            .accept(MediaType.APPLICATION_JSON)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(index).containsEntry("name", "Kapı").containsKey("issuer");
        @SuppressWarnings("unchecked")
        Map<String, String> links = (Map<String, String>) index.get("links");
        assertThat(links.get("admin_console")).endsWith("/admin/");
        assertThat(links.get("api_docs")).endsWith("/swagger-ui.html");
        assertThat(links.get("health")).endsWith("/actuator/health");
        assertThat(links.get("openid_configuration")).endsWith("/.well-known/openid-configuration");
    }

    @Test
    void frontDoorWhenOpenedInABrowserThenAPageInTheBrowsersLanguage() {
        String turkish = client().get()
            .uri("/")
            .header(HttpHeaders.ACCEPT, "text/html,*/*;q=0.8")
            .header(HttpHeaders.ACCEPT_LANGUAGE, "tr-TR")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader()
            .valueMatches("Content-Security-Policy", ".*default-src 'none'.*")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        String english = client().get()
            .uri("/")
            .header(HttpHeaders.ACCEPT, "text/html")
            .header(HttpHeaders.ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

        assertThat(turkish).contains("Kapı çalışıyor", "href=\"/admin/\"", "href=\"/swagger-ui.html\"",
                "href=\"/actuator/health\"");
        assertThat(english).contains("Kapı is running", "Admin console", "API documentation", "Health");
        client().get().uri("/front-door.css").exchange().expectStatus().isOk();
    }

    @Test
    void frontDoorWhenAStaleTokenIsSentThenStillThePage() {
        client().get()
            .uri("/")
            .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
            .accept(MediaType.APPLICATION_JSON)
            .exchange()
            .expectStatus()
            .isOk();
    }

}
