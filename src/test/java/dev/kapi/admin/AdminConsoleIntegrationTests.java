package dev.kapi.admin;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files over plain HTTP: where they live and the headers that confine them.
 */
class AdminConsoleIntegrationTests extends IntegrationTest {

    @Test
    void consoleWhenOpenedThenServedWithoutATokenUnderAStrictContentSecurityPolicy() {
        // /admin redirects to /admin/, which the client follows
        client().get()
            .uri("/admin")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .value(page -> assertThat(page).contains("/admin/js/app.js"));

        String page = client().get()
            .uri("/admin/")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader()
            .valueEquals("Content-Security-Policy", Console.CONTENT_SECURITY_POLICY)
            .expectHeader()
            .valueEquals("X-Frame-Options", "DENY")
            .expectHeader()
            .valueEquals("Referrer-Policy", "no-referrer")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(page).contains("<script type=\"module\" src=\"/admin/js/app.js\"></script>")
            .doesNotContain("<script>")
            .doesNotContain("style=");
        assertThat(Console.CONTENT_SECURITY_POLICY)
            .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe");

        client().get()
            .uri("/admin/js/app.js")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/javascript")
            .expectHeader()
            .valueEquals("Content-Security-Policy", Console.CONTENT_SECURITY_POLICY);
        client().get().uri("/admin/js/missing.js").exchange().expectStatus().isNotFound();
    }

    @Test
    void consoleWhenTheFilesArePublicThenTheAdminApiStillIsNot() {
        client().get().uri("/api/admin/dashboard").exchange().expectStatus().isUnauthorized();
        as(newUserToken()).get().uri("/api/admin/dashboard").exchange().expectStatus().isForbidden();
    }

    @Test
    void consoleScriptsWhenReadThenTokensAreNeverPutInBrowserStorage() {
        String api = client().get()
            .uri("/admin/js/api.js")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(api).contains("let tokens = null")
            .doesNotContain("localStorage.")
            .doesNotContain("sessionStorage.")
            .doesNotContain("document.cookie");
    }

}
