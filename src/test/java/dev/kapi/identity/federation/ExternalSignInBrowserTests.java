package dev.kapi.identity.federation;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.kapi.support.Chromium;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted sign-in page's provider button in headless Chromium: the page, the provider
 * (mock-oauth2-server on loopback), the callback, and back at the return address with the
 * single sign-on cookie, the account made from the provider's verified address.
 */
class ExternalSignInBrowserTests extends IntegrationTest {

    private static Chromium chromium;

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
    void providerButtonWhenClickedThenSignedUpThroughTheProviderAndOnToTheReturnAddress() {
        // given: a provider, and a browser of its own address
        String alias = "web-" + UUID.randomUUID().toString().substring(0, 8);
        post(newAdmin(), "/api/admin/identity-providers",
                Map.of("alias", alias, "type", "oidc", "display_name", "Kurumsal Giriş", "issuer_uri",
                        ExternalProviderStub.issuer(ExternalProviderStub.BROWSER_ISSUER), "client_id",
                        ExternalProviderStub.BROWSER_CLIENT, "client_secret", "browser-secret"),
                201);
        ExternalProviderStub.useClock(clock);
        chromium.comeFrom(randomIp());
        // (the instance whose public address is its own: the provider sends the browser
        // back there)
        String base = providerAtItsAddress().baseUrl();

        // when: the button on the hosted sign-in page
        chromium.driver().get(base + "/login?return=%2F.well-known%2Fjwks.json");
        By button = By.cssSelector("a[data-provider='" + alias + "']");
        assertThat(chromium.driver().findElement(button).getText()).contains("Kurumsal Giriş");
        chromium.screenshot("hosted-login-external");
        chromium.driver().findElement(button).click();

        // then: on at the return address, signed in with the single sign-on cookie
        chromium.waiting().until(ExpectedConditions.urlToBe(base + "/.well-known/jwks.json"));
        Cookie sso = chromium.driver().manage().getCookieNamed("kapi_sso");
        assertThat(sso).isNotNull();
        assertThat(sso.isHttpOnly()).isTrue();
        chromium.driver().get(base + "/login");
        assertThat(chromium.driver().findElement(By.cssSelector("[data-signed-in]")).getText())
            .contains(ExternalProviderStub.BROWSER_EMAIL);
    }

}
