package dev.kapi.identity.hosted;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriComponentsBuilder;

import dev.kapi.identity.token.SecretTokens;
import dev.kapi.support.Chromium;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys on the hosted sign-in page in Chromium, with DevTools' virtual authenticator
 * (CTAP2, resident keys, user verification): a passkey enrolled through the API then
 * finishes an authorization-code flow as the second factor after the password
 * ({@code amr} {@code pwd hwk}) and alone, without an email typed ({@code amr}
 * {@code hwk}), both {@code urn:kapi:acr:mfa} as the API's passkey sign-in counts them;
 * and the assertions a thief could bring (another account's passkey after the victim's
 * password, an answer replayed) are refused. The page's own script does the WebAuthn call
 * under its strict Content-Security-Policy: a violation would show in the console.
 */
class HostedPasskeyBrowserTests extends IntegrationTest {

    private static Chromium chromium;

    private static HttpServer relyingParty;

    private static String redirectUri;

    private VirtualAuthenticator authenticator;

    private String base;

    @BeforeAll
    static void startBrowserAndRedirectTarget() throws IOException {
        chromium = Chromium.start();
        // the client's redirect URI: a real page on loopback, so the browser lands
        relyingParty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relyingParty.createContext("/callback", exchange -> {
            byte[] body = "<!doctype html><title>callback</title><link rel=icon href=\"data:,\"><p id=callback>callback</p>"
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        relyingParty.start();
        redirectUri = "http://127.0.0.1:" + relyingParty.getAddress().getPort() + "/callback";
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (relyingParty != null) {
            relyingParty.stop(0);
        }
    }

    @BeforeEach
    void freshBrowserWithAnAuthenticator() {
        // The browser keeps cookies by the real time: Kapı's clock is not behind it.
        Duration behind = Duration.between(clock.instant(), Instant.now());
        if (behind.isPositive()) {
            clock.advance(behind);
        }
        base = "http://localhost:" + port;
        chromium.forgetCookies();
        chromium.comeFrom(randomIp());
        authenticator = newAuthenticator();
        chromium.forgetConsole();
    }

    @AfterEach
    void removeAuthenticator() {
        if (authenticator != null) {
            chromium.driver().removeVirtualAuthenticator(authenticator);
        }
    }

    @Test
    void passwordThenPasskeyAsTheSecondFactorFinishesTheCodeFlowWithPwdAndHwk() throws Exception {
        // given: an account whose only second factor is a passkey, enrolled through the
        // API
        TestUser user = newUser();
        enrolPasskey(user);
        String clientId = publicClient();
        Flow flow = new Flow();

        // when: the client sends the browser to Kapı; the password, then the passkey
        chromium.driver().get(base + authorizeRequest(clientId, flow));
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
        one("#username").sendKeys(user.email());
        one("#password").sendKeys(PASSWORD);
        one("form[data-form=password] button[type=submit]").click();
        WebElement usePasskey = chromium.waiting()
            .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-action=passkey]")));
        // no code field: the account has no authenticator app
        assertThat(chromium.driver().findElements(By.id("code"))).isEmpty();
        chromium.screenshot("hosted-passkey-second-factor");
        usePasskey.click();

        // then: on at the client with a code whose ID token says both factors
        JWTClaimsSet id = idTokenAtTheClient(clientId, flow);
        assertThat(id.getSubject()).isEqualTo(Long.toString(user.id()));
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "hwk");
        assertThat(id.getStringClaim("acr")).isEqualTo("urn:kapi:acr:mfa");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void withTotpAndAPasskeyTheScriptShowsBothAndWithoutScriptTheCodeStillSignsIn() {
        // given: an account with an authenticator app and a passkey
        TestUser user = newUser();
        enrolPasskey(user);
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", Totp.code(secret, clock.instant(), 0)), 200);

        // when: Chromium runs the page's script
        chromium.driver().get(base + "/login");
        one("#username").sendKeys(user.email());
        one("#password").sendKeys(PASSWORD);
        one("form[data-form=password] button[type=submit]").click();

        // then: the code and the passkey are both offered
        chromium.waiting()
            .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-action=passkey]")));
        assertThat(one("#code").isDisplayed()).isTrue();

        // and: a browser without script gets the passkey form hidden, and the code
        // signs in
        HostedBrowser plain = new HostedBrowser(port, randomIp());
        plain.get("/login");
        HttpResponse<String> second = plain.submit("/login", Map.of("username", user.email(), "password", PASSWORD));
        assertThat(second.body()).contains("data-form=\"second-factor\"")
            .containsPattern("<form [^>]*data-form=\"passkey\"[^>]* hidden>");
        HttpResponse<String> signedIn = plain.submit("/login/mfa",
                Map.of("code", Totp.code(secret, clock.instant(), 1)));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(plain.cookie("kapi_sso")).isPresent();
        chromium.assertNoConsoleErrors();
    }

    @Test
    void passkeyAloneWithoutAnEmailTypedFinishesTheCodeFlowWithHwkAndMfa() throws Exception {
        // given
        TestUser user = newUser();
        enrolPasskey(user);
        String clientId = publicClient();
        Flow flow = new Flow();

        // when: "Sign in with a passkey" on the sign-in page, nothing typed
        chromium.driver().get(base + authorizeRequest(clientId, flow));
        WebElement passkey = chromium.waiting()
            .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-action=passkey-sign-in]")));
        chromium.screenshot("hosted-passkey-sign-in");
        passkey.click();

        // then: the discoverable credential named the account; a user-verifying passkey
        // is two factors, as POST /auth/passkey counts it
        JWTClaimsSet id = idTokenAtTheClient(clientId, flow);
        assertThat(id.getSubject()).isEqualTo(Long.toString(user.id()));
        assertThat(id.getStringListClaim("amr")).containsExactly("hwk");
        assertThat(id.getStringClaim("acr")).isEqualTo("urn:kapi:acr:mfa");
        // and: the browser's single sign-on session is that one (the next visit is not
        // asked)
        chromium.driver().get(base + "/login");
        assertThat(one("[data-signed-in]").getText()).contains(user.email());
        chromium.assertNoConsoleErrors();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anotherAccountsPasskeyAfterTheVictimsPasswordIsRefusedAndCountsAsAFailedTry() {
        // given: the victim's passkey lives on the victim's authenticator; the thief
        // knows the password and has a passkey of an account of their own
        TestUser victim = newUser();
        enrolPasskey(victim);
        chromium.driver().removeVirtualAuthenticator(authenticator);
        authenticator = newAuthenticator();
        TestUser thief = newUser();
        enrolPasskey(thief);
        chromium.forgetCookies();

        // when: the victim's password, then the thief's passkey signing a ceremony for
        // any passkey, posted with the victim's mfa_token through the page's form
        chromium.driver().get(base + "/login");
        one("#username").sendKeys(victim.email());
        one("#password").sendKeys(PASSWORD);
        one("form[data-form=password] button[type=submit]").click();
        chromium.waiting()
            .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-action=passkey]")));
        Map<String, Object> signed = (Map<String, Object>) chromium.driver().executeAsyncScript(ASSERTION_SCRIPT);
        assertThat(signed).containsKey("ceremony_id");
        chromium.driver()
            .executeScript("const form = document.querySelector('form[data-form=passkey]');"
                    + "form.elements.ceremony_id.value = arguments[0]; form.elements.credential.value = arguments[1];"
                    + "form.submit();", signed.get("ceremony_id"), signed.get("credential"));

        // then: refused on the second step, no session, and the try counts towards the
        // lockout like a wrong code
        chromium.waiting().until(ExpectedConditions.urlToBe(base + "/login/passkey"));
        assertThat(one("main > p.error[role=alert]").getText()).isIn(
                "Geçiş anahtarı doğrulanamadı; bu hesaba ait bir geçiş " + "anahtarıyla yeniden deneyin.",
                "The passkey could not be verified; try again with a passkey of this account.");
        assertThat(chromium.driver().manage().getCookieNamed("kapi_sso")).isNull();
        assertThat(get(victim, "/users/me/sessions", 200).get("sessions")).asList().hasSize(1);
        assertThat(auditDetails(victim, "login-second-factor-failed")).contains("method=passkey");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReplayedAssertionIsRefusedEvenWithItsOwnCeremonyOrAFreshOne() {
        // given: an assertion of the account's passkey, taken from the browser
        TestUser user = newUser();
        enrolPasskey(user);
        chromium.driver().get(base + "/login");
        Map<String, Object> signed = (Map<String, Object>) chromium.driver().executeAsyncScript(ASSERTION_SCRIPT);
        String ceremony = (String) signed.get("ceremony_id");
        String credential = (String) signed.get("credential");

        // when: it signs in once (through the form, without script)
        HostedBrowser first = new HostedBrowser(port, randomIp());
        first.get("/login");
        HttpResponse<String> signedIn = first.submit("/login/passkey",
                Map.of("ceremony_id", ceremony, "credential", credential));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(first.cookie("kapi_sso")).isPresent();

        // then: replayed, with its ceremony or with a fresh one, it signs nobody in
        HostedBrowser thief = new HostedBrowser(port, randomIp());
        thief.get("/login");
        HttpResponse<String> replayed = thief.submit("/login/passkey",
                Map.of("ceremony_id", ceremony, "credential", credential));
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("data-form=\"password\"");
        String fresh = (String) client(randomIp()).post()
            .uri("/auth/passkey/options")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("ceremony_id");
        HttpResponse<String> withFresh = thief.submit("/login/passkey",
                Map.of("ceremony_id", fresh, "credential", credential));
        assertThat(withFresh.statusCode()).isEqualTo(400);
        assertThat(thief.cookie("kapi_sso")).isEmpty();
        assertThat(get(user, "/users/me/sessions", 200).get("sessions")).asList().hasSize(2);
    }

    /**
     * Asks options for any passkey and has the authenticator sign them; the ceremony and
     * the answer as the page's form would post them.
     */
    private static final String ASSERTION_SCRIPT = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const ceremony = await (await fetch('/auth/passkey/options', { method: 'POST',
                headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
              const credential = await navigator.credentials.get({ publicKey:
                PublicKeyCredential.parseRequestOptionsFromJSON(ceremony.options) });
              done({ ceremony_id: ceremony.ceremony_id, credential: JSON.stringify(credential.toJSON()) });
            })().catch(error => done({ error: String(error) }));
            """;

    private VirtualAuthenticator newAuthenticator() {
        return chromium.driver()
            .addVirtualAuthenticator(
                    new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                        .setHasResidentKey(true)
                        .setHasUserVerification(true)
                        .setIsUserVerified(true)
                        .setIsUserConsenting(true));
    }

    /**
     * Registers a passkey for the user through the API ({@code POST
     * /users/me/passkeys/options}, then {@code POST /users/me/passkeys}) from a page of
     * Kapı's origin, on the browser's authenticator.
     */
    private void enrolPasskey(TestUser user) {
        chromium.driver().get(base + "/login");
        Object status = chromium.driver()
            .executeAsyncScript(
                    """
                            const done = arguments[arguments.length - 1];
                            const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer ' + arguments[0] };
                            (async () => {
                              const ceremony = await (await fetch('/users/me/passkeys/options', { method: 'POST', headers })).json();
                              const created = await navigator.credentials.create({ publicKey:
                                PublicKeyCredential.parseCreationOptionsFromJSON(ceremony.options) });
                              const saved = await fetch('/users/me/passkeys', { method: 'POST', headers, body: JSON.stringify({
                                ceremony_id: ceremony.ceremony_id, label: 'Dizüstü', credential: created.toJSON() }) });
                              done(saved.status);
                            })().catch(error => done(String(error)));
                            """,
                    user.token());
        assertThat(status).isEqualTo(201L);
        assertThat(get(user, "/users/me/mfa", 200).get("methods")).isEqualTo(List.of("passkey"));
    }

    /** The PKCE verifier and nonce of one authorization request. */
    private record Flow(String verifier, String nonce, String state) {

        Flow() {
            this(SecretTokens.generate(), SecretTokens.generate(), SecretTokens.generate());
        }

        String challenge() throws Exception {
            return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private String publicClient() {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Passkey SPA");
        body.put("client_type", "public");
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("redirect_uris", List.of(redirectUri));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", false);
        return (String) post(newAdmin(), "/api/admin/oauth-clients", body, 201).get("client_id");
    }

    private static String authorizeRequest(String clientId, Flow flow) throws Exception {
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid%20email&state="
                + flow.state() + "&nonce=" + flow.nonce() + "&code_challenge=" + flow.challenge()
                + "&code_challenge_method=S256&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);
    }

    /** Waits for the browser at the client, trades its code and checks the ID token. */
    private JWTClaimsSet idTokenAtTheClient(String clientId, Flow flow) throws Exception {
        chromium.waiting().until(ExpectedConditions.urlContains(redirectUri + "?"));
        Map<String, List<String>> query = UriComponentsBuilder.fromUriString(chromium.driver().getCurrentUrl())
            .build()
            .getQueryParams();
        assertThat(query.get("state")).containsExactly(flow.state());
        Map<String, Object> tokens = client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=authorization_code&code=" + query.get("code").get(0) + "&client_id=" + clientId
                    + "&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&code_verifier="
                    + flow.verifier())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        JWTClaimsSet id = verified((String) tokens.get("id_token"));
        assertThat(id.getStringClaim("nonce")).isEqualTo(flow.nonce());
        return id;
    }

    private JWTClaimsSet verified(String token) throws Exception {
        String jwks = client().get()
            .uri("/.well-known/jwks.json")
            .exchange()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> {
        });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(JWKSet.parse(jwks))));
        return processor.process(token, null);
    }

    @SuppressWarnings("unchecked")
    private String auditDetails(TestUser user, String type) {
        TestUser admin = newAdmin();
        List<Map<String, Object>> events = (List<Map<String, Object>>) get(admin,
                "/api/admin/audit?user=" + user.id() + "&type=" + type, 200)
            .get("data");
        return events.isEmpty() ? "" : String.valueOf(events.get(0).get("details"));
    }

    private WebElement one(String css) {
        return chromium.driver().findElement(By.cssSelector(css));
    }

}
