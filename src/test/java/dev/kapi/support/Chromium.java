package dev.kapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium (installed by {@code src/test/browser/install-chromium.sh})
 * driven through its ChromeDriver: the one set-up of every browser test, with its
 * screenshots under {@code target/screenshots} and its console's messages, for the tests
 * that assert no script error or Content-Security-Policy violation.
 */
public final class Chromium implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;

    private final WebDriverWait wait;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        this.wait.withMessage(this::describe);
        // a page that re-renders (a list refreshed after an action) replaces the elements
        // a condition was reading: read them again rather than fail
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    /** Where the browser is and what the page says, for a failed wait's message. */
    public String describe() {
        String text = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
        return "at " + driver.getCurrentUrl() + ": " + (text.length() > 800 ? text.substring(0, 800) + "…" : text);
    }

    /** A new browser with an empty profile, English pages first, 1280×900. */
    public static Chromium start() {
        return start("en-US", 1280, 900);
    }

    /**
     * A new browser with an empty profile, asking for pages in {@code language} first
     * (e.g. tr-TR), its window {@code width}×{@code height}.
     */
    public static Chromium start(String language, int width, int height) {
        try {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=" + width + "," + height, "--lang=" + language,
                    "--user-data-dir=" + Files.createTempDirectory("kapi-chromium"));
            // the console's messages, for tests that assert no script error or CSP
            // violation
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
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

    /**
     * Reads and drops what the console holds so far (what earlier steps or tests left in
     * it is theirs).
     */
    public void forgetConsole() {
        driver.manage().logs().get(LogType.BROWSER);
    }

    /**
     * Asserts that the console has had no script error or Content-Security-Policy
     * violation (they show up as SEVERE) since it was last read.
     */
    public void assertNoConsoleErrors() {
        List<String> severe = driver.manage()
            .logs()
            .get(LogType.BROWSER)
            .getAll()
            .stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
        assertThat(severe).isEmpty();
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
