package dev.speck.testing;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's real headless Chromium for browser tests, driven by its own chromedriver: never a
 * browser that Selenium would download. The flags keep it off this machine's closed network.
 */
public final class Chromium {

    private static final File BINARY = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * @param profile     a fresh folder for the browser's profile
     * @param environment for the driver and the browser, e.g. TZ
     * @param tune        test-specific options (window size, logging, prompt behaviour)
     */
    public static ChromeDriver start(Path profile, Map<String, String> environment, Consumer<ChromeOptions> tune) {
        if (!BINARY.canExecute() || !DRIVER.canExecute()) {
            fail("this test needs Chromium at " + BINARY + " and its driver at " + DRIVER
                    + " (Debian packages chromium and chromium-driver; CI installs them)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER)
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(120)) // a busy CI machine may be slow to start the driver
                .withEnvironment(environment)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(),
                // the tests stand in for people: without these, traffic quality sets their hits apart
                // (HeadlessChrome in the agent, navigator.webdriver seen by the tag)
                "--user-agent=" + RunningSpeck.BROWSER, "--disable-blink-features=AutomationControlled");
        tune.accept(options);
        return new ChromeDriver(service, options);
    }

    /**
     * A wait that reads the page again when an element it read went away: the console re-renders parts of
     * the page (a stale element), and a form post replaces the whole document, where Chrome may instead
     * answer "Node with given id does not belong to the document" (an inspector error, not a stale element).
     * Both mean "not there yet"; the wait still fails after {@code seconds}, with the last error as cause.
     */
    public static WebDriverWait waitThroughRerenders(WebDriver browser, int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(WebDriverException.class); // includes StaleElementReferenceException
        return wait;
    }
}
