package dev.kapi.identity.hosted;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

import dev.kapi.identity.token.SecretTokens;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration and forgot-password as hosted pages linked from {@code /login}, with a
 * browser that runs no script: a new account is made by the rules of
 * {@code POST /auth/register} (breached and short passwords refused, a taken address
 * refused) and goes on to the pending authorization signed in; closed registration closes
 * the page and the route alike; forgot-password mails the same reset link as
 * {@code POST /auth/forgot-password} and says the same whether or not the address has an
 * account.
 */
class HostedAccountPagesIntegrationTests extends IntegrationTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @Autowired
    private JdbcClient jdbc;

    @Test
    void registerFromTheSignInPageThenSignedInAndOnToThePendingAuthorization() throws Exception {
        // given: a client's authorization request sends the browser to the sign-in page
        String clientId = publicClient();
        String state = SecretTokens.generate();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        HttpResponse<String> toLogin = browser.get(authorizeRequest(clientId, state));
        String loginPage = relative(toLogin.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> login = browser.get(loginPage);

        // when: its "Create an account" link, then the form
        String register = link(login.body(), "register");
        assertThat(register).startsWith("/login/register?");
        HttpResponse<String> form = browser.get(register);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("data-form=\"register\"");
        String email = uniqueEmail();
        HttpResponse<String> registered = browser.submit("/login/register",
                Map.of("full_name", "Ayşe Kaya", "email", email, "password", PASSWORD));

        // then: signed in with the new account and on to the authorization, which
        // answers the client with a code
        assertThat(registered.statusCode()).isEqualTo(303);
        assertThat(browser.cookie("kapi_sso")).isPresent();
        HttpResponse<String> authorized = browser
            .get(relative(registered.headers().firstValue("Location").orElseThrow()));
        assertThat(authorized.statusCode()).isEqualTo(302);
        String location = authorized.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        assertThat(UriComponentsBuilder.fromUriString(location).build().getQueryParams().get("state"))
            .containsExactly(state);
        // and: the account is an ordinary self-registered one, with its verification mail
        assertThat(jdbc
            .sql("SELECT t.name FROM accounts a JOIN user_types t ON t.id = a.user_type_id WHERE a.email = :email")
            .param("email", email)
            .query(String.class)
            .single()).isEqualTo("user");
        MimeMessage mail = awaitMailTo(email, 1);
        assertThat(textOf(mail)).contains("Ayşe Kaya").contains("?token=");
    }

    @Test
    void registerWhenThePasswordIsBreachedOrShortOrTheAddressTakenThenTheFormSaysWhyAndNoAccount() {
        HostedBrowser browser = new HostedBrowser(port, randomIp()).speaking("en");
        browser.get("/login/register?lang=en");
        String email = uniqueEmail();

        // a password from a breach list (as POST /auth/register refuses it)
        HttpResponse<String> breached = browser.submit("/login/register",
                Map.of("full_name", "Jane Doe", "email", email, "password", "password123"));
        assertThat(breached.statusCode()).isEqualTo(400);
        assertThat(HtmlUtils.htmlUnescape(breached.body())).contains("Password: ");
        assertThat(breached.body()).contains("value=\"" + email + "\"").doesNotContain("password123");
        // too short, and no name
        HttpResponse<String> shortOne = browser.submit("/login/register",
                Map.of("full_name", "", "email", email, "password", "x1"));
        assertThat(shortOne.statusCode()).isEqualTo(400);
        assertThat(HtmlUtils.htmlUnescape(shortOne.body())).contains("Full name: ").contains("Password: ");
        assertThat(jdbc.sql("SELECT count(*) FROM accounts WHERE email = :email")
            .param("email", email)
            .query(Long.class)
            .single()).isZero();

        // an address that already has an account: 409, as the API answers
        String taken = registerUser();
        HttpResponse<String> again = browser.submit("/login/register",
                Map.of("full_name", "Jane Doe", "email", taken, "password", PASSWORD));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("Email is already registered");
        assertThat(browser.cookie("kapi_sso")).isEmpty();

        // and: the same rules answer the API's route
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", "password123", "full_name", "Jane Doe"))
            .exchange()
            .expectStatus()
            .isBadRequest();
    }

    @Test
    void registrationWhenClosedThenNeitherThePageNorTheRouteNorTheLinkAndSignInStillWorks() throws Exception {
        try (SecondInstance closed = anotherInstance().property("kapi.identity.registration.open", false).start()) {
            String email = uniqueEmail();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(closed.baseUrl() + "/auth/register"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", randomIp())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"full_name\":\"Jane Doe\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(403);
            assertThat(api.body()).contains("sign-up-closed");

            HostedBrowser browser = new HostedBrowser(closed.port(), randomIp());
            HttpResponse<String> login = browser.get("/login");
            assertThat(login.body()).doesNotContain("data-link=\"register\"").contains("data-link=\"forgot-password\"");
            assertThat(browser.get("/login/register").statusCode()).isEqualTo(403);
            HttpResponse<String> posted = browser.submit("/login/register",
                    Map.of("full_name", "Jane Doe", "email", email, "password", PASSWORD));
            assertThat(posted.statusCode()).isEqualTo(403);
            assertThat(jdbc.sql("SELECT count(*) FROM accounts WHERE email = :email")
                .param("email", email)
                .query(Long.class)
                .single()).isZero();
        }
    }

    @Test
    void forgotPasswordThenTheSameResetMailAsTheApiAndTheSamePageForAnUnknownAddress() throws Exception {
        // given: the link on the sign-in page of a pending authorization
        String known = registerUser();
        awaitMailTo(known, 1);
        String returnPath = "/oauth2/authorize?client_id=x&ui_locales=en";
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        HttpResponse<String> login = browser
            .get("/login?return=" + URLEncoder.encode(returnPath, StandardCharsets.UTF_8));
        String forgot = link(login.body(), "forgot-password");
        assertThat(forgot).startsWith("/login/forgot-password?");
        browser.get(forgot);

        // when: an address with an account, and one without
        HttpResponse<String> sent = browser.submit("/login/forgot-password", Map.of("email", known));
        HostedBrowser other = new HostedBrowser(port, randomIp());
        other.get(forgot);
        String unknown = uniqueEmail();
        HttpResponse<String> unknownSent = other.submit("/login/forgot-password", Map.of("email", unknown));

        // then: the same page for both (but the address), in the client's language
        assertThat(sent.statusCode()).isEqualTo(200).isEqualTo(unknownSent.statusCode());
        assertThat(sent.body()).contains("data-sent").contains("If an account exists for");
        assertThat(sent.body().replace(known, "ADDRESS").replaceAll("value=\"[^\"]*\"", ""))
            .isEqualTo(unknownSent.body().replace(unknown, "ADDRESS").replaceAll("value=\"[^\"]*\"", ""));
        // and: the reset mail of POST /auth/forgot-password, whose token sets a new
        // password
        String token = tokenIn(awaitMailTo(known, 2));
        client().post()
            .uri("/auth/forgot-password/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", token, "new_password", "a-whole-new-password"))
            .exchange()
            .expectStatus()
            .isOk();
        assertThat(mailsTo(unknown)).isEmpty();
        // and: back to the sign-in of the same pending authorization
        assertThat(HtmlUtils.htmlUnescape(link(sent.body(), "sign-in")))
            .contains("return=" + URLEncoder.encode(returnPath, StandardCharsets.UTF_8));
        // a malformed address is told, and nothing is sent
        browser.get(forgot);
        assertThat(browser.submit("/login/forgot-password", Map.of("email", "not-an-address")).statusCode())
            .isEqualTo(400);
    }

    /** The path of a link on a page, by its {@code data-link}. */
    private static String link(String page, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern
            .compile("data-link=\"" + name + "\" href=\"([^\"]+)\"")
            .matcher(page);
        assertThat(matcher.find()).as("link " + name).isTrue();
        return HtmlUtils.htmlUnescape(matcher.group(1));
    }

    private String publicClient() {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Sign-up SPA");
        body.put("client_type", "public");
        body.put("grant_types", List.of("authorization_code"));
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("scopes", List.of("openid", "email"));
        body.put("require_consent", false);
        return (String) post(newAdmin(), "/api/admin/oauth-clients", body, 201).get("client_id");
    }

    private static String authorizeRequest(String clientId, String state) throws Exception {
        String challenge = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(SecretTokens.generate().getBytes(StandardCharsets.US_ASCII)));
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid%20email&state=" + state
                + "&code_challenge=" + challenge + "&code_challenge_method=S256&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }

    private static String relative(String location) {
        URI uri = URI.create(location);
        return uri.getScheme() == null ? location
                : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

}
