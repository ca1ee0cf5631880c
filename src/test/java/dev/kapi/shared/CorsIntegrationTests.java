package dev.kapi.shared;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.kapi.support.IntegrationTest;

/**
 * A page on another origin (an XSS'd front end, a phishing site) gets no CORS grant
 * unless the operator listed its origin in {@code KAPI_CORS_ORIGINS}; the test profile
 * lists none, as the default does.
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

}
