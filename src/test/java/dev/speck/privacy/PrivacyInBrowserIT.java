package dev.speck.privacy;

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
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Consent, the first-party id and both opt-outs in a real Chromium, with the real tag on another origin. */
class PrivacyInBrowserIT {

    private static RunningSpeck speck;

    @TempDir
    Path profile;

    private ChromeDriver browser;
    private TestSite site;

    @BeforeAll
    static void startSpeck(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
    }

    @AfterAll
    static void stopSpeck() {
        if (speck != null) {
            speck.close();
            speck = null; // a static field outlives the class: let the closed app's ~100 MB analyzer go
        }
    }

    @BeforeEach
    void start() throws IOException {
        browser = Chromium.start(profile, Map.of(), options -> options.addArguments("--window-size=1280,900"));
        site = TestSite.start();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        site.close();
    }

    @Test
    void consentGrantedGivesAFirstPartyVisitorThatSurvivesAReloadAndDenialForgetsIt() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.IdentityMode.FIRST_PARTY, VisitorPrivacy.ConsentRule.REQUIRED_ANONYMOUS);
        site.page("/shop.html", tagged(pixel, "Shop"));

        browser.get(origin() + "/shop.html");
        awaitTagLoaded();
        speck.awaitEvents(pixel.id(), 1);
        js("speck('consent', 'granted'); speck('event', 'after_consent'); speck('goal', 'flush');");
        speck.awaitEvents(pixel.id(), 3);
        String storedId = (String) js("return localStorage.getItem('speck_id')");
        browser.navigate().refresh();
        awaitTagLoaded();
        speck.awaitEvents(pixel.id(), 4);
        js("speck('consent', 'denied'); speck('event', 'after_denial'); speck('goal', 'flush');");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 6);

        assertThat(absent(events.get(0), "visitor_id")).as("the first page view, before consent").isTrue();
        String visitor = events.get(1).path("visitor_id").asText();
        assertThat(visitor).startsWith("f").hasSize(17); // a first-party id, not a cookieless one (16)
        assertThat(storedId).as("a random id on the site's own origin").matches("[0-9a-f]{32}");
        assertThat(events.get(3).path("kind").asText()).isEqualTo("page_view");
        assertThat(events.get(3).path("visitor_id").asText()).as("the reloaded page, same stored id").isEqualTo(visitor);
        assertThat(events.subList(4, 6)).allSatisfy(e -> {
            assertThat(absent(e, "visitor_id")).isTrue();
            assertThat(absent(e, "ip_prefix")).isTrue();
        });
        assertThat(js("return localStorage.getItem('speck_id')")).as("denial deletes the id").isNull();
        assertThat(js("return localStorage.getItem('speck_consent')")).isEqualTo("denied");
    }

    @Test
    void aCookielessPixelsTagStoresNoIdEvenWithConsent() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.IdentityMode.COOKIELESS, VisitorPrivacy.ConsentRule.NOT_REQUIRED);
        site.page("/blog.html", tagged(pixel, "Blog"));

        browser.get(origin() + "/blog.html");
        awaitTagLoaded();
        js("speck('consent', 'granted'); speck('goal', 'read');");
        speck.awaitEvents(pixel.id(), 2);

        assertThat(js("return localStorage.getItem('speck_id')")).isNull();
    }

    @Test
    void theTagsOptOutSendsNothingUntilOptIn() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.IdentityMode.COOKIELESS, VisitorPrivacy.ConsentRule.NOT_REQUIRED);
        site.page("/news.html", tagged(pixel, "News"));

        browser.get(origin() + "/news.html");
        awaitTagLoaded();
        speck.awaitEvents(pixel.id(), 1);
        js("speck('optout'); speck('goal', 'while_opted_out');");
        browser.navigate().refresh(); // the opt-out is remembered: no page view either
        awaitTagLoaded();
        js("speck('optin'); speck('goal', 'after_opt_in');");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 2);

        assertThat(events).extracting(e -> e.path("kind").asText() + ":" + e.path("name").asText(""))
                .containsExactly("page_view:", "goal:after_opt_in");
    }

    @Test
    void theOptOutPageFormStopsRecordingForThisBrowserAndOptInRestoresIt() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.IdentityMode.COOKIELESS, VisitorPrivacy.ConsentRule.NOT_REQUIRED);
        String image = Snippets.forPixel(speck.base(), pixel.id()).get("image");
        site.page("/out.html", page(image.replace(".gif\"", ".gif?k=event&n=opted_out\"")));
        site.page("/in.html", page(image.replace(".gif\"", ".gif?k=event&n=opted_in\"")));
        String optedOut = "speck_hits_not_recorded_total{reason=\"opt_out\"}";
        double before = speck.metric(optedOut);

        browser.get(speck.base() + "/privacy/opt-out");
        assertThat(state()).isEqualTo("in");
        browser.findElement(By.cssSelector("button[value=out]")).click();
        awaitState("out");
        browser.get(origin() + "/out.html");
        RunningSpeck.await(() -> metric(optedOut) > before, "the opted-out hit to be counted");
        browser.get(speck.base() + "/privacy/opt-out");
        assertThat(state()).as("the page shows the stored choice").isEqualTo("out");
        browser.findElement(By.cssSelector("button[value=in]")).click();
        awaitState("in");
        browser.get(origin() + "/in.html");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 1);

        assertThat(events).extracting(e -> e.path("name").asText()).containsExactly("opted_in");
        assertThat(metric(optedOut) - before).isEqualTo(1);
    }

    /** Waits for the page to show a choice: the form reloads the page, so the first reads may miss. */
    private void awaitState(String expected) {
        Chromium.waitThroughRerenders(browser, 60).until(b -> expected.equals(state()));
    }

    private String state() {
        return browser.findElement(By.id("state")).getDomAttribute("data-state");
    }

    private static Pixel pixel(VisitorPrivacy.IdentityMode identity, VisitorPrivacy.ConsentRule consent) {
        Pixel p = speck.createPixel("browser", List.of());
        return speck.app().pixels().save(new Pixel(p.id(), p.name(), true, List.of(), p.created(),
                new VisitorPrivacy(identity, consent, true, 395)));
    }

    private String origin() {
        return site.origin();
    }

    private static String tagged(Pixel pixel, String title) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>\n"
                + Snippets.forPixel(speck.base(), pixel.id()).get("javascript")
                + "\n</head><body><h1>" + title + "</h1></body></html>";
    }

    private static String page(String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Page</title></head><body>" + body + "</body></html>";
    }

    private void awaitTagLoaded() {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(b -> Boolean.TRUE.equals(js("return !!(window.speck && window.speck.loaded)")));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static double metric(String line) {
        try {
            return speck.metric(line);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static boolean absent(JsonNode event, String field) {
        return event.path(field).isMissingNode() || event.path(field).isNull();
    }
}
