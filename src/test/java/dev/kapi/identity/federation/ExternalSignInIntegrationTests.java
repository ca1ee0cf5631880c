package dev.kapi.identity.federation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.UriComponentsBuilder;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.kapi.identity.federation.ExternalProviderStub.Browser;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;
import dev.kapi.support.Totp;

import static dev.kapi.identity.federation.ExternalProviderStub.encode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in with external providers end to end: a real OpenID provider on loopback
 * (mock-oauth2-server) and GitHub's endpoints on WireMock; the browser's part walked by
 * hand, the SPA's code exchanged over the API.
 */
class ExternalSignInIntegrationTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    /** A provider of its own per test: its own issuer at the stub, its own alias. */
    private record Provider(String alias, String issuerId, String clientId) {
    }

    private Provider oidcProvider(TestUser admin, boolean linkByVerifiedEmail, boolean trustMfa) {
        String alias = "idp-" + UUID.randomUUID().toString().substring(0, 8);
        String issuerId = "issuer-" + alias;
        String clientId = "kapi-" + alias;
        Map<String, Object> body = new HashMap<>();
        body.put("alias", alias);
        body.put("type", "oidc");
        body.put("display_name", "Kurum " + alias);
        body.put("issuer_uri", ExternalProviderStub.issuer(issuerId));
        body.put("client_id", clientId);
        body.put("client_secret", "s3cret-" + alias);
        body.put("link_by_verified_email", linkByVerifiedEmail);
        body.put("trust_provider_mfa", trustMfa);
        post(admin, "/api/admin/identity-providers", body, 201);
        return new Provider(alias, issuerId, clientId);
    }

    private String spaReturn() {
        return SPA.origin() + "/signed-in";
    }

    /**
     * Walks a sign-in through the provider as {@code subject}; answers the query of the
     * address Kapı finally sends the browser to.
     */
    private Map<String, String> through(Browser browser, Provider provider, String subject, Map<String, Object> claims,
            String startUrl) {
        ExternalProviderStub.useClock(clock);
        HttpResponse<String> start = browser.get(startUrl);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = Browser.location(start).orElseThrow();
        assertThat(authorize).startsWith(ExternalProviderStub.issuer(provider.issuerId()))
            .contains("code_challenge_method=S256")
            .contains("nonce=")
            .contains("state=");
        HttpResponse<String> atProvider = browser.post(authorize, ExternalProviderStub.loginForm(subject, claims));
        assertThat(atProvider.statusCode()).isEqualTo(302);
        String callback = Browser.location(atProvider).orElseThrow();
        assertThat(URI.create(callback).getPath()).isEqualTo("/auth/external/" + provider.alias() + "/callback");
        HttpResponse<String> back = browser.get(callback);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        String location = Browser.location(back).orElseThrow();
        assertThat(location).startsWith(spaReturn());
        return UriComponentsBuilder.fromUriString(location).build().getQueryParams().toSingleValueMap();
    }

    private Map<String, String> signInThrough(Provider provider, String subject, Map<String, Object> claims) {
        return through(new Browser(port, randomIp()), provider, subject, claims, "http://localhost:" + port
                + "/auth/external/" + provider.alias() + "?return_to=" + encode(spaReturn()));
    }

    private static Map<String, Object> verified(String email) {
        return Map.of("email", email, "email_verified", true, "name", "Ayşe Dış");
    }

    private Map<String, Object> exchange(String code, int status) {
        return client().post()
            .uri("/auth/external/exchange")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", code))
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private Map<String, Object> exchange(Map<String, String> body, int status) {
        return client().post()
            .uri("/auth/external/exchange")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /**
     * The app's PKCE pair, computed as a browser's SubtleCrypto would: S256 of a
     * verifier.
     */
    private record Pkce(String verifier, String challenge) {

        static Pkce generate() {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }

        String query() {
            return "&code_challenge=" + challenge + "&code_challenge_method=S256";
        }
    }

    private Map<String, String> signInWithChallenge(Provider provider, String subject, Pkce pkce) {
        return through(new Browser(port, randomIp()), provider, subject, verified(subject + "@example.com"),
                "http://localhost:" + port + "/auth/external/" + provider.alias() + "?return_to=" + encode(spaReturn())
                        + pkce.query());
    }

    private HttpResponse<String> start(int kapiPort, Provider provider, String query) {
        return new Browser(kapiPort, randomIp())
            .get("http://localhost:" + kapiPort + "/auth/external/" + provider.alias() + "?" + query);
    }

    private TestUser tokensFor(String code, String email) {
        String token = (String) exchange(code, 200).get("access_token");
        return new TestUser(token, accountIdOf(token), email);
    }

    @Test
    void firstSignInWhenTheProviderVerifiedTheAddressThenAnAccountIsCreatedAndTheSameSubjectSignsInAgain() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();

        Map<String, String> first = signInThrough(provider, "sub-" + email, verified(email));

        assertThat(first).containsKey("code").doesNotContainKey("access_token");
        TestUser user = tokensFor(first.get("code"), email);
        Map<String, Object> me = get(user, "/users/me", 200);
        assertThat(me).containsEntry("email", email).containsEntry("email_verified", true);
        List<Map<String, Object>> identities = list(user, "/users/me/identities");
        assertThat(identities).hasSize(1);
        assertThat(identities.getFirst()).containsEntry("alias", provider.alias())
            .containsEntry("subject", "sub-" + email)
            .containsEntry("email", email)
            .containsKeys("id", "linked_at");

        Map<String, String> again = signInThrough(provider, "sub-" + email, verified(email));
        assertThat(accountIdOf((String) exchange(again.get("code"), 200).get("access_token"))).isEqualTo(user.id());
    }

    @Test
    void codeWhenUsedTwiceOrAfterSixtySecondsThenRefused() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();
        String code = signInThrough(provider, "sub-" + email, verified(email)).get("code");

        exchange(code, 200);
        assertThat(exchange(code, 400)).containsEntry("type", "urn:kapi:problem:external-code-invalid");

        String late = signInThrough(provider, "sub-" + email, verified(email)).get("code");
        clock.advance(Duration.ofSeconds(61));
        assertThat(exchange(late, 400)).containsEntry("type", "urn:kapi:problem:external-code-invalid");
    }

    @Test
    void signUpWhenTheProviderDidNotVerifyTheAddressThenRefused() {
        Provider provider = oidcProvider(newAdmin(), true, false);
        String email = uniqueEmail();

        Map<String, String> answer = signInThrough(provider, "sub-" + email,
                Map.of("email", email, "email_verified", false));

        assertThat(answer).containsEntry("error", "external-email-unverified").doesNotContainKey("code");
        assertThat(jdbc.sql("SELECT count(*) FROM accounts WHERE email = :email")
            .param("email", email)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void existingAccountWhenLinkingByEmailIsOffThenTheSilentMergeIsRefused() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        TestUser owner = newVerifiedUser();

        Map<String, String> answer = signInThrough(provider, "attacker-" + UUID.randomUUID(), verified(owner.email()));

        assertThat(answer).containsEntry("error", "account-exists-sign-in-to-link").doesNotContainKey("code");
        assertThat(list(owner, "/users/me/identities")).isEmpty();
    }

    @Test
    void existingAccountWhenItsOwnAddressIsUnverifiedThenNotLinkedEvenWithLinkingOn() {
        // A squatter registered the victim's address with a password of their own: the
        // provider's verified address must not join the victim to that account.
        Provider provider = oidcProvider(newAdmin(), true, false);
        TestUser squatter = newUser();

        Map<String, String> answer = signInThrough(provider, "victim-" + UUID.randomUUID(), verified(squatter.email()));

        assertThat(answer).containsEntry("error", "account-exists-sign-in-to-link");
        assertThat(list(squatter, "/users/me/identities")).isEmpty();
    }

    @Test
    void existingAccountWhenTheProviderDoesNotVerifyTheAddressThenNotLinkedEvenWithLinkingOn() {
        Provider provider = oidcProvider(newAdmin(), true, false);
        TestUser owner = newVerifiedUser();

        Map<String, String> answer = signInThrough(provider, "other-" + UUID.randomUUID(),
                Map.of("email", owner.email(), "email_verified", false));

        assertThat(answer).containsEntry("error", "external-email-unverified");
        assertThat(list(owner, "/users/me/identities")).isEmpty();
    }

    @Test
    void existingAccountWhenBothAddressesAreVerifiedAndLinkingIsOnThenLinkedAndSignedIn() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", "http://127.0.0.1:9/hooks", "events", List.of("account.linked", "account.unlinked")),
                201);
        Provider provider = oidcProvider(admin, true, false);
        TestUser owner = newVerifiedUser();

        Map<String, String> answer = signInThrough(provider, "owner-" + owner.id(), verified(owner.email()));

        assertThat(accountIdOf((String) exchange(answer.get("code"), 200).get("access_token"))).isEqualTo(owner.id());
        assertThat(list(owner, "/users/me/identities")).extracting(identity -> identity.get("alias"))
            .containsExactly(provider.alias());
        List<String> bodies = jdbc.sql("SELECT body FROM webhook_deliveries WHERE webhook_id = :id ORDER BY id")
            .param("id", id(webhook))
            .query(String.class)
            .list();
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("\"type\":\"account.linked\"")
            .contains("\"account_id\":" + owner.id())
            .contains("\"alias\":\"" + provider.alias() + "\""));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE target_id = :id AND type = 'account-linked'")
            .param("id", owner.id())
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void linkWhileSignedInThenTheCallbackLinksAndTheProviderSignsIntoThatAccount() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        TestUser owner = newVerifiedUser();
        String subject = "linked-" + owner.id();

        Map<String, Object> started = post(owner, "/users/me/identities/" + provider.alias(),
                Map.of("return_to", spaReturn()), 200);
        String authorizationUrl = (String) started.get("authorization_url");
        assertThat(URI.create(authorizationUrl).getPath()).isEqualTo("/auth/external/" + provider.alias())
            .doesNotContain("access_token");
        Map<String, String> linked = through(new Browser(port, randomIp()), provider, subject,
                Map.of("email", "someone-else@example.org", "email_verified", false), authorizationUrl);

        assertThat(linked).containsEntry("linked", provider.alias()).doesNotContainKey("code");
        assertThat(list(owner, "/users/me/identities")).extracting(identity -> identity.get("subject"))
            .containsExactly(subject);
        Map<String, String> signedIn = signInThrough(provider, subject, Map.of());
        assertThat(accountIdOf((String) exchange(signedIn.get("code"), 200).get("access_token"))).isEqualTo(owner.id());
        // The ticket opens one browser's flow only.
        assertThat(new Browser(port, randomIp()).get(authorizationUrl).statusCode()).isEqualTo(400);
    }

    @Test
    void linkWhenTheSessionIsNotRecentThenReauthenticationRequired() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        TestUser owner = newVerifiedUser();
        clock.advance(Duration.ofMinutes(6));

        Map<String, Object> problem = post(owner, "/users/me/identities/" + provider.alias(),
                Map.of("return_to", spaReturn()), 401);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:reauthentication-required");
    }

    @Test
    void unlinkWhenItIsTheLastWayToSignInThen409AndWithAnotherWayThenRemoved() {
        TestUser admin = newAdmin();
        Provider first = oidcProvider(admin, false, false);
        Provider second = oidcProvider(admin, false, false);
        String email = uniqueEmail();
        TestUser user = tokensFor(signInThrough(first, "a-" + email, verified(email)).get("code"), email);
        long firstId = id(list(user, "/users/me/identities").getFirst());

        Map<String, Object> refused = delete(user, "/users/me/identities/" + firstId, 409);
        assertThat(refused).containsEntry("type", "urn:kapi:problem:last-sign-in-method");

        Map<String, Object> started = post(user, "/users/me/identities/" + second.alias(),
                Map.of("return_to", spaReturn()), 200);
        through(new Browser(port, randomIp()), second, "b-" + email, Map.of(),
                (String) started.get("authorization_url"));
        as(user.token()).delete().uri("/users/me/identities/" + firstId).exchange().expectStatus().isNoContent();

        assertThat(list(user, "/users/me/identities")).extracting(identity -> identity.get("alias"))
            .containsExactly(second.alias());
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE target_id = :id AND type = 'account-unlinked'")
            .param("id", user.id())
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void externalSignInWhenTheAccountHasTotpThenMfaRequiredAndTheCodeFinishes() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();
        TestUser user = tokensFor(signInThrough(provider, "totp-" + email, verified(email)).get("code"), email);
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", totp(secret, 0)), 200);

        Map<String, Object> answer = exchange(signInThrough(provider, "totp-" + email, verified(email)).get("code"),
                200);

        assertThat(answer).containsEntry("mfa_required", true).doesNotContainKey("access_token");
        clock.advance(Duration.ofSeconds(30));
        Map<String, Object> tokens = client().post()
            .uri("/auth/login/mfa")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("mfa_token", answer.get("mfa_token"), "code", totp(secret, 0)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(accountIdOf((String) tokens.get("access_token"))).isEqualTo(user.id());
        assertThat(get(again(user, (String) tokens.get("access_token")), "/users/me", 200).get("amr"))
            .isEqualTo(List.of("fed", "otp"));
    }

    @Test
    void externalSignInWhenTheProviderSaysMfaAndTheAdminTrustsItThenNoSecondStep() {
        Provider trusted = oidcProvider(newAdmin(), false, true);
        String email = uniqueEmail();
        TestUser user = tokensFor(signInThrough(trusted, "mfa-" + email, verified(email)).get("code"), email);
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", totp(secret, 0)), 200);
        Map<String, Object> claims = new HashMap<>(verified(email));
        claims.put("amr", List.of("pwd", "mfa"));

        Map<String, Object> answer = exchange(signInThrough(trusted, "mfa-" + email, claims).get("code"), 200);

        assertThat(answer).containsKey("access_token").doesNotContainKey("mfa_required");
    }

    @Test
    void callbackWhenAnotherBrowserOrUsedTwiceThenRefusedWithoutRedirect() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        Browser victim = new Browser(port, randomIp());
        ExternalProviderStub.useClock(clock);
        String authorize = Browser.location(victim.get("http://localhost:" + port + "/auth/external/" + provider.alias()
                + "?return_to=" + encode(spaReturn())))
            .orElseThrow();
        String callback = Browser
            .location(victim.post(authorize, ExternalProviderStub.loginForm("csrf", verified(uniqueEmail()))))
            .orElseThrow();

        Browser other = new Browser(port, randomIp());
        HttpResponse<String> elsewhere = other.get(callback);
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("external-state-invalid");
        assertThat(victim.get(callback).statusCode()).as("the state was used up").isEqualTo(400);
    }

    @Test
    void hostedSignInPageWhenAProviderIsEnabledThenItsButtonSignsInAndOpensTheSingleSignOnSession() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();
        Browser browser = new Browser(port, randomIp());
        String base = "http://localhost:" + port;

        HttpResponse<String> page = browser.get(base + "/login?return=" + encode("/oauth2/authorize?client_id=x"));
        java.util.regex.Matcher button = java.util.regex.Pattern
            .compile("data-provider=\"" + provider.alias() + "\" href=\"([^\"]+)\"")
            .matcher(page.body());
        assertThat(button.find()).as(page.body()).isTrue();
        String start = base + org.springframework.web.util.HtmlUtils.htmlUnescape(button.group(1));
        assertThat(page.body()).contains("Kurum " + provider.alias());

        ExternalProviderStub.useClock(clock);
        String authorize = Browser.location(browser.get(start)).orElseThrow();
        String callback = Browser
            .location(browser.post(authorize, ExternalProviderStub.loginForm("hosted-" + email, verified(email))))
            .orElseThrow();
        String back = Browser.location(browser.get(callback)).orElseThrow();
        assertThat(back).startsWith("/login/external?return=").contains("&code=");
        HttpResponse<String> signedIn = browser.get(base + back);

        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(Browser.location(signedIn)).contains("/oauth2/authorize?client_id=x");
        assertThat(signedIn.headers().allValues("Set-Cookie"))
            .anySatisfy(cookie -> assertThat(cookie).startsWith("kapi_sso="));
        assertThat(new Browser(port, randomIp()).get(base + back).statusCode())
            .as("the code was used, and is this browser's")
            .isEqualTo(400);
    }

    @Test
    void exchangeWhenTheStartSentAChallengeThenOnlyItsVerifierRedeemsTheCodeAndAnyOtherAnswerUsesItUp() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String subject = "pkce-" + UUID.randomUUID();
        Pkce pkce = Pkce.generate();

        // A code taken from the address bar, history or a Referer, without the app's
        // verifier: refused, and gone for the app too.
        String leaked = signInWithChallenge(provider, subject, pkce).get("code");
        Map<String, Object> withoutVerifier = exchange(Map.of("code", leaked), 400);
        assertThat(withoutVerifier).containsEntry("type", "urn:kapi:problem:external-code-invalid");
        assertThat(invalidFields(withoutVerifier)).containsExactly("code_verifier");
        assertThat(exchange(Map.of("code", leaked, "code_verifier", pkce.verifier()), 400)).containsEntry("type",
                "urn:kapi:problem:external-code-invalid");

        String guessed = signInWithChallenge(provider, subject, pkce).get("code");
        assertThat(exchange(Map.of("code", guessed, "code_verifier", Pkce.generate().verifier()), 400))
            .containsEntry("type", "urn:kapi:problem:external-code-invalid");
        assertThat(exchange(Map.of("code", guessed, "code_verifier", pkce.verifier()), 400))
            .as("a wrong verifier used the code up")
            .containsEntry("type", "urn:kapi:problem:external-code-invalid");
        assertThat(jdbc
            .sql("SELECT count(*) FROM audit_events WHERE type = 'external-sign-in-refused' " + "AND details = :detail")
            .param("detail", "alias=" + provider.alias() + ";reason=code-verifier-mismatch")
            .query(Long.class)
            .single()).isEqualTo(2);

        String right = signInWithChallenge(provider, subject, pkce).get("code");
        Map<String, Object> tokens = exchange(Map.of("code", right, "code_verifier", pkce.verifier()), 200);
        assertThat(tokens).containsKeys("access_token", "refresh_token");
        assertThat(get(new TestUser((String) tokens.get("access_token"), 0, null), "/users/me", 200))
            .containsEntry("email", subject + "@example.com");
    }

    @Test
    void exchangeWhenAVerifierComesForAFlowStartedWithoutAChallengeThenRefusedAndTheCodeUsedUp() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();
        String code = signInThrough(provider, "sub-" + email, verified(email)).get("code");

        Map<String, Object> problem = exchange(Map.of("code", code, "code_verifier", Pkce.generate().verifier()), 400);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:external-code-invalid");
        assertThat(invalidFields(problem)).containsExactly("code_verifier");
        assertThat(exchange(code, 400)).containsEntry("type", "urn:kapi:problem:external-code-invalid");
    }

    @Test
    void startWhenTheChallengeOrItsMethodIsMalformedThen400NamingTheFieldAndNothingStarted() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String spa = "return_to=" + encode(spaReturn());
        String challenge = Pkce.generate().challenge();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(spa + "&code_challenge=" + challenge.substring(1) + "&code_challenge_method=S256",
                "external-code-challenge-invalid");
        refused.put(spa + "&code_challenge=" + "a".repeat(129) + "&code_challenge_method=S256",
                "external-code-challenge-invalid");
        refused.put(spa + "&code_challenge=" + encode(challenge.substring(2) + "+/=") + "&code_challenge_method=S256",
                "external-code-challenge-invalid");
        refused.put(spa + "&code_challenge=" + challenge + "&code_challenge_method=plain",
                "external-code-challenge-method-invalid");
        refused.put(spa + "&code_challenge=" + challenge, "external-code-challenge-method-invalid");
        refused.put(spa + "&code_challenge_method=S256", "external-code-challenge-required");

        refused.forEach((query, code) -> {
            HttpResponse<String> answer = start(port, provider, query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.body()).as(query)
                .contains("urn:kapi:problem:" + code)
                .contains(code.contains("method") ? "\"code_challenge_method\"" : "\"code_challenge\"");
        });
        assertThat(jdbc
            .sql("SELECT count(*) FROM external_sign_in_states s JOIN identity_providers p "
                    + "ON p.id = s.provider_id WHERE p.alias = :alias")
            .param("alias", provider.alias())
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void startWhenPkceIsRequiredThenOnlyWithAChallengeOrFromTheHostedPageAndNoCodeWithoutOneIsExchanged()
            throws Exception {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();
        String issuedWithout = signInThrough(provider, "sub-" + email, verified(email)).get("code");
        try (SecondInstance required = anotherInstance().property("kapi.identity.external.require-pkce", true)
            .start()) {
            HttpResponse<String> without = start(required.port(), provider, "return_to=" + encode(spaReturn()));
            assertThat(without.statusCode()).isEqualTo(400);
            assertThat(without.body()).contains("urn:kapi:problem:external-code-challenge-required")
                .contains("\"code_challenge\"");
            assertThat(start(required.port(), provider, "return_to=" + encode("/login/external?return=/account"))
                .statusCode()).as("the hosted page's code is exchanged only in its own browser").isEqualTo(302);

            HttpClient http = HttpClient.newHttpClient();
            java.util.function.BiFunction<String, String, HttpResponse<String>> exchangeThere = (code, verifier) -> {
                String json = "{\"code\":\"" + code + "\""
                        + (verifier == null ? "" : ",\"code_verifier\":\"" + verifier + "\"") + "}";
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(required.baseUrl() + "/auth/external/exchange"))
                        .header("Content-Type", "application/json")
                        .header("X-Forwarded-For", randomIp())
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(), HttpResponse.BodyHandlers.ofString());
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            };
            HttpResponse<String> old = exchangeThere.apply(issuedWithout, null);
            assertThat(old.statusCode()).as("a code issued without a challenge").isEqualTo(400);
            assertThat(old.body()).contains("urn:kapi:problem:external-code-invalid");

            Pkce pkce = Pkce.generate();
            String code = through(new Browser(required.port(), randomIp()), provider, "req-" + email,
                    verified("req-" + email), required.baseUrl() + "/auth/external/" + provider.alias() + "?return_to="
                            + encode(spaReturn()) + pkce.query())
                .get("code");
            HttpResponse<String> signedIn = exchangeThere.apply(code, pkce.verifier());
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
            assertThat(signedIn.body()).contains("\"access_token\"");
        }
    }

    @Test
    void hostedSignInPageWhenItsCodeIsTakenFromTheAddressToTheApiThenRefused() {
        Provider provider = oidcProvider(newAdmin(), false, false);
        String email = uniqueEmail();
        Browser browser = new Browser(port, randomIp());
        ExternalProviderStub.useClock(clock);
        String authorize = Browser.location(browser.get("http://localhost:" + port + "/auth/external/"
                + provider.alias() + "?return_to=" + encode("/login/external?return=/account")))
            .orElseThrow();
        String callback = Browser
            .location(browser.post(authorize, ExternalProviderStub.loginForm("hosted-" + email, verified(email))))
            .orElseThrow();
        String back = Browser.location(browser.get(callback)).orElseThrow();
        String code = UriComponentsBuilder.fromUriString(back).build().getQueryParams().getFirst("code");

        assertThat(exchange(code, 400)).containsEntry("type", "urn:kapi:problem:external-code-invalid");
        assertThat(jdbc
            .sql("SELECT count(*) FROM accounts a JOIN sessions s ON s.account_id = a.id " + "WHERE a.email = :email")
            .param("email", email)
            .query(Long.class)
            .single()).as("no session was opened through the API").isZero();
    }

    @Test
    void startWhenReturnToIsAnotherOriginThenRefused() {
        Provider provider = oidcProvider(newAdmin(), false, false);

        HttpResponse<String> answer = new Browser(port, randomIp()).get("http://localhost:" + port + "/auth/external/"
                + provider.alias() + "?return_to=" + encode("https://evil.example/steal"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("external-return-to-invalid");
        assertThat(new Browser(port, randomIp())
            .get("http://localhost:" + port + "/auth/external/no-such?return_to=" + encode(spaReturn()))
            .statusCode()).isEqualTo(404);
    }

    @Test
    void gitHubWhenItsPrimaryAddressIsVerifiedThenSignUpThroughItsOAuthAndEmailsApi() {
        TestUser admin = newAdmin();
        String alias = "gh-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> created = post(admin, "/api/admin/identity-providers", Map.of("alias", alias, "preset",
                "github", "client_id", "gh-client-" + alias, "client_secret", "gh-secret"), 201);
        assertThat(created).containsEntry("type", "github")
            .containsEntry("display_name", "GitHub")
            .containsEntry("scopes", List.of("read:user", "user:email"));
        String email = uniqueEmail();
        String accessToken = "gho_" + alias;
        GITHUB.stubFor(WireMock.post(WireMock.urlPathEqualTo("/login/oauth/access_token"))
            .withRequestBody(WireMock.containing("client_id=gh-client-" + alias))
            .withRequestBody(WireMock.containing("code_verifier="))
            .willReturn(WireMock.okJson("{\"access_token\":\"" + accessToken
                    + "\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}")));
        GITHUB.stubFor(WireMock.get(WireMock.urlPathEqualTo("/user"))
            .withHeader("Authorization", WireMock.equalTo("Bearer " + accessToken))
            .willReturn(WireMock.okJson("{\"id\":4242" + Math.abs(alias.hashCode() % 1000)
                    + ",\"login\":\"octo\",\"name\":\"Octo Cat\"}")));
        GITHUB.stubFor(WireMock.get(WireMock.urlPathEqualTo("/user/emails"))
            .withHeader("Authorization", WireMock.equalTo("Bearer " + accessToken))
            .willReturn(WireMock.okJson("[{\"email\":\"old-" + email + "\",\"primary\":false,\"verified\":true},"
                    + "{\"email\":\"" + email + "\",\"primary\":true,\"verified\":true}]")));
        Browser browser = new Browser(port, randomIp());

        String authorize = Browser
            .location(browser
                .get("http://localhost:" + port + "/auth/external/" + alias + "?return_to=" + encode(spaReturn())))
            .orElseThrow();
        assertThat(authorize).startsWith(GITHUB.baseUrl() + "/login/oauth/authorize?")
            .contains("client_id=gh-client-" + alias)
            .contains("code_challenge=");
        String state = UriComponentsBuilder.fromUriString(authorize).build().getQueryParams().getFirst("state");
        HttpResponse<String> back = browser
            .get("http://localhost:" + port + "/auth/external/" + alias + "/callback?code=gh-code&state=" + state);

        String location = Browser.location(back).orElseThrow();
        String code = UriComponentsBuilder.fromUriString(location).build().getQueryParams().getFirst("code");
        TestUser user = tokensFor(code, email);
        assertThat(get(user, "/users/me", 200)).containsEntry("email", email);
        assertThat(URI.create(location).getHost()).isEqualTo(URI.create(SPA.origin()).getHost());
    }

    private Map<String, Object> delete(TestUser user, String path, int status) {
        return as(user.token()).delete()
            .uri(path)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private TestUser again(TestUser user, String token) {
        return new TestUser(token, user.id(), user.email());
    }

    private String totp(String secret, int offset) {
        return Totp.atStep(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30) + offset);
    }

}
