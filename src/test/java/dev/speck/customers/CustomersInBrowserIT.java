package dev.speck.customers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.Chromium;
import dev.speck.testing.ConsoleSignIn;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.speck.customers.CustomerFixtures.DESKTOP;
import static dev.speck.customers.CustomerFixtures.PHONE;
import static dev.speck.customers.CustomerFixtures.ok;
import static dev.speck.customers.CustomerFixtures.profile;
import static dev.speck.customers.CustomerFixtures.siteSigns;
import static dev.speck.customers.CustomerFixtures.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/** The tag's identify and the console's customer pages in a real Chromium. */
class CustomersInBrowserIT {

    private static RunningSpeck speck;
    private static String secret;

    @TempDir
    Path profileDir;

    private ChromeDriver browser;
    private TestSite site;

    @BeforeAll
    static void startSpeck(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
        secret = CustomerFixtures.secret(speck);
    }

    @AfterAll
    static void stopSpeck() {
        if (speck != null) {
            speck.close();
            speck = null; // a static field would keep the closed Speck (and its user-agent parser) in the test JVM's heap
        }
    }

    @BeforeEach
    void start() throws Exception {
        site = TestSite.start();
        browser = Chromium.start(profileDir, Map.of(), o -> o.addArguments("--user-agent=" + DESKTOP, "--window-size=1280,900"));
    }

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo test) throws Exception {
        try {
            if (browser != null) { // what the page looked like at the end, for a failure on CI
                Path shot = Path.of("target", "browser-artifacts", test.getTestMethod().orElseThrow().getName() + ".png");
                java.nio.file.Files.createDirectories(shot.getParent());
                java.nio.file.Files.write(shot, browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            site.close();
        }
    }

    private String origin() {
        return site.origin();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @Test
    void customerIdentifiedByTheTagOnTheLaptopAndBySignedEmailLinkOnThePhoneEndsWithOneProfileHoldingBoth() throws Exception {
        String pixel = speck.createPixel("Browser shop", List.of(origin())).id();
        String kim = upsert(speck, "{\"externalId\":\"web-77\",\"email\":\"kim@example.com\",\"name\":\"Kim\"}").get("id").asText();
        String signature = siteSigns(secret, "identify:" + pixel + ":web-77"); // what the shop's backend renders into its page
        site.page("/account.html", "<!doctype html><html><head><title>My account</title>"
                + Snippets.forPixel(speck.base(), pixel).get("javascript")
                + "<script>speck('identify', 'web-77', '" + signature + "');</script></head><body>Hello Kim</body></html>");

        browser.get(origin() + "/account.html");
        String code = ok(speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://shop.example.com/sale\"}",
                "Content-Type", "application/json")).get("code").asText();
        String link = ok(speck.post("/api/links/" + code + "/sign", "{\"recipient\":\"kim@example.com\"}",
                "Content-Type", "application/json")).get("url").asText();
        speck.get(link.substring(link.indexOf("/l/")), "User-Agent", PHONE); // the newsletter, opened on the phone

        JsonNode[] p = new JsonNode[1];
        RunningSpeck.await(() -> {
            try {
                p[0] = profile(speck, kim);
                return p[0].get("identityLinks").size() == 2 && p[0].get("profile").get("devices").size() == 2;
            } catch (Exception e) {
                return false;
            }
        }, "Kim's profile to hold the laptop and the phone");
        List<String> sources = new ArrayList<>();
        p[0].get("identityLinks").forEach(l -> sources.add(l.get("source").asText()));
        assertThat(sources).containsExactlyInAnyOrder("identify", "link_click");
        Set<String> devices = new HashSet<>();
        p[0].get("profile").get("devices").forEach(d -> devices.add(d.get("deviceClass").asText()));
        assertThat(devices).containsExactlyInAnyOrder("Desktop", "Phone");
        assertThat(p[0].get("profile").get("pages").get(0).get("title").asText()).isEqualTo("My account");
    }

    @Test
    void inABrowserWithoutSendBeaconOrFetchTheTagsImageFallbackStillIdentifiesTheCustomer() throws Exception {
        String pixel = speck.createPixel("Old browser shop", List.of(origin())).id();
        String lee = upsert(speck, "{\"externalId\":\"old-9\",\"name\":\"Lee\"}").get("id").asText();
        String signature = siteSigns(secret, "identify:" + pixel + ":old-9");
        site.page("/old.html", "<!doctype html><html><head><title>Old browser</title>"
                + "<script>Object.defineProperty(navigator, 'sendBeacon', {value: undefined}); window.fetch = undefined;</script>"
                + Snippets.forPixel(speck.base(), pixel).get("javascript")
                + "<script>speck('identify', 'old-9', '" + signature + "');</script></head><body>Hello Lee</body></html>");

        browser.get(origin() + "/old.html");

        JsonNode[] p = new JsonNode[1];
        RunningSpeck.await(() -> {
            try {
                p[0] = profile(speck, lee);
                return p[0].get("identityLinks").size() == 1 && p[0].get("profile").get("pages").size() == 1;
            } catch (Exception e) {
                return false;
            }
        }, "Lee's profile to hold the page seen through the image pixel");
        assertThat(p[0].get("identityLinks").get(0).get("source").asText()).isEqualTo("identify");
        assertThat(p[0].get("profile").get("pages").get(0).get("title").asText()).isEqualTo("Old browser");
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof navigator.sendBeacon + typeof window.fetch"))
                .isEqualTo("undefinedundefined");
    }

    @Test
    void customerPagesShowScriptInNamesAttributesAndTitlesAsTextAndNeverRunIt() throws Exception {
        String pixel = speck.createPixel("XSS shop", List.of()).id();
        String name = "<img src=x onerror=\"window.__xss='name'\">Mallory";
        String id = upsert(speck, "{\"externalId\":\"xss-1\",\"name\":" + RunningSpeck.JSON.writeValueAsString(name)
                + ",\"attributes\":{\"note\":\"<script>window.__xss='attribute'</script>\"}}").get("id").asText();
        CustomerFixtures.beacon(speck, pixel, DESKTOP, "{\"type\":\"page_view\",\"url\":\"https://shop.example.com/x\","
                + "\"title\":\"<script>window.__xss='title'</script>\",\"identity\":{\"id\":\"xss-1\",\"sig\":\""
                + siteSigns(secret, "identify:" + pixel + ":xss-1") + "\"}}");
        RunningSpeck.await(() -> {
            try {
                return profile(speck, id).get("profile").get("pages").size() == 1;
            } catch (Exception e) {
                return false;
            }
        }, "the page view in the profile");

        ConsoleSignIn.asAdmin(browser, speck.base());
        browser.get(speck.base() + "/console/#/customers");
        waiting().until(d -> !d.findElements(By.cssSelector("a[href='#/customers/" + id + "']")).isEmpty());
        WebElement entry = browser.findElement(By.cssSelector("a[href='#/customers/" + id + "']"));
        assertThat(entry.getText()).isEqualTo(name);
        entry.click();

        waiting().until(d -> d.findElement(By.tagName("h1")).getText().equals(name));
        String text = browser.findElement(By.id("view")).getText();
        assertThat(text).contains("<script>window.__xss='attribute'</script>").contains("<script>window.__xss='title'</script>");
        assertThat(browser.findElements(By.cssSelector("#view img, #view script"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__xss === undefined")).isEqualTo(true);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
    }
}
