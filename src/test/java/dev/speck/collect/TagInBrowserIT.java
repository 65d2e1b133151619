package dev.speck.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.Chromium;
import dev.speck.testing.RunningSpeck;
import dev.speck.testing.TestSite;
import dev.speck.web.Snippets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JS tag and the image pixel in a real Chromium: test pages are served from their own origin,
 * so beacons are real cross-origin requests, checked against the pixel's allowed origins.
 */
class TagInBrowserIT {

    private static final String ZONE = "Asia/Tokyo";
    private static final Path ARTIFACTS = Path.of("target", "browser-artifacts");

    /** One Speck for the class (starting it takes seconds); each test has its own pixel, sites and browser. */
    private static RunningSpeck speck;

    @TempDir
    Path profile;

    private ChromeDriver browser;
    private final List<TestSite> sites = new ArrayList<>();
    private final List<Integer> beaconStatuses = new ArrayList<>();

    @BeforeAll
    static void startSpeck(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
    }

    @AfterAll
    static void stopSpeck() {
        if (speck != null) {
            speck.close();
        }
    }

    @BeforeEach
    void startBrowser() {
        browser = chromium(profile);
    }

    @AfterEach
    void stopBrowser(TestInfo test) throws IOException {
        try {
            if (browser != null) {
                Files.createDirectories(ARTIFACTS);
                File shot = browser.getScreenshotAs(OutputType.FILE);
                Files.copy(shot.toPath(), ARTIFACTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            sites.forEach(TestSite::close);
        }
    }

    @Test
    void pageViewsEarlyCallsImageHitsSpaNavigationAndGoalsAreStoredFromACrossOriginPage() throws Exception {
        TestSite site = site();
        Pixel pixel = speck.createPixel("shop", List.of(site.origin()));
        site.page("/shop/page-a.html", pageA(pixel));
        String pageUrl = site.origin() + "/shop/page-a.html";

        browser.get(pageUrl);
        awaitTagLoaded();
        String screen = (String) js("return screen.width + 'x' + screen.height");
        String language = (String) js("return navigator.language");
        speck.awaitEvents(pixel.id(), 3); // the page view, the early call and the image hit, before we navigate
        js("history.pushState({}, '', '/app/step2'); speck('goal', 'signup', {value: 10, currency: 'EUR'});");

        List<JsonNode> events = speck.awaitEvents(pixel.id(), 5);

        assertThat(events).hasSize(5);
        JsonNode landing = only(events, e -> isPageView(e) && e.path("url").asText().equals(pageUrl));
        assertThat(landing.path("title").asText()).isEqualTo("Page A");
        assertThat(landing.path("screen").asText()).isEqualTo(screen).matches("\\d+x\\d+");
        assertThat(landing.path("language").asText()).isEqualTo(language).isNotEmpty();
        assertThat(landing.path("browser_time_zone").asText()).isEqualTo(ZONE);
        assertThat(landing.path("browser").asText(null)).isIn("Chrome", "Chromium");
        assertThat(landing.path("device_class").asText()).isEqualTo("Desktop");

        JsonNode early = only(events, e -> named(e, "early_call"));
        assertThat(early.path("kind").asText()).isEqualTo("event");
        assertThat(props(early)).containsEntry("plan", "pro");
        assertThat(early.path("url").asText()).isEqualTo(pageUrl);

        JsonNode image = only(events, e -> named(e, "img_pixel"));
        assertThat(image.path("kind").asText()).isEqualTo("event");
        assertThat(image.path("url").asText()).as("the page URL, from the Referer header").isEqualTo(pageUrl);

        JsonNode step2 = only(events, e -> isPageView(e) && e.path("url").asText().equals(site.origin() + "/app/step2"));

        JsonNode goal = only(events, e -> named(e, "signup"));
        assertThat(goal.path("kind").asText()).isEqualTo("goal");
        assertThat(goal.path("value").asDouble()).isEqualTo(10.0);
        assertThat(goal.path("currency").asText()).isEqualTo("EUR");
        assertThat(goal.path("url").asText()).isEqualTo(site.origin() + "/app/step2");
        assertThat(events.indexOf(step2)).as("the SPA page view is stored before the goal made on that page")
                .isLessThan(events.indexOf(goal));
    }

    @Test
    void aPageOnAnOriginThePixelDoesNotAllowGetsItsBeaconRefusedAndNothingStored() throws Exception {
        TestSite allowed = site();
        TestSite stranger = site();
        Pixel pixel = speck.createPixel("shop", List.of(allowed.origin()));
        allowed.page("/welcome.html", taggedPage(pixel, "Welcome"));
        stranger.page("/copied.html", taggedPage(pixel, "Copied"));
        String rejected = "speck_hits_rejected_total{reason=\"origin_not_allowed\"}";
        double rejectedBefore = speck.metric(rejected);

        browser.get(stranger.origin() + "/copied.html");
        awaitTagLoaded();
        RunningSpeck.await(() -> metric(rejected) > rejectedBefore, "the stranger's beacon to be rejected");
        awaitBeaconAnswered(pixel, 403);

        browser.get(allowed.origin() + "/welcome.html");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 1);

        // The stranger's beacon reached Speck before the allowed page was opened, so were it stored it would be here.
        assertThat(events).extracting(e -> e.path("url").asText())
                .containsExactly(allowed.origin() + "/welcome.html");
        awaitBeaconAnswered(pixel, 202);
    }

    @Test
    void withoutJavaScriptTheSnippetsNoscriptImageRecordsThePageView() throws Exception {
        TestSite site = site();
        Pixel pixel = speck.createPixel("shop", List.of(site.origin()));
        site.page("/blog/no-script.html", taggedPage(pixel, "No script"));
        browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));

        browser.get(site.origin() + "/blog/no-script.html");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 1);

        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("kind").asText()).isEqualTo("page_view");
        assertThat(events.get(0).path("url").asText()).as("the page URL, from the Referer header")
                .isEqualTo(site.origin() + "/blog/no-script.html");
    }

    private String pageA(Pixel pixel) {
        Map<String, String> snippets = Snippets.forPixel(speck.base(), pixel.id());
        String image = snippets.get("image").replace(".gif\"", ".gif?k=event&n=img_pixel\"");
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Page A</title>\n"
                + snippets.get("javascript") + "\n"
                + "<script>speck('event', 'early_call', {plan: 'pro'});</script>\n"
                + "</head><body><h1>Page A</h1><p>A test page with the Speck tag and an image pixel.</p>\n"
                + image + "\n</body></html>";
    }

    private String taggedPage(Pixel pixel, String title) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>\n"
                + Snippets.forPixel(speck.base(), pixel.id()).get("javascript")
                + "\n</head><body><h1>" + title + "</h1></body></html>";
    }

    private void awaitTagLoaded() {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(b -> Boolean.TRUE.equals(js("return !!(window.speck && window.speck.loaded)")));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private double metric(String line) {
        try {
            return speck.metric(line);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** Waits until Chromium's network log shows the browser got this status from the pixel's beacon endpoint. */
    private void awaitBeaconAnswered(Pixel pixel, int status) throws InterruptedException {
        String endpoint = speck.base() + "/p/" + pixel.id() + "/events";
        RunningSpeck.await(() -> {
            readNetworkLog(endpoint);
            return beaconStatuses.contains(status);
        }, "the browser to get " + status + " from " + endpoint);
    }

    private void readNetworkLog(String endpoint) {
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) { // each read drains the log
            JsonNode message;
            try {
                message = RunningSpeck.JSON.readTree(entry.getMessage()).path("message");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode response = message.path("params").path("response");
            if (message.path("method").asText().equals("Network.responseReceived")
                    && response.path("url").asText().equals(endpoint)) {
                beaconStatuses.add(response.path("status").asInt());
            }
        }
    }

    private static JsonNode only(List<JsonNode> events, Predicate<JsonNode> which) {
        List<JsonNode> found = events.stream().filter(which).toList();
        assertThat(found).as("matching events among %s", events).hasSize(1);
        return found.get(0);
    }

    private static boolean isPageView(JsonNode e) {
        return e.path("kind").asText().equals("page_view");
    }

    private static boolean named(JsonNode e, String name) {
        return e.path("name").asText().equals(name);
    }

    /** Custom properties as the read API returns them (an object, or JSON text). */
    private static Map<String, String> props(JsonNode e) throws IOException {
        JsonNode props = e.path("props");
        if (props.isTextual()) {
            props = RunningSpeck.JSON.readTree(props.asText());
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.fields().forEachRemaining(p -> out.put(p.getKey(), p.getValue().asText()));
        return out;
    }

    private static ChromeDriver chromium(Path profile) {
        return Chromium.start(profile, Map.of("TZ", ZONE), options -> {
            options.addArguments("--window-size=1280,900");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
        });
    }

    private TestSite site() throws IOException {
        TestSite site = TestSite.start();
        sites.add(site);
        return site;
    }
}
