package dev.kapi.identity.hosted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static ChromeDriver browser;

    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1000,900", "--lang=tr-TR",
                "--user-data-dir=" + Files.createTempDirectory("kapi-chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void signInWhenPasswordThenTotpThenSsoCookieAndOnToTheReturnAddress() {
        // given: an account with TOTP on, and a browser of its own address
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("X-Forwarded-For", randomIp())));
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
        screenshot("hosted-login");
        browser.findElement(By.cssSelector("form[data-form=password] button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("code")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("İkinci adım");
        browser.findElement(By.id("code")).sendKeys(Totp.code(secret, clock.instant(), 1));
        screenshot("hosted-login-totp");
        browser.findElement(By.cssSelector("form[data-form=second-factor] button[type=submit]")).click();

        // then: on at the return address, with the cookie the next sign-in skips the form
        wait.until(ExpectedConditions.urlToBe(base + "/.well-known/jwks.json?ui_locales=tr"));
        Cookie sso = browser.manage().getCookieNamed("kapi_sso");
        assertThat(sso).isNotNull();
        assertThat(sso.isHttpOnly()).isTrue();
        assertThat(sso.getSameSite()).isEqualTo("Lax");
        assertThat(browser.manage().getCookieNamed("JSESSIONID")).isNull();
        browser.get(base + "/login");
        assertThat(browser.findElement(By.cssSelector("[data-signed-in]")).getText()).contains(user.email());
        assertNoBrowserErrors();
    }

    private void screenshot(String name) {
        try {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Script errors and Content-Security-Policy violations show up as SEVERE. */
    private static void assertNoBrowserErrors() {
        List<LogEntry> severe = browser.manage()
            .logs()
            .get(LogType.BROWSER)
            .getAll()
            .stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
        assertThat(severe).isEmpty();
    }

}
