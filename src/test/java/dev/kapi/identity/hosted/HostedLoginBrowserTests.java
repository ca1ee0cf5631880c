package dev.kapi.identity.hosted;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.kapi.support.Chromium;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted sign-in page in Debian's headless Chromium: password, then the TOTP code,
 * then on to the return address with the single sign-on cookie set, under the page's own
 * Content-Security-Policy (a violation would show in the console). Screenshots go to
 * {@code target/screenshots}.
 */
class HostedLoginBrowserTests extends IntegrationTest {

    private static Chromium chromium;

    private static ChromeDriver browser;

    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.start("tr-TR", 1000, 900);
        browser = chromium.driver();
        wait = chromium.waiting();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void signInWhenPasswordThenTotpThenSsoCookieAndOnToTheReturnAddress() {
        // given: an account with TOTP on, and a browser of its own address
        chromium.comeFrom(randomIp());
        TestUser user = newUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", Totp.code(secret, clock.instant(), 0)), 200);
        String base = "http://localhost:" + port;

        // when: the password, then the code
        // (ui_locales as a client would send it: headless Chromium asks for English)
        browser.get(base + "/login?return=%2F.well-known%2Fjwks.json%3Fui_locales%3Dtr");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Oturum aç");
        browser.findElement(By.id("username")).sendKeys(user.email());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        chromium.screenshot("hosted-login");
        browser.findElement(By.cssSelector("form[data-form=password] button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("code")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("İkinci adım");
        browser.findElement(By.id("code")).sendKeys(Totp.code(secret, clock.instant(), 1));
        chromium.screenshot("hosted-login-totp");
        chromium.assertNoConsoleErrors();
        browser.findElement(By.cssSelector("form[data-form=second-factor] button[type=submit]")).click();

        // then: on at the return address, with the cookie the next sign-in skips the form
        wait.until(ExpectedConditions.urlToBe(base + "/.well-known/jwks.json?ui_locales=tr"));
        Cookie sso = browser.manage().getCookieNamed("kapi_sso");
        assertThat(sso).isNotNull();
        assertThat(sso.isHttpOnly()).isTrue();
        assertThat(sso.getSameSite()).isEqualTo("Lax");
        assertThat(browser.manage().getCookieNamed("JSESSIONID")).isNull();
        // (what the return address, a JSON document, logged is not the hosted pages')
        chromium.forgetConsole();
        browser.get(base + "/login");
        assertThat(browser.findElement(By.cssSelector("[data-signed-in]")).getText()).contains(user.email());
        chromium.assertNoConsoleErrors();
    }

}
