package dev.kapi.identity.provider.rp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

import tools.jackson.databind.json.JsonMapper;

import dev.kapi.support.Chromium;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means of issue 29, from the other side: a second Spring Boot application (the
 * {@link RelyingParty}, Spring Security's {@code oauth2Login} against Kapı discovered
 * from its issuer) signs a user in through Kapı's hosted pages in Chromium, password then
 * TOTP, reads {@code /userinfo}, refreshes, and logs out, both RP-initiated and by
 * back-channel when the Kapı session ends.
 */
class RelyingPartyBrowserTests extends IntegrationTest {

    /** The consent page's button that grants what the client asked. */
    private static final String APPROVE = "form[action$='/oauth2/authorize'] button[type=submit]:not([name=deny]):not([value=deny])";

    private static Chromium chromium;

    private final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    private ApplicationContext kapi;

    private RelyingParty.Running rp;

    /** Kapı at its public URL: the issuer the relying party discovers. */
    private String kapiBase;

    private TestUser user;

    private String secret;

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

    @BeforeEach
    void registerTheClientStartTheRelyingPartyAndEnrolAUser() {
        // Kapı's clock stands where the tests left it; the relying party checks ID
        // tokens by it, but the browser keeps cookies and the back-channel logout
        // token's expiry is checked by the real time: so Kapı's clock is not behind.
        Duration behind = Duration.between(clock.instant(), Instant.now());
        if (behind.isPositive()) {
            clock.advance(behind);
        }
        int rpPort = freePort();
        String rpBase = "http://localhost:" + rpPort;
        Map<String, Object> client = post(newAdmin(), "/api/admin/oauth-clients",
                Map.of("client_name", "Relying party", "client_type", "confidential", "redirect_uris",
                        List.of(rpBase + "/login/oauth2/code/" + RelyingParty.REGISTRATION),
                        "post_logout_redirect_uris", List.of(rpBase + "/logged-out"), "grant_types",
                        List.of("authorization_code", "refresh_token"), "scopes",
                        List.of("openid", "profile", "email", "offline_access"), "require_consent", true,
                        "backchannel_logout_uri", rpBase + "/logout/connect/back-channel/" + RelyingParty.REGISTRATION),
                201);
        assertThat((String) client.get("client_secret")).isNotBlank();
        kapiBase = providerAtItsAddress().baseUrl();
        rp = RelyingParty.start(rpPort, kapiBase, (String) client.get("client_id"),
                (String) client.get("client_secret"), clock);
        user = newUser();
        secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", Totp.code(secret, clock.instant(), 0)), 200);
        // the confirming code is spent; the sign-in uses the next step's
        clock.advance(Duration.ofSeconds(30));
        chromium.forgetCookies();
        chromium.comeFrom(randomIp());
    }

    @AfterEach
    void stopTheRelyingParty() {
        if (rp != null) {
            rp.close();
        }
    }

    @Test
    void kapiContextWhenTheTestsRunThenItRegistersNoOAuthClientOfItsOwn() {
        assertThat(kapi.getBeanNamesForType(ClientRegistrationRepository.class)).isEmpty();
        assertThat(rp.context().getBeanNamesForType(ClientRegistrationRepository.class)).hasSize(1);
    }

    @Test
    void signInWithPasswordAndTotpThenUserinfoRefreshAndRpInitiatedLogoutEndsTheKapiSession() {
        // when: the relying party sends the browser to Kapı, which asks for the
        // password, the authenticator code and consent
        Map<String, Object> claims = signInThroughKapi();

        // then: the ID token names the account, the Kapı session and both factors
        assertThat(claims).containsEntry("sub", Long.toString(user.id()))
            .containsEntry("acr", "urn:kapi:acr:mfa")
            .containsEntry("email", user.email())
            .containsKeys("sid", "auth_time", "iss", "aud", "nonce");
        assertThat(claims.get("amr")).isEqualTo(List.of("pwd", "otp"));
        String sid = (String) claims.get("sid");
        assertThat(liveSessionIds()).contains(sid);
        chromium.screenshot("relying-party-claims");

        // and: /userinfo answers for the same account with the access token
        Map<String, Object> userinfo = pre("/userinfo", "userinfo");
        assertThat(userinfo).containsEntry("status", 200);
        Map<String, Object> info = json.readValue((String) userinfo.get("body"), JSON_OBJECT_TYPE);
        assertThat(info).containsEntry("sub", Long.toString(user.id())).containsEntry("email", user.email());

        // and: a refresh answers a new access token (and a rotated refresh token)
        // bound to the same session, which /userinfo accepts
        Map<String, Object> refreshed = pre("/refresh", "refresh");
        assertThat(refreshed).containsEntry("access_token_changed", true).containsEntry("refresh_token_changed", true);
        assertThat(asMap(refreshed.get("access_token_after"))).containsEntry("sid", sid)
            .containsEntry("sub", Long.toString(user.id()));
        assertThat(asMap(refreshed.get("userinfo_after"))).containsEntry("status", 200);

        // when: the user signs out at the relying party
        chromium.driver().get(rp.baseUrl() + "/");
        one("#logout").click();

        // then: Kapı ends its session and sends the browser back to the registered
        // page
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("logged-out")));
        assertThat(chromium.driver().getCurrentUrl()).startsWith(rp.baseUrl() + "/logged-out");
        assertThat(liveSessionIds()).doesNotContain(sid);
        // and: the relying party must send the browser through Kapı's sign-in again
        chromium.driver().get(rp.baseUrl() + "/");
        waitForKapiLogin();
    }

    @Test
    void backChannelLogoutWhenTheKapiSessionIsEndedThroughItsApiThenTheRelyingPartySessionDies() {
        // given
        Map<String, Object> claims = signInThroughKapi();
        String sid = (String) claims.get("sid");

        // when: the user ends that session from another device, through Kapı's API
        as(user.token()).delete().uri("/users/me/sessions/{id}", sid).exchange().expectStatus().isNoContent();

        // then: Kapı posts a logout token to the relying party, which ends its own
        // session: its page sends the browser to Kapı's sign-in again
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> {
                // the tests run the delivery rounds (the worker is off in tests), on the
                // instance whose issuer the relying party trusts
                providerAtItsAddress().getBean(dev.kapi.identity.provider.logout.LogoutDelivery.class).deliverDue();
                chromium.driver().get(rp.baseUrl() + "/");
                return !chromium.driver().getCurrentUrl().startsWith(rp.baseUrl());
            });
        waitForKapiLogin();
        chromium.screenshot("relying-party-after-back-channel-logout");
    }

    /**
     * Visits the relying party, signs in at Kapı with the password and the
     * authenticator's code, consents, and answers the claims the relying party shows.
     */
    private Map<String, Object> signInThroughKapi() {
        chromium.driver().get(rp.baseUrl() + "/");
        waitForKapiLogin();
        one("input[name=username]").sendKeys(user.email());
        one("input[name=password]").sendKeys(PASSWORD);
        one("input[name=password]").submit();
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=code]")));
        chromium.screenshot("kapi-second-factor");
        one("input[name=code]").sendKeys(Totp.code(secret, clock.instant(), 0));
        one("input[name=code]").submit();
        chromium.waiting()
            .until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("claims")),
                    ExpectedConditions.presenceOfElementLocated(By.cssSelector(APPROVE))));
        if (chromium.driver().findElements(By.id("claims")).isEmpty()) {
            chromium.screenshot("kapi-consent");
            one(APPROVE).click();
            chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("claims")));
        }
        assertThat(chromium.driver().getCurrentUrl()).startsWith(rp.baseUrl());
        return json.readValue(one("#claims").getText(), JSON_OBJECT_TYPE);
    }

    private void waitForKapiLogin() {
        chromium.waiting().until(ExpectedConditions.urlContains(kapiBase + "/login"));
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=password]")));
    }

    private Map<String, Object> pre(String path, String id) {
        chromium.driver().get(rp.baseUrl() + path);
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        return json.readValue(one("#" + id).getText(), JSON_OBJECT_TYPE);
    }

    @SuppressWarnings("unchecked")
    private List<String> liveSessionIds() {
        return ((List<Map<String, Object>>) get(user, "/users/me/sessions", 200).get("sessions")).stream()
            .map(session -> (String) session.get("id"))
            .toList();
    }

    private WebElement one(String css) {
        return chromium.driver().findElement(By.cssSelector(css));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static final tools.jackson.core.type.TypeReference<Map<String, Object>> JSON_OBJECT_TYPE = new tools.jackson.core.type.TypeReference<>() {
    };

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
