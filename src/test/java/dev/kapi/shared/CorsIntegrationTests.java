package dev.kapi.shared;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page on another origin (an XSS'd front end, a phishing site) gets no CORS grant
 * unless the operator listed its origin in {@code KAPI_CORS_ORIGINS}; the tests list only
 * the origin of the single-page app example ({@code IntegrationTest.SPA}).
 */
class CorsIntegrationTests extends IntegrationTest {

    @Test
    void crossOriginWhenTheOriginIsNotListedThenTheBrowserIsGrantedNothing() {
        String token = newUserToken();

        client().options()
            .uri("/users/me")
            .header(HttpHeaders.ORIGIN, "https://evil.example")
            .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
            .exchange()
            .expectHeader()
            .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
            .expectHeader()
            .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
        as(token).get()
            .uri("/users/me")
            .header(HttpHeaders.ORIGIN, "https://evil.example")
            .exchange()
            .expectHeader()
            .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void providerEndpointsWhenCalledFromTheListedOriginThenGrantedWithoutCookies() {
        for (String path : List.of("/oauth2/token", "/userinfo")) {
            // A listed front end may call the token endpoint and /userinfo...
            client().options()
                .uri(path)
                .header(HttpHeaders.ORIGIN, SPA.origin())
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                .exchange()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, SPA.origin())
                // ...but never with the browser's cookies: Kapı's SSO cookie stays
                // out of every cross-origin call.
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
            client().options()
                .uri(path)
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        }
        client().options()
            .uri("/login")
            .header(HttpHeaders.ORIGIN, SPA.origin())
            .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .exchange()
            .expectHeader()
            .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }

    @Test
    void hostedPageFormWhenPostedFromANoReferrerPageThenNotRefusedAsCrossOrigin() {
        // The sign-in page's Referrer-Policy makes the browser send "Origin: null" with
        // its form: a navigation, which CORS must not refuse.
        String answer = client().post()
            .uri("/login")
            .header(HttpHeaders.ORIGIN, "null")
            .header("Sec-Fetch-Mode", "navigate")
            .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
            .body("username=nobody&password=x")
            .exchange()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(String.valueOf(answer)).doesNotContain("Invalid CORS request");
    }

}
