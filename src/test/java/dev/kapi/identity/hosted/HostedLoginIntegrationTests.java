package dev.kapi.identity.hosted;

import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted sign-in page over real HTTP with a browser that runs no script: single
 * sign-on through the {@code kapi_sso} cookie (and never an HTTP session), password then
 * second factor, lockout, CSRF, re-authentication in the same session, the policy
 * headers, and the cookie's death with its session.
 */
class HostedLoginIntegrationTests extends IntegrationTest {

    private static final String RETURN = "/oauth2/authorize?response_type=code&client_id=app&state=s1";

    @Autowired
    private JdbcClient jdbc;

    @Test
    void passwordSignInWhenRightThenSsoCookieAndOnToTheReturnAddress() {
        String email = registerUser();
        HostedBrowser browser = browser();

        HttpResponse<String> page = browser.get("/login?return=" + encode(RETURN));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\"").contains("name=\"password\"");
        HttpResponse<String> signedIn = browser.submit("/login", Map.of("username", email, "password", PASSWORD));

        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains(RETURN);
        String sso = signedIn.headers()
            .allValues("Set-Cookie")
            .stream()
            .filter(c -> c.startsWith("kapi_sso="))
            .findFirst()
            .orElseThrow();
        assertThat(sso).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        assertThat(sessionOf(browser)).isNotNull();
        // Signed in: the next client's sign-in goes straight on (single sign-on).
        HttpResponse<String> again = browser.get("/login?return=" + encode("/oauth2/authorize?client_id=other"));
        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(again.headers().firstValue("Location")).contains("/oauth2/authorize?client_id=other");
        assertThat(browser.setCookies()).noneMatch(c -> c.toUpperCase().startsWith("JSESSIONID"));
    }

    @Test
    void signInWhenReturnIsAnotherOriginThenOnlyTheNeutralSignedInPage() {
        String email = registerUser();
        for (String elsewhere : List.of("https://evil.example/steal", "//evil.example/steal", "/\\evil.example",
                "javascript:alert(1)")) {
            HostedBrowser browser = browser();
            browser.get("/login?return=" + encode(elsewhere));
            HttpResponse<String> signedIn = browser.submit("/login",
                    Map.of("username", email, "password", PASSWORD, "return", elsewhere));

            assertThat(signedIn.statusCode()).isEqualTo(303);
            assertThat(signedIn.headers().firstValue("Location")).contains("/login");
            HttpResponse<String> neutral = browser.get("/login");
            assertThat(neutral.statusCode()).isEqualTo(200);
            assertThat(neutral.body()).contains("data-signed-in").contains(email);
        }
    }

    @Test
    void wrongPasswordWhenRepeatedThenErrorOnThePageAndTheAccountLocks() {
        String email = registerUser();
        HostedBrowser browser = browser();
        browser.get("/login?return=" + encode(RETURN));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = browser.submit("/login", Map.of("username", email, "password", "wrong-9999"));
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("Yanlış email/şifre").doesNotContain("Exception");
            assertThat(browser.cookie("kapi_sso")).isEmpty();
        }

        HttpResponse<String> right = browser.submit("/login", Map.of("username", email, "password", PASSWORD));

        assertThat(right.statusCode()).isEqualTo(401);
        assertThat(right.body()).contains("Hesap kilitli");
        assertThat(browser.cookie("kapi_sso")).isEmpty();
        // The API's own sign-in counts the same lock.
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isUnauthorized();
    }

    @Test
    void signInWhenAccountHasTotpThenSecondStepBeforeTheCookie() {
        Enrolled user = enrolled();
        HostedBrowser browser = browser();
        browser.get("/login?return=" + encode(RETURN));

        HttpResponse<String> second = browser.submit("/login",
                Map.of("username", user.user().email(), "password", PASSWORD));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).contains("name=\"code\"").contains("name=\"mfa_token\"");
        assertThat(browser.cookie("kapi_sso")).isEmpty();
        HttpResponse<String> wrong = browser.submit("/login/mfa", Map.of("code", wrong(user.secret())));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("Kod yanlış").contains("name=\"mfa_token\"");
        HttpResponse<String> done = browser.submit("/login/mfa",
                Map.of("code", Totp.code(user.secret(), clock.instant(), 1)));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains(RETURN);
        assertThat(amrOf(browser)).isEqualTo("pwd otp");
    }

    @Test
    void signInWhenRecoveryCodeThenItCountsAsTheSecondStepOnce() {
        Enrolled user = enrolled();
        HostedBrowser browser = browser();
        browser.get("/login?return=" + encode(RETURN));
        browser.submit("/login", Map.of("username", user.user().email(), "password", PASSWORD));

        HttpResponse<String> done = browser.submit("/login/mfa", Map.of("recovery_code", user.recoveryCodes().get(0)));

        assertThat(done.statusCode()).isEqualTo(303);
        HostedBrowser other = browser();
        other.get("/login?return=" + encode(RETURN));
        other.submit("/login", Map.of("username", user.user().email(), "password", PASSWORD));
        HttpResponse<String> reused = other.submit("/login/mfa", Map.of("recovery_code", user.recoveryCodes().get(0)));
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(other.cookie("kapi_sso")).isEmpty();
    }

    @Test
    void postWhenCsrfFieldMissingOrForeignThenForbiddenPage() {
        String email = registerUser();
        HostedBrowser browser = browser();
        browser.get("/login");

        HttpResponse<String> missing = browser.post("/login", Map.of("username", email, "password", PASSWORD));
        HttpResponse<String> foreign = browser.post("/login",
                Map.of("username", email, "password", PASSWORD, "_csrf", "bm90LXRoZS10b2tlbg"));

        for (HttpResponse<String> refused : List.of(missing, foreign)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> type.startsWith("text/html"));
            assertThat(refused.body()).contains("Form süresi dolmuş");
            assertThat(refused.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        }
        assertThat(browser.cookie("kapi_sso")).isEmpty();
        HttpCookie csrf = browser.cookie("kapi_csrf").orElseThrow();
        assertThat(csrf.isHttpOnly()).isTrue();
        assertThat(browser.setCookies()).anyMatch(c -> c.startsWith("kapi_csrf=") && c.contains("SameSite=Strict"));
    }

    @Test
    void ssoCookieWhenItsSessionIsEndedThenDeadAtOnce() {
        TestUser user = newUser();
        HostedBrowser browser = signedInBrowser(user.email());
        UUID session = sessionOf(browser);
        assertThat(browser.get("/login?return=%2Fx").statusCode()).isEqualTo(303);

        as(user.token()).delete().uri("/users/me/sessions/" + session).exchange().expectStatus().is2xxSuccessful();

        HttpResponse<String> after = browser.get("/login?return=%2Fx");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("name=\"password\"");
    }

    @Test
    void ssoCookieWhenAdminDeactivatesOrOwnerFreezesThenDead() {
        TestUser admin = newAdmin();
        TestUser user = newUser();
        HostedBrowser browser = signedInBrowser(user.email());
        TestUser frozen = newUser();
        HostedBrowser frozenBrowser = signedInBrowser(frozen.email());

        as(admin.token()).put()
            .uri("/api/admin/users/" + publicIdOf(admin, user))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("isActive", false))
            .exchange()
            .expectStatus()
            .isOk();
        post(frozen, "/users/me/freeze", 200);

        assertThat(browser.get("/login?return=%2Fx").statusCode()).isEqualTo(200);
        assertThat(frozenBrowser.get("/login?return=%2Fx").statusCode()).isEqualTo(200);
    }

    @Test
    void reauthenticationWhenRightThenSameSessionWithANewAuthTime() {
        String email = registerUser();
        HostedBrowser browser = signedInBrowser(email);
        UUID session = sessionOf(browser);
        Instant before = authTimeOf(session);
        clock.advance(Duration.ofMinutes(10));

        HttpResponse<String> page = browser.get("/login?reauth=1&return=" + encode(RETURN));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(email).doesNotContain("name=\"username\"");
        HttpResponse<String> done = browser.submit("/login", Map.of("password", PASSWORD));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains(RETURN);
        assertThat(sessionOf(browser)).isEqualTo(session);
        assertThat(authTimeOf(session)).isAfter(before);
    }

    @Test
    void stepUpWhenAccountHasNoSecondFactorThenUnmetRequirementsPage() {
        HostedBrowser browser = signedInBrowser(registerUser());

        HttpResponse<String> page = browser.get("/login?reauth=1&stepup=mfa&return=" + encode(RETURN));

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("iki adımlı doğrulama istiyor");
    }

    @Test
    void stepUpWhenAccountHasTotpThenPasswordAndCodeProveTheSameSession() {
        Enrolled user = enrolled();
        HostedBrowser browser = browser();
        browser.get("/login");
        browser.submit("/login", Map.of("username", user.user().email(), "password", PASSWORD));
        browser.submit("/login/mfa", Map.of("code", Totp.code(user.secret(), clock.instant(), 1)));
        UUID session = sessionOf(browser);
        clock.advance(Duration.ofMinutes(2));

        browser.get("/login?reauth=1&stepup=mfa&return=" + encode(RETURN));
        HttpResponse<String> second = browser.submit("/login", Map.of("password", PASSWORD));
        assertThat(second.body()).contains("name=\"code\"");
        HttpResponse<String> done = browser.submit("/login/mfa",
                Map.of("code", Totp.code(user.secret(), clock.instant(), 1)));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(sessionOf(browser)).isEqualTo(session);
        assertThat(amrOf(browser)).isEqualTo("pwd otp");
    }

    @Test
    void pagesWhenShownThenStrictPolicyHeaders() {
        HttpResponse<String> page = browser().get("/login?return=" + encode(RETURN));

        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
    }

    @Test
    void pagesWhenLanguageAskedThenTurkishOrEnglish() {
        HttpResponse<String> turkish = browser().get("/login");
        HttpResponse<String> english = browser().speaking("en-GB,en;q=0.9").get("/login");
        HttpResponse<String> asked = browser().get(
                "/login?return=" + encode("/oauth2/authorize?client_id=app&ui_locales=en&login_hint=ayse@example.com"));

        assertThat(turkish.body()).contains("<html lang=\"tr\">").contains("Oturum aç").contains("Şifre");
        assertThat(english.body()).contains("<html lang=\"en\">").contains("Sign in").contains("Password");
        assertThat(asked.body()).contains("Sign in").contains("value=\"ayse@example.com\"");
    }

    @Test
    void emailCodeWhenRightThenSignedInWithAmrEmailAndSameAnswerForUnknownAddresses() {
        TestUser user = newVerifiedUser();
        HostedBrowser browser = browser();
        browser.get("/login/email?return=" + encode(RETURN));

        HttpResponse<String> sent = browser.submit("/login/email", Map.of("email", user.email()));
        HostedBrowser stranger = browser();
        stranger.get("/login/email");
        HttpResponse<String> unknown = stranger.submit("/login/email", Map.of("email", uniqueEmail()));
        assertThat(sent.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(200);
        assertThat(unknown.body()).contains("name=\"code\"");
        String code = codeIn(user.email());
        HttpResponse<String> done = browser.submit("/login/email/code", Map.of("code", code));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains(RETURN);
        assertThat(amrOf(browser)).isEqualTo("email");
    }

    // --- helpers ---

    private static String codeIn(String address) {
        for (int mails = 1;; mails++) {
            awaitMailTo(address, mails);
            for (var mail : mailsTo(address)) {
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(": (\\d{6})\\b")
                    .matcher(textOf(mail));
                if (textOf(mail).contains("magic-link") && matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
    }

    record Enrolled(TestUser user, String secret, List<String> recoveryCodes) {
    }

    @SuppressWarnings("unchecked")
    private Enrolled enrolled() {
        TestUser user = newUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        List<String> codes = (List<String>) post(user, "/users/me/mfa/totp/confirm",
                Map.of("code", Totp.code(secret, clock.instant(), 0)), 200)
            .get("recovery_codes");
        return new Enrolled(user, secret, codes);
    }

    private String wrong(String secret) {
        for (int candidate = 0;; candidate++) {
            String code = String.format("%06d", candidate);
            if (!code.equals(Totp.code(secret, clock.instant(), -1))
                    && !code.equals(Totp.code(secret, clock.instant(), 0))
                    && !code.equals(Totp.code(secret, clock.instant(), 1))) {
                return code;
            }
        }
    }

    private HostedBrowser browser() {
        return new HostedBrowser(port, randomIp());
    }

    private HostedBrowser signedInBrowser(String email) {
        HostedBrowser browser = browser();
        browser.get("/login");
        assertThat(browser.submit("/login", Map.of("username", email, "password", PASSWORD)).statusCode())
            .isEqualTo(303);
        return browser;
    }

    private UUID sessionOf(HostedBrowser browser) {
        byte[] hash = SsoCookie.hash(browser.cookie("kapi_sso").orElseThrow().getValue());
        return jdbc.sql("SELECT id FROM sessions WHERE sso_token_hash = :hash")
            .param("hash", hash)
            .query(UUID.class)
            .single();
    }

    private String amrOf(HostedBrowser browser) {
        return jdbc.sql("SELECT amr FROM sessions WHERE id = :id")
            .param("id", sessionOf(browser))
            .query(String.class)
            .single();
    }

    private Instant authTimeOf(UUID session) {
        return jdbc.sql("SELECT auth_time FROM sessions WHERE id = :id")
            .param("id", session)
            .query(java.time.OffsetDateTime.class)
            .single()
            .toInstant();
    }

    @SuppressWarnings("unchecked")
    private String publicIdOf(TestUser admin, TestUser user) {
        List<Map<String, Object>> found = (List<Map<String, Object>>) as(admin.token()).get()
            .uri("/api/admin/users?search=" + user.email())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("data");
        return (String) found.get(0).get("userId");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

}
