package dev.kapi.identity.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OpenID provider on loopback (NAV's mock-oauth2-server, started once in the test
 * JVM on a random port) and a browser that walks the external sign-in by hand: it keeps
 * Kapı's binding cookie, fills in the provider's sign-in form and hands the callback to
 * Kapı's real port.
 */
final class ExternalProviderStub {

    /**
     * The clock the provider issues its tokens at: the tests' own (Kapı checks them at
     * it).
     */
    private static volatile Clock clock = Clock.systemUTC();

    /**
     * The issuer whose every sign-in is {@link #BROWSER_EMAIL}'s, for the Chromium test.
     */
    static final String BROWSER_ISSUER = "chromium";

    static final String BROWSER_CLIENT = "kapi-chromium";

    static final String BROWSER_EMAIL = "chromium-" + UUID.randomUUID() + "@example.com";

    static final MockOAuth2Server OIDC = start();

    private ExternalProviderStub() {
    }

    private static MockOAuth2Server start() {
        MockOAuth2Server server = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(() -> clock.instant()),
                        Set.of(new DefaultOAuth2TokenCallback(BROWSER_ISSUER, "chromium-" + BROWSER_EMAIL, "JWT",
                                List.of(BROWSER_CLIENT), Map.of("email", BROWSER_EMAIL, "email_verified", true),
                                3600))));
        server.start();
        return server;
    }

    static String issuer(String issuerId) {
        return OIDC.issuerUrl(issuerId).toString();
    }

    /** Issues the provider's tokens at {@code now}'s time. */
    static void useClock(Clock now) {
        clock = now;
    }

    /**
     * The provider's sign-in form, filled in: {@code subject} signs in with these claims
     * in the ID token.
     */
    static String loginForm(String subject, Map<String, Object> claims) {
        return "username=" + encode(subject) + "&claims="
                + encode(JsonMapper.builder().build().writeValueAsString(claims));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One browser: its own address and Kapı's binding cookie. */
    static final class Browser {

        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        private final int kapiPort;

        private final String ip;

        private String cookie;

        Browser(int kapiPort, String ip) {
            this.kapiPort = kapiPort;
            this.ip = ip;
        }

        /** A GET; Kapı's cookie goes only to Kapı, and a new one is kept. */
        HttpResponse<String> get(String url) {
            return send(url, null);
        }

        /** A form posted, as the provider's sign-in page posts it. */
        HttpResponse<String> post(String url, String form) {
            return send(url, form);
        }

        private HttpResponse<String> send(String url, String form) {
            String target = url.replace("http://localhost:8000", "http://localhost:" + kapiPort);
            boolean toKapi = target.startsWith("http://localhost:" + kapiPort);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target));
            if (form == null) {
                request.GET();
            }
            else {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            }
            if (toKapi) {
                request.header("X-Forwarded-For", ip);
                if (cookie != null) {
                    request.header("Cookie", cookie);
                }
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (toKapi) {
                    response.headers()
                        .allValues("Set-Cookie")
                        .stream()
                        .filter(value -> value.startsWith("kapi_external="))
                        .findFirst()
                        .ifPresent(value -> cookie = value.substring(0, value.indexOf(';')));
                }
                return response;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

        static Optional<String> location(HttpResponse<?> response) {
            return response.headers().firstValue("Location");
        }

    }

}
