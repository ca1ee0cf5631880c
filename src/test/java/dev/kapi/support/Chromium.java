package dev.kapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its ChromeDriver, set up as
 * {@code AdminConsoleBrowserTests} sets it up, for browser tests that visit more than one
 * origin (Kapı's hosted pages, a relying party, a single-page app).
 */
public final class Chromium implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;

    private final WebDriverWait wait;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        this.wait.withMessage(this::describe);
    }

    /** Where the browser is and what the page says, for a failed wait's message. */
    public String describe() {
        String text = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
        return "at " + driver.getCurrentUrl() + ": " + (text.length() > 800 ? text.substring(0, 800) + "…" : text);
    }

    /** A new browser with an empty profile, English pages first. */
    public static Chromium start() {
        try {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,900", "--lang=en-US",
                    "--user-data-dir=" + Files.createTempDirectory("kapi-chromium"));
            // the console's messages, for tests that assert no script error or CSP
            // violation
            org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
            logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
            Files.createDirectories(SCREENSHOTS);
            return new Chromium(new ChromeDriver(service, options));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public WebDriverWait waiting() {
        return wait;
    }

    /**
     * Every request of this browser from now on comes from {@code ip} (loopback is a
     * trusted proxy in tests), so that each test has the rate limits of a client of its
     * own.
     */
    public void comeFrom(String ip) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("X-Forwarded-For", ip)));
    }

    /** Forgets every cookie of every origin, as a new browser would. */
    public void forgetCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    /** Saves a screenshot of the current page under {@code target/screenshots}. */
    public void screenshot(String name) {
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

}
