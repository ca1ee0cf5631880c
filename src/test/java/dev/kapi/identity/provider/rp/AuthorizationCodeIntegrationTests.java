package dev.kapi.identity.provider.rp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.kapi.support.IntegrationTest;

import static dev.kapi.identity.provider.rp.CookieJarBrowser.location;
import static dev.kapi.identity.provider.rp.CookieJarBrowser.parameter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a confidential relying party meets when something is off, over real HTTP with a
 * browser's cookie jar and no browser: its secret without the PKCE verifier, a replayed
 * code (whose first exchange's refresh token dies too), a wrong secret, and a consent the
 * user revoked (asked again). A public client's missing or wrong verifier and replayed
 * code are {@code CodeFlowIntegrationTests}'; the mismatched redirect URI,
 * {@code prompt=none} without a session and a wrong secret at client credentials are
 * {@code ProviderIntegrationTests}'.
 */
class AuthorizationCodeIntegrationTests extends IntegrationTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void codeExchangeWhenAConfidentialClientSendsItsSecretButNoVerifierThenInvalidGrant() {
        Client client = client(false);
        String verifier = CookieJarBrowser.random();
        String code = signedInCode(client, newUser(), verifier);

        HttpResponse<String> missing = exchange(client, client.secret(), code, null);

        // The secret does not stand in for the proof of the browser that asked.
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(body(missing)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    void codeWhenReplayedThenTheRefreshTokenOfTheFirstExchangeIsDeadToo() {
        Client client = client(false);
        String verifier = CookieJarBrowser.random();
        String code = signedInCode(client, newUser(), verifier);
        HttpResponse<String> first = exchange(client, client.secret(), code, verifier);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String refreshToken = (String) body(first).get("refresh_token");
        assertThat(refreshToken).isNotBlank();

        HttpResponse<String> replay = exchange(client, client.secret(), code, verifier);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(body(replay)).containsEntry("error", "invalid_grant");
        HttpResponse<String> refresh = token(client, client.secret(),
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(body(refresh)).containsEntry("error", "invalid_grant");
    }

    @Test
    void codeExchangeWhenAConfidentialClientsSecretIsWrongThenInvalidClientAndTheCodeIsNotSpent() {
        Client client = client(false);
        String verifier = CookieJarBrowser.random();
        String code = signedInCode(client, newUser(), verifier);

        HttpResponse<String> wrong = exchange(client, client.secret() + "x", code, verifier);
        HttpResponse<String> none = token(null, null, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", verifier, "client_id", client.id()));

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(body(wrong)).containsEntry("error", "invalid_client").doesNotContainKey("access_token");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(body(none)).containsEntry("error", "invalid_client");
        // Whoever sent them could not spend the code for its owner.
        HttpResponse<String> right = exchange(client, client.secret(), code, verifier);
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    }

    @Test
    void consentWhenTheUserRevokesItThenTheNextSignInAsksAgain() {
        // given: a user who consented once, so the next authorization goes straight on
        Client client = client(true);
        TestUser user = newUser();
        CookieJarBrowser browser = new CookieJarBrowser("http://localhost:" + port, randomIp());
        String consentPage = location(signIn(browser, client, user, CookieJarBrowser.challenge("v")));
        assertThat(consentPage).contains("/oauth2/consent");
        assertThat(parameter(approve(browser, consentPage), "code")).isNotBlank();
        String remembered = location(browser.get(authorization(client, CookieJarBrowser.challenge("v"))));
        assertThat(remembered).startsWith(REDIRECT);
        assertThat(parameter(remembered, "code")).isNotBlank();
        assertThat(list(user, "/users/me/consents")).extracting(consent -> consent.get("client_id"))
            .contains(client.id());

        // when
        as(user.token()).delete()
            .uri("/users/me/consents/{client_id}", client.id())
            .exchange()
            .expectStatus()
            .isNoContent();

        // then
        assertThat(location(browser.get(authorization(client, CookieJarBrowser.challenge("v")))))
            .contains("/oauth2/consent");
        assertThat(list(user, "/users/me/consents")).extracting(consent -> consent.get("client_id"))
            .doesNotContain(client.id());
    }

    record Client(String id, String secret) {
    }

    private Client client(boolean requireConsent) {
        Map<String, Object> created = post(newAdmin(), "/api/admin/oauth-clients",
                Map.of("client_name", "Negatives", "client_type", "confidential", "redirect_uris", List.of(REDIRECT),
                        "grant_types", List.of("authorization_code", "refresh_token"), "scopes",
                        List.of("openid", "profile", "email"), "require_consent", requireConsent),
                201);
        return new Client((String) created.get("client_id"), (String) created.get("client_secret"));
    }

    private String authorization(Client client, String challenge) {
        return "/oauth2/authorize?" + CookieJarBrowser
            .form(new LinkedHashMap<>(Map.of("response_type", "code", "client_id", client.id(), "redirect_uri",
                    REDIRECT, "scope", "openid profile email", "state", CookieJarBrowser.random(), "nonce",
                    CookieJarBrowser.random(), "code_challenge", challenge, "code_challenge_method", "S256")));
    }

    /**
     * The answer to the authorization request once the user signed in with the password
     * on Kapı's page: a redirect to the client or to the consent page.
     */
    private HttpResponse<String> signIn(CookieJarBrowser browser, Client client, TestUser user, String challenge) {
        String login = location(browser.get(authorization(client, challenge)));
        assertThat(login).contains("/login?return=");
        assertThat(browser.get(login).statusCode()).isEqualTo(200);
        String back = location(browser.submit("/login", Map.of("username", user.email(), "password", PASSWORD)));
        return browser.get(back);
    }

    /** A code for a client that asks no consent. */
    private String signedInCode(Client client, TestUser user, String verifier) {
        CookieJarBrowser browser = new CookieJarBrowser("http://localhost:" + port, randomIp());
        String redirect = location(signIn(browser, client, user, CookieJarBrowser.challenge(verifier)));
        assertThat(redirect).startsWith(REDIRECT);
        return parameter(redirect, "code");
    }

    /**
     * Approves every scope on the consent page as a browser posts the form: the hidden
     * fields ({@code openid} among them) and one {@code scope} field per checked box.
     */
    private String approve(CookieJarBrowser browser, String consentPage) {
        String page = browser.get(consentPage).body();
        List<Map.Entry<String, String>> fields = new java.util.ArrayList<>();
        java.util.regex.Matcher scopes = java.util.regex.Pattern
            .compile("<input[^>]*type=\"checkbox\"[^>]*name=\"scope\"[^>]*value=\"([^\"]+)\"")
            .matcher(page);
        while (scopes.find()) {
            fields.add(Map.entry("scope", scopes.group(1)));
        }
        assertThat(fields).isNotEmpty();
        String redirect = location(browser.submitAll("/oauth2/authorize", fields));
        assertThat(redirect).startsWith(REDIRECT);
        return redirect;
    }

    private HttpResponse<String> exchange(Client client, String secret, String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT);
        form.put("code_verifier", verifier);
        return token(client, secret, form);
    }

    private HttpResponse<String> token(Client client, String secret, Map<String, String> form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Forwarded-For", randomIp())
            .POST(HttpRequest.BodyPublishers.ofString(CookieJarBrowser.form(form)));
        if (client != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((client.id() + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private Map<String, Object> body(HttpResponse<String> response) {
        return json.readValue(response.body(), OBJECT);
    }

}
