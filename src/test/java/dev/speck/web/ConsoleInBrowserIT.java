package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.Chromium;
import dev.speck.testing.RunningSpeck;
import dev.speck.testing.TestSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console in a real Chromium, walked the way a marketer would: create a pixel and its goals, paste
 * its tag into pages of their own site (served by the test on another port), reach the goals there
 * and read them in the goals report.
 */
class ConsoleInBrowserIT {

    private static final Path ARTIFACTS = Path.of("target", "browser-artifacts");

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
        }
    }

    @BeforeEach
    void start() throws IOException {
        site = TestSite.start();
        browser = chromium(profile);
    }

    @AfterEach
    void stop(TestInfo test) throws IOException {
        try {
            if (browser != null) {
                shot(test.getTestMethod().orElseThrow().getName() + "-end");
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            site.close();
        }
    }

    @Test
    void aMarketerSetsUpAPixelAndTwoGoalsPastesTheTagIntoTheirSiteAndReadsTheGoalsReport() throws Exception {
        browser.get(speck.base() + "/");
        signInThroughThePage();
        awaitHeading("Pixels");
        assertThat(browser.getCurrentUrl()).startsWith(speck.base() + "/console/");
        shot("1-pixels");

        browser.findElement(By.cssSelector("form.create-pixel input[name=name]")).sendKeys("Spring shop");
        browser.findElement(By.cssSelector("form.create-pixel textarea[name=allowedOrigins]")).sendKeys(origin());
        browser.findElement(By.cssSelector("form.create-pixel button[type=submit]")).click();
        awaitHeading("Spring shop");
        String pixelId = browser.getCurrentUrl().replaceAll(".*#/pixels/", "");
        Pixel pixel = speck.app().pixels().pixel(pixelId);
        assertThat(pixel).as("the pixel made in the console").isNotNull();
        assertThat(pixel.allowedOrigins()).containsExactly(origin());

        String tag = text(By.id("snippet-javascript"));
        assertThat(tag).contains(speck.base() + "/p/" + pixelId + ".js").contains("<noscript>");
        WebElement copy = browser.findElement(By.cssSelector("[data-snippet=javascript] button"));
        copy.click();
        wait(30).until(b -> !copy.getText().equals("Copy"));
        new Select(browser.findElement(By.name("mergeTag"))).selectByValue("*|UNIQID|*");
        assertThat(text(By.id("snippet-emailOpen"))).contains("rcpt=*|UNIQID|*").doesNotContain("{{ recipient }}");
        assertThat(browser.findElement(By.cssSelector("[data-snippet=signOpen]")).isDisplayed()).isFalse();
        browser.findElement(By.name("signedOpen")).click();
        assertThat(text(By.id("snippet-emailOpen"))).contains("rcpt=*|UNIQID|*&sig={{ speck_sig }}\"");
        assertThat(text(By.id("snippet-signOpen"))).contains(speck.base() + "/api/identity/sign")
                .contains("\"pixel\": \"" + pixelId + "\"").contains("\"purpose\": \"open\"")
                .contains("\"open:" + pixelId + ":\"");
        browser.findElement(By.name("destination")).sendKeys("https://shop.example.com/sale");
        browser.findElement(By.name("utm_campaign")).sendKeys("spring");
        browser.findElement(By.cssSelector("form.link-builder button[type=submit]")).click();
        WebElement shortLink = wait(30).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("output.short-link")));
        assertThat(shortLink.getText()).startsWith(speck.base() + "/l/");
        wait(30).until(b -> text(By.cssSelector("dd.last-hit")).equals("—"));
        shot("2-pixel-setup");

        browser.findElement(By.linkText("Goals")).click();
        wait(30).until(b -> !b.findElements(By.cssSelector("form.goal-editor")).isEmpty());
        createGoal("Purchase", "page_url", "/thanks", "49.90");
        createGoal("Signed up", "event", "signup", null);
        wait(30).until(b -> b.findElements(By.cssSelector("tr[data-goal]")).size() == 2);
        assertThat(text(By.cssSelector("main table"))).contains("Page URL equals /thanks", "49.9 EUR", "Event name: signup");
        shot("3-goals");
        JsonNode goals = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixelId + "/goals").body());
        String purchase = goalId(goals, "Purchase");
        String signup = goalId(goals, "Signed up");
        JsonNode purchaseGoal = goals.get(0).get("name").asText().equals("Purchase") ? goals.get(0) : goals.get(1);
        assertThat(purchaseGoal.get("rule").get("match").asText()).isEqualTo("equals");
        assertThat(purchaseGoal.get("value").get("amount").asDouble()).isEqualTo(49.90);
        assertThat(purchaseGoal.get("currency").asText()).isEqualTo("EUR");

        // the marketer's own site, on another origin: the copied tag in the head of both pages
        String head = "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>\n" + tag + "\n</head>";
        site.page("/shop.html", head.formatted("Spring sale") + "<body><h1>Spring sale</h1>"
                + "<button id=\"signup\" onclick=\"speck('event','signup'); this.textContent='Thanks!'\">Sign up</button>"
                + "</body></html>");
        site.page("/thanks", head.formatted("Thank you") + "<body><h1>Thank you for your order</h1></body></html>");
        String console = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB).get(origin() + "/shop.html");
        wait(30).until(b -> text(By.tagName("h1")).equals("Spring sale"));
        browser.findElement(By.id("signup")).click();
        speck.awaitEvents(pixelId, 2); // the page view and the signup event
        shot("4-site-shop");
        browser.get(origin() + "/thanks");
        speck.awaitEvents(pixelId, 3);
        shot("5-site-thanks");
        browser.close();
        browser.switchTo().window(console);

        browser.findElement(By.linkText("Report")).click();
        wait(30).until(b -> b.getCurrentUrl().endsWith("/report"));
        WebElement purchaseRow = wait(60).until(b -> b.findElement(By.cssSelector("tr[data-goal='" + purchase + "']")));
        WebElement signupRow = browser.findElement(By.cssSelector("tr[data-goal='" + signup + "']"));
        // Goal, Achievements, Unique achievers, Conversion rate, Total value, Average value
        assertThat(cells(purchaseRow)).satisfies(c -> {
            assertThat(c.get(0)).isEqualTo("Purchase");
            assertThat(c.get(1)).isEqualTo("1");
            assertThat(c.get(2)).isEqualTo("1");
            assertThat(c.get(3)).isEqualTo("100 %");
            assertThat(c.get(4)).contains("49.90").containsAnyOf("€", "EUR");
            assertThat(c.get(5)).contains("49.90");
        });
        assertThat(cells(signupRow)).satisfies(c -> {
            assertThat(c.get(0)).isEqualTo("Signed up");
            assertThat(c.get(1)).isEqualTo("1");
            assertThat(c.get(2)).isEqualTo("1");
            assertThat(c.get(3)).isEqualTo("100 %");
        });
        assertThat(text(By.cssSelector("dd.visitors"))).isEqualTo("1");
        assertThat(text(By.cssSelector("main"))).doesNotContain("null", "undefined", "NaN");
        wait(30).until(b -> !b.findElements(By.cssSelector(".chart canvas")).isEmpty()); // uPlot, from its webjar
        wait(30).until(b -> !b.findElements(By.cssSelector("[aria-label='Attribution settings']")).isEmpty()
                && text(By.xpath("//section[h2='Attribution']")).contains("Achievements"));
        shot("6-report");

        String csv = browser.findElement(By.cssSelector("a.csv")).getDomAttribute("href");
        assertThat(csv).contains("format=csv");
        assertThat(speck.get(csv).body()).contains(purchase + ",Purchase,every_time,EUR,1,1,1,1.0,49.9,49.9");

        // a breakdown row becomes a filter chip; the one visitor is still all there is
        WebElement channel = wait(30).until(b -> b.findElement(By.cssSelector("button[aria-label^='Filter by channel']")));
        String channelName = channel.getText();
        channel.click();
        wait(30).until(b -> text(By.cssSelector("ul.chips")).contains("channel: " + channelName));
        wait(30).until(b -> text(By.cssSelector("dd.visitors")).equals("1")
                && !b.findElements(By.cssSelector("tr[data-goal='" + purchase + "']")).isEmpty());
        shot("7-report-filtered");
        browser.findElement(By.cssSelector("ul.chips button")).click();
        wait(30).until(b -> text(By.cssSelector("ul.chips")).contains("No filters"));
        browser.manage().window().setSize(new Dimension(390, 844));
        shot("7-report-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));

        // the test hit goes through the journal and comes back over the live view
        browser.findElement(By.linkText("Setup")).click();
        wait(60).until(b -> text(By.cssSelector("p.live-state")).startsWith("Live:"));
        wait(30).until(b -> !text(By.cssSelector("dd.last-hit")).equals("—"));
        browser.findElement(By.cssSelector("button.test-pixel")).click();
        wait(60).until(b -> text(By.cssSelector("p.test-status")).startsWith("The test hit arrived"));
        wait(30).until(b -> text(By.cssSelector("table.hits tbody")).contains("speck_test"));
        assertThat(text(By.cssSelector("table.hits tbody"))).contains("page_view", origin() + "/thanks", "signup");
        shot("8-pixel-tested");

        browser.findElement(By.linkText("← All pixels")).click();
        WebElement delete = wait(30).until(b -> b.findElement(By.cssSelector("button[aria-label='Delete Spring shop']")));
        delete.click();
        browser.findElement(By.xpath("//button[text()='Yes, delete']")).click();
        wait(30).until(b -> b.findElements(By.cssSelector("tr[data-pixel='" + pixelId + "']")).isEmpty());
        assertThat(speck.get("/api/pixels/" + pixelId).statusCode()).isEqualTo(404);
        shot("9-pixel-deleted");
    }

    private static String goalId(JsonNode goals, String name) {
        for (JsonNode g : goals) {
            if (g.get("name").asText().equals(name)) {
                return g.get("id").asText();
            }
        }
        throw new AssertionError("no goal " + name + " in " + goals);
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(td -> td.getDomProperty("textContent").trim()).toList();
    }

    @Test
    void aPixelNamedLikeMarkupAndAPageTitleWithAScriptShowAsTextAndRunNothing() throws Exception {
        String evilName = "<img src=x onerror=alert(1)>";
        String evilTitle = "<script>alert(2)</script>";
        Pixel pixel = speck.createPixel(evilName, List.of(origin()));
        String tag = speck.get("/api/pixels/" + pixel.id()).body();
        String snippet = RunningSpeck.JSON.readTree(tag).path("snippets").path("javascript").asText();
        site.page("/evil.html", "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
                + "&lt;script&gt;alert(2)&lt;/script&gt;</title>\n" + snippet + "\n</head><body>hi</body></html>");
        browser.get(origin() + "/evil.html");
        speck.awaitEvents(pixel.id(), 1);

        browser.get(speck.base() + "/console/");
        signInThroughThePage();
        wait(30).until(b -> !b.findElements(By.cssSelector("tr[data-pixel='" + pixel.id() + "']")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("tr[data-pixel='" + pixel.id() + "'] a.pixel-name")).getText())
                .isEqualTo(evilName);
        assertNoAlertAndNoInjectedImage();
        shot("xss-pixels-list");

        browser.get(speck.base() + "/console/#/pixels/" + pixel.id());
        wait(60).until(b -> text(By.cssSelector("table.hits tbody")).contains(evilTitle));
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith(evilName);
        assertThat(browser.getTitle()).startsWith(evilName);
        assertNoAlertAndNoInjectedImage();
        shot("xss-pixel-page");
    }

    /** The console sends a browser without a session to its sign-in page; sign in there as the admin. */
    private void signInThroughThePage() {
        awaitHeading("Sign in to Speck");
        browser.findElement(By.cssSelector("form.sign-in input[name=user]")).sendKeys("admin");
        browser.findElement(By.cssSelector("form.sign-in input[name=password]")).sendKeys(RunningSpeck.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        wait(30).until(b -> !b.findElements(By.cssSelector("#who .sign-out")).isEmpty());
    }

    private void assertNoAlertAndNoInjectedImage() {
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();
    }

    private void createGoal(String name, String ruleType, String ruleValue, String amount) {
        WebElement form = browser.findElement(By.cssSelector("form.goal-editor"));
        form.findElement(By.name("name")).sendKeys(name);
        new Select(form.findElement(By.name("ruleType"))).selectByValue(ruleType);
        if (ruleType.equals("page_url")) {
            new Select(form.findElement(By.name("ruleMatch"))).selectByValue("equals");
        }
        form.findElement(By.name("ruleValue")).sendKeys(ruleValue);
        if (amount != null) {
            form.findElement(By.cssSelector("input[name=valueMode][value=fixed]")).click();
            form.findElement(By.name("amount")).sendKeys(amount);
            form.findElement(By.cssSelector("input[name=unit][value=money]")).click();
            form.findElement(By.name("currency")).sendKeys("EUR");
        }
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait(30).until(b -> text(By.cssSelector("main")).contains("Goal “" + name + "” created."));
    }

    private String origin() {
        return site.origin();
    }

    private void awaitHeading(String text) {
        wait(30).until(b -> b.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().startsWith(text)));
    }

    private String text(By by) {
        List<WebElement> found = browser.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getDomProperty("textContent");
    }

    private WebDriverWait wait(int seconds) {
        return Chromium.waitThroughRerenders(browser, seconds);
    }

    private void shot(String name) throws IOException {
        Files.createDirectories(ARTIFACTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), ARTIFACTS.resolve("console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static ChromeDriver chromium(Path profile) {
        return Chromium.start(profile, Map.of(), options -> {
            options.addArguments("--window-size=1280,1000");
            // an alert, were one to open, stays open for the test to find instead of being dismissed
            options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        });
    }
}
