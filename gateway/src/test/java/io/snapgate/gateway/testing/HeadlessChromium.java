package io.snapgate.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Chromium for a test class, Debian's {@code chromium} driven through Debian's {@code chromedriver}
 * (both named by path, so Selenium Manager never runs and nothing is downloaded); the class's tests are skipped
 * when either is missing. On a failed test, a screenshot of each of {@code pages} goes under
 * target/screenshots/.
 */
public final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Selenium looks for a DevTools (CDP) binding of the browser's version at start, and warns; the tests use none. */
    private static final Logger CDP_VERSIONS = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private final List<String> pages;
    private ChromeDriver driver;

    /** pages: URL fragments ({@code #call}) to screenshot on failure, against the page the test has open. */
    public HeadlessChromium(List<String> pages) {
        this.pages = List.copyOf(pages);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Debian's chromium and"
                + " chromium-driver are not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "), so the browser tests"
                + " are skipped: scripts/ensure-deps.sh --test installs them");
        CDP_VERSIONS.setLevel(Level.SEVERE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,1000", "--no-first-run", "--disable-extensions",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-default-apps");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The browser console's entries since the last read. */
    public List<LogEntry> log() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        Path dir = Path.of("target", "screenshots");
        String base = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(dir);
            screenshot(dir.resolve(base + "-as-failed.png"));
            String page = driver.getCurrentUrl().replaceAll("#.*", "");
            for (String fragment : pages) {
                driver.get(page + fragment);
                screenshot(dir.resolve(base + "-" + fragment.substring(1) + ".png"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("saving screenshots of " + base, e);
        } catch (RuntimeException e) {
            cause.addSuppressed(e); // a browser gone bad: the test's own failure is what matters
        }
    }

    private void screenshot(Path file) throws IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
