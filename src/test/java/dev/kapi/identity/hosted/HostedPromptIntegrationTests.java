package dev.kapi.identity.hosted;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.kapi.identity.token.SecretTokens;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client's authorization request asks of the hosted pages, from
 * {@code /oauth2/authorize} on: {@code prompt=consent} shows the consent page again
 * although the consent is remembered (and for a client that asks none), and
 * {@code login_hint} and {@code ui_locales} reach the sign-in page the request is sent
 * to.
 */
class HostedPromptIntegrationTests extends IntegrationTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @Test
    void promptConsentWhenTheConsentIsRememberedThenTheConsentPageIsShownAgain() throws Exception {
        // given: a user who consented once; the next authorization goes straight on
        String clientId = client(true);
        TestUser user = newUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String consent = signIn(browser, clientId, user, "");
        assertThat(consent).contains("/oauth2/consent?");
        assertThat(authorize(browser, clientId, "&prompt=none")).contains("error=consent_required");
        assertThat(approve(browser, consent)).startsWith(REDIRECT + "?code=");
        assertThat(authorize(browser, clientId, "")).startsWith(REDIRECT + "?code=");

        // when: the client asks with prompt=consent
        String again = authorize(browser, clientId, "&prompt=consent");

        // then: the consent page again, whose approval answers a code
        assertThat(again).contains("/oauth2/consent?");
        assertThat(browser.get(relative(again)).body()).contains("action=\"/oauth2/authorize\"");
        assertThat(approve(browser, again)).startsWith(REDIRECT + "?code=");
        // and: without it, still remembered
        assertThat(authorize(browser, clientId, "")).startsWith(REDIRECT + "?code=");
    }

    @Test
    void promptConsentWhenTheClientAsksNoConsentThenAskedAnywayAndNeverWithPromptNone() throws Exception {
        String clientId = client(false);
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        assertThat(signIn(browser, clientId, newUser(), "")).startsWith(REDIRECT + "?code=");

        assertThat(authorize(browser, clientId, "&prompt=consent")).contains("/oauth2/consent?");
        // (none with another value is an error: OpenID Connect Core 3.1.2.1)
        assertThat(authorize(browser, clientId, "&prompt=none%20consent")).startsWith(REDIRECT + "?")
            .contains("error=invalid_request");
    }

    @Test
    void loginHintAndUiLocalesOfTheAuthorizationRequestReachTheSignInPage() throws Exception {
        String clientId = client(false);
        String hint = "ayse.kaya@example.com";
        HostedBrowser browser = new HostedBrowser(port, randomIp());

        HttpResponse<String> toLogin = browser.get(request(clientId,
                "&login_hint=" + URLEncoder.encode(hint, StandardCharsets.UTF_8) + "&ui_locales=en-GB%20tr"));
        HttpResponse<String> page = browser.get(relative(toLogin.headers().firstValue("Location").orElseThrow()));

        // (the browser speaks Turkish: the client's ui_locales win)
        assertThat(page.body()).contains("<html lang=\"en\">")
            .contains("Sign in")
            .contains("value=\"" + hint + "\"")
            .contains("data-link=\"forgot-password\"");
        HttpResponse<String> turkish = browser.get(
                relative(
                        browser
                            .get(request(clientId,
                                    "&login_hint=" + URLEncoder.encode(hint, StandardCharsets.UTF_8)
                                            + "&ui_locales=tr"))
                            .headers()
                            .firstValue("Location")
                            .orElseThrow()));
        assertThat(turkish.body()).contains("<html lang=\"tr\">").contains("Oturum aç");
        // and: the email-code page of the same request is pre-filled too
        Matcher email = Pattern.compile("data-link=\"email-code\" href=\"([^\"]+)\"").matcher(page.body());
        assertThat(email.find()).isTrue();
        assertThat(browser.get(org.springframework.web.util.HtmlUtils.htmlUnescape(email.group(1))).body())
            .contains("value=\"" + hint + "\"");
    }

    private String client(boolean requireConsent) {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Prompt SPA");
        body.put("client_type", "public");
        body.put("grant_types", List.of("authorization_code"));
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", requireConsent);
        return (String) post(newAdmin(), "/api/admin/oauth-clients", body, 201).get("client_id");
    }

    private static String request(String clientId, String extra) throws Exception {
        String challenge = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(SecretTokens.generate().getBytes(StandardCharsets.US_ASCII)));
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid%20profile%20email&state="
                + SecretTokens.generate() + "&code_challenge=" + challenge + "&code_challenge_method=S256"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + extra;
    }

    /** Where the provider sends a browser that asks. */
    private String authorize(HostedBrowser browser, String clientId, String extra) throws Exception {
        HttpResponse<String> answer = browser.get(request(clientId, extra));
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer.headers().firstValue("Location").orElseThrow();
    }

    /** Signs in with the password from the authorization; where the browser goes next. */
    private String signIn(HostedBrowser browser, String clientId, TestUser user, String extra) throws Exception {
        String login = authorize(browser, clientId, extra);
        assertThat(login).contains("/login?return=");
        browser.get(relative(login));
        HttpResponse<String> signedIn = browser.submit("/login",
                Map.of("username", user.email(), "password", PASSWORD));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        HttpResponse<String> back = browser.get(relative(signedIn.headers().firstValue("Location").orElseThrow()));
        return back.headers().firstValue("Location").orElseThrow();
    }

    /** Approves every scope on the consent page; where the browser goes next. */
    private String approve(HostedBrowser browser, String consentPage) {
        String page = browser.get(relative(consentPage)).body();
        Matcher scopes = Pattern.compile("<input[^>]*type=\"checkbox\"[^>]*name=\"scope\"[^>]*value=\"([^\"]+)\"")
            .matcher(page);
        List<String> scope = new java.util.ArrayList<>();
        Optional.ofNullable(browser.hidden().get("scope")).ifPresent(scope::add);
        while (scopes.find()) {
            scope.add(scopes.group(1));
        }
        HttpResponse<String> answer = browser.submitEach("/oauth2/authorize", "scope", scope);
        return answer.headers().firstValue("Location").orElseThrow();
    }

    private static String relative(String location) {
        URI uri = URI.create(location);
        return uri.getScheme() == null ? location
                : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

}
