package dev.kapi.identity.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kapi.identity.hosted.HostedBrowser;
import dev.kapi.support.IntegrationTest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ProviderFuzzIntegrationTests} found, one request each, so that a fix stays
 * pinned whatever part of the fuzz plan a run's budget reaches.
 */
class ProviderFuzzFindingsIntegrationTests extends IntegrationTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aRequestUriWithAForeignRedirectUriIsTheErrorPageNotTheSignInPage() throws Exception {
        String clientId = publicClient();
        HttpResponse<String> answer = get(
                "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid&state=s&code_challenge="
                        + new CodeFlowIntegrationTests.Flow().challenge() + "&code_challenge_method=S256&redirect_uri="
                        + enc("https://evil.example/cb") + "&request_uri=urn:ietf:params:oauth:request_uri:x");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void aStateTooLongToSendBackIsRefusedNotA500() throws Exception {
        String clientId = publicClient();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        browser.get("/login");
        assertThat(browser.submit("/login", Map.of("username", registerUser(), "password", PASSWORD)).statusCode())
            .isEqualTo(303);
        CodeFlowIntegrationTests.Flow flow = new CodeFlowIntegrationTests.Flow();
        Map<String, String> form = new HashMap<>(
                Map.of("response_type", "code", "client_id", clientId, "scope", "openid", "code_challenge",
                        flow.challenge(), "code_challenge_method", "S256", "redirect_uri", REDIRECT));

        form.put("state", "9".repeat(10_000));
        HttpResponse<String> refused = browser.post("/oauth2/authorize", form);
        form.put("state", "9".repeat(AuthorizationRequestRefusals.MAX_ECHOED));
        HttpResponse<String> taken = browser.post("/oauth2/authorize", form);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
        assertThat(taken.statusCode()).isEqualTo(302);
        assertThat(taken.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?code=");
    }

    @Test
    void aNulInAFormsClientIdOrUsernameIsA400NotA500() throws Exception {
        HttpResponse<String> authorize = post("/oauth2/authorize",
                "response_type=code&client_id=a%00b&scope=openid&redirect_uri=" + enc(REDIRECT), Map.of());
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        browser.get("/login");
        HttpResponse<String> login = browser.submit("/login", Map.of("username", "a\u0000b", "password", PASSWORD));

        assertThat(authorize.statusCode()).isEqualTo(400);
        assertThat(authorize.headers().firstValue("Location")).isEmpty();
        assertThat(login.statusCode()).isEqualTo(400);
        assertThat(login.body()).contains("<form");
    }

    @Test
    void aRepeatedCodeIsInvalidRequestNotA500() throws Exception {
        HttpResponse<String> answer = post("/oauth2/token", "grant_type=authorization_code&code=a&code=a&client_id="
                + publicClient() + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + "v".repeat(43), Map.of());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"error\":\"invalid_request\"");
    }

    @Test
    void aFormTheServerCannotReadIsInvalidRequestInTheChainsOwnFormat() throws Exception {
        String tooBig = "grant_type=client_credentials&pad=" + "x".repeat(70_000);
        HttpResponse<String> token = post("/oauth2/token", tooBig, Map.of());
        HttpResponse<String> notUtf8 = post("/oauth2/token", "grant_type=%C3%28", Map.of());
        HttpResponse<String> page = post("/login", "username=a&pad=" + "x".repeat(70_000), Map.of());

        for (HttpResponse<String> answer : List.of(token, notUtf8)) {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("\"error\":\"invalid_request\"");
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void noClientCredentialsAtTheTokenEndpointIsInvalidClientAsJson() throws Exception {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer abc"),
                Map.of("Authorization", "Digest x"))) {
            HttpResponse<String> answer = post("/oauth2/token", "grant_type=client_credentials", headers);

            assertThat(answer.statusCode()).as("%s", headers).isEqualTo(401);
            assertThat(answer.body()).contains("\"error\":\"invalid_client\"");
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"kapi\"");
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
    }

    @Test
    void pushedAuthorizationRequestsAreNotRoutedAndAnswerLikeAnyUnknownRoute() throws Exception {
        Map<String, Object> created = post(newAdmin(), ProviderIntegrationTests.CLIENTS,
                Map.of("client_name", "Pushes", "client_type", "confidential", "grant_types",
                        List.of("authorization_code"), "redirect_uris", List.of(REDIRECT), "scopes", List.of("openid")),
                201);
        String basic = "Basic " + java.util.Base64.getEncoder()
            .encodeToString((created.get("client_id") + ":" + created.get("client_secret")).getBytes(UTF_8));
        String form = "response_type=code&client_id=" + created.get("client_id") + "&scope=openid&state=s"
                + "&redirect_uri=" + enc(REDIRECT);

        String wrong = "Basic "
                + java.util.Base64.getEncoder().encodeToString((created.get("client_id") + ":wrong").getBytes(UTF_8));
        String user = "Bearer " + newUserToken();

        for (Map<String, String> headers : List.of(Map.of("Authorization", basic), Map.of("Authorization", wrong),
                Map.<String, String>of(), Map.of("Authorization", user))) {
            HttpResponse<String> pushed = post("/oauth2/par", form, headers);
            HttpResponse<String> unknown = post("/oauth2/parx", form, headers);

            assertThat(pushed.statusCode()).as("%s", headers).isEqualTo(unknown.statusCode()).isBetween(400, 499);
            assertThat(pushed.headers().firstValue("Content-Type")).as("%s", headers)
                .isEqualTo(unknown.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(pushed.body()).doesNotContain("request_uri").doesNotContain("invalid_client");
        }
        HttpResponse<String> signedIn = post("/oauth2/par", form, Map.of("Authorization", user));
        assertThat(signedIn.statusCode()).isEqualTo(404);
        assertThat(signedIn.body()).contains("urn:kapi:problem:route-not-found");
    }

    private String publicClient() {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Findings");
        body.put("client_type", "public");
        body.put("grant_types", List.of("authorization_code"));
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("scopes", List.of("openid"));
        body.put("require_consent", false);
        return (String) post(newAdmin(), ProviderIntegrationTests.CLIENTS, body, 201).get("client_id");
    }

    private HttpResponse<String> get(String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + target))
            .header("X-Forwarded-For", randomIp())
            .GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-Forwarded-For", randomIp())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, UTF_8);
    }

}
