package dev.kapi.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.kapi.support.Chromium;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code client/oidc/} true: the single-page app signs a user in through Kapı's
 * hosted pages in Chromium from its own origin (code flow with PKCE, state and nonce),
 * shows the ID token's claims, calls {@code /userinfo} and refreshes; the Node script
 * gets a client-credentials token and introspects it.
 */
class SignInWithKapiExamplesBrowserTests extends IntegrationTest {

    private static final Path OIDC = Path.of("client", "oidc").toAbsolutePath();

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static Chromium chromium;

    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void singlePageAppWhenTheUserSignsInThenItShowsTheClaimsCallsUserinfoAndRefreshes() throws Exception {
        // given: a public client for the app's origin, and the app told its issuer and
        // client_id
        Map<String, Object> client = post(newAdmin(), "/api/admin/oauth-clients",
                Map.of("client_name", "SPA example", "client_type", "public", "redirect_uris",
                        List.of(SPA.origin() + "/"), "post_logout_redirect_uris", List.of(SPA.origin() + "/"),
                        "grant_types", List.of("authorization_code", "refresh_token"), "scopes",
                        List.of("openid", "profile", "email"), "require_consent", false),
                201);
        assertThat(client).doesNotContainKey("client_secret");
        String issuer = providerAtItsAddress().baseUrl();
        SPA.write("config.json", json.writeValueAsString(
                Map.of("issuer", issuer, "client_id", client.get("client_id"), "scope", "openid profile email")));
        TestUser user = newUser();
        // Kapı answers the app's origin across origins (KAPI_CORS_ORIGINS lists it).
        java.net.http.HttpResponse<String> discovery = java.net.http.HttpClient.newHttpClient()
            .send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(issuer + "/.well-known/openid-configuration"))
                .header("Origin", SPA.origin())
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.headers().firstValue("Access-Control-Allow-Origin")).as("CORS on discovery")
            .contains(SPA.origin());
        // No X-Forwarded-For from this browser: a header of its own on the app's calls
        // would make each of them a preflighted CORS request, as no real browser does.
        chromium.forgetCookies();

        // when: the app sends the browser to Kapı and the user signs in
        chromium.driver().get(SPA.origin() + "/");
        chromium.waiting()
            .until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")),
                    ExpectedConditions.visibilityOfElementLocated(By.id("error"))));
        assertThat(one("#error").isDisplayed()).as(one("#error").getText()).isFalse();
        visible("#sign-in").click();
        chromium.waiting().until(ExpectedConditions.urlContains(issuer + "/login"));
        visible("input[name=username]").sendKeys(user.email());
        one("input[name=password]").sendKeys(PASSWORD);
        one("input[name=password]").submit();

        // then: back on the app's origin, with the claims of a checked ID token
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Signed in"));
        assertThat(chromium.driver().getCurrentUrl()).isEqualTo(SPA.origin() + "/");
        assertThat(one("#error").isDisplayed()).as(one("#error").getText()).isFalse();
        Map<String, Object> claims = json.readValue(one("#claims").getText(), OBJECT);
        assertThat(claims.get("aud")).isIn(client.get("client_id"), List.of(client.get("client_id")));
        assertThat(claims).containsEntry("sub", Long.toString(user.id()))
            .containsEntry("email", user.email())
            .containsKeys("nonce", "sid", "auth_time");

        // and: /userinfo with the access token, across origins
        visible("#userinfo").click();
        chromium.waiting()
            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("userinfo-result"), "status"));
        Map<String, Object> userinfo = json.readValue(one("#userinfo-result").getText(), OBJECT);
        assertThat(userinfo).containsEntry("status", 200);
        assertThat(asMap(userinfo.get("body"))).containsEntry("sub", Long.toString(user.id()));

        // and: a public client refreshes too, with a rotated refresh token
        visible("#refresh").click();
        chromium.waiting()
            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("refresh-result"), "changed"));
        assertThat(json.readValue(one("#refresh-result").getText(), OBJECT)).containsEntry("access_token_changed", true)
            .containsEntry("refresh_token_changed", true);
        assertThat(one("#error").isDisplayed()).as(one("#error").getText()).isFalse();
        chromium.screenshot("spa-example");
    }

    @Test
    void nodeScriptWhenRunWithAClientsCredentialsThenItGetsATokenKapiSaysIsActive() throws Exception {
        // given
        Map<String, Object> client = post(newAdmin(), "/api/admin/oauth-clients",
                Map.of("client_name", "Nightly report", "client_type", "confidential", "redirect_uris", List.of(),
                        "grant_types", List.of("client_credentials"), "scopes", List.of()),
                201);

        // when
        ProcessBuilder node = new ProcessBuilder("node", "client-credentials.mjs").directory(OIDC.toFile())
            .redirectErrorStream(false);
        node.environment()
            .putAll(Map.of("KAPI_ISSUER", providerAtItsAddress().baseUrl(), "KAPI_CLIENT_ID",
                    (String) client.get("client_id"), "KAPI_CLIENT_SECRET", (String) client.get("client_secret")));
        Process process = node.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished in a minute").isTrue();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());

        // then
        assertThat(process.exitValue()).as("node's exit code; stderr: %s", err).isZero();
        Map<String, Object> result = json.readValue(out, OBJECT);
        assertThat(((String) result.get("token_type")).toLowerCase()).isEqualTo("bearer");
        assertThat(((Number) result.get("expires_in")).longValue()).isPositive();
        assertThat(asMap(result.get("introspection"))).containsEntry("active", true)
            .containsEntry("client_id", client.get("client_id"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private WebElement one(String css) {
        return chromium.driver().findElement(By.cssSelector(css));
    }

    private WebElement visible(String css) {
        return chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

}
