package dev.speck.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.deliver.Receiver;
import dev.speck.testing.Chromium;
import dev.speck.testing.ConsoleSignIn;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's trigger builder in a real Chromium: build a trigger, dry-run it over stored hits, save it,
 * send a test to a real receiver and see it (and a real firing) in the trigger's delivery log.
 */
class TriggersInBrowserIT {

    private static RunningSpeck speck;

    @TempDir
    Path profileDir;

    private ChromeDriver browser;

    @BeforeAll
    static void startSpeck(@TempDir Path data) throws Exception {
        // loopback targets allowed: the webhook receiver of the tests runs on this machine
        speck = RunningSpeck.start(data, Map.of("collect.trusted-proxies", "127.0.0.1/32",
                "customers.unsigned-identify", "true", "deliver.allow-private", "127.0.0.1/32",
                "deliver.retry-base", "100ms", "deliver.retry-horizon", "1s"));
        speck.awaitLoaderWarm();
    }

    @AfterAll
    static void stopSpeck() {
        if (speck != null) {
            speck.close();
            speck = null;
        }
    }

    @BeforeEach
    void start() {
        browser = Chromium.start(profileDir, Map.of(), o -> o.addArguments("--window-size=1280,1200"));
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        try {
            if (browser != null) {
                Path shot = Path.of("target", "browser-artifacts", "triggers-" + test.getTestMethod().orElseThrow().getName() + ".png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @Test
    void aMarketerBuildsAPageTriggerDryRunsItOverLastWeekAndSavesIt() throws Exception {
        String pixel = speck.createPixel("Trigger shop", List.of()).id();
        for (String[] visit : new String[][] {{"81.2.69.142", "/pricing"}, {"81.2.69.160", "/pricing/team"}, {"81.2.69.192", "/blog/a"}}) {
            RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", "/p/" + pixel + ".gif?u="
                    + java.net.URLEncoder.encode("https://shop.example" + visit[1], java.nio.charset.StandardCharsets.UTF_8),
                    "User-Agent: " + RunningSpeck.BROWSER + "\r\nX-Forwarded-For: " + visit[0] + "\r\n", null);
            assertThat(r.status()).isEqualTo(200);
        }
        speck.awaitEvents(pixel, 3);

        ConsoleSignIn.asAdmin(browser, speck.base());
        browser.get(speck.base() + "/console/#/pixels/" + pixel + "/triggers");
        RunningSpeck.await(() -> !browser.findElements(By.cssSelector("form.trigger-editor")).isEmpty(), "the trigger builder");
        browser.findElement(By.cssSelector("form.trigger-editor input[name=name]")).sendKeys("Pricing visitors");
        new Select(browser.findElement(By.name("whenKind"))).selectByValue("page");
        browser.findElement(By.name("whenTarget")).sendKeys("/pricing*");
        new Select(browser.findElement(By.name("who"))).selectByValue("anyone");
        browser.findElement(By.xpath("//button[text()='Add a condition']")).click();
        new Select(browser.findElement(By.name("conditionField"))).selectByValue("device");
        new Select(browser.findElement(By.name("conditionOp"))).selectByValue("in");
        browser.findElement(By.name("conditionValues")).sendKeys("Desktop, Tablet");
        browser.findElement(By.name("url")).sendKeys("https://hooks.example/pricing");

        browser.findElement(By.name("dryRun")).click();
        RunningSpeck.await(steady(() -> browser.findElements(By.cssSelector("form.trigger-editor .notice")).stream()
                .anyMatch(n -> n.getText().startsWith("Would have fired"))), "the dry run's answer");
        WebElement answer = browser.findElement(By.cssSelector("form.trigger-editor .notice"));
        assertThat(answer.getText()).startsWith("Would have fired 2 times for 2 visitors");

        browser.findElement(By.cssSelector("form.trigger-editor button[type=submit]")).click();
        RunningSpeck.await(() -> !browser.findElements(By.cssSelector("tr[data-trigger]")).isEmpty(), "the trigger in the list");
        assertThat(browser.findElement(By.cssSelector("tr[data-trigger]")).getText())
                .contains("Pricing visitors").contains("Page /pricing*").contains("anyone").contains("https://hooks.example/pricing");
        JsonNode saved = JSON.readTree(speck.get("/api/pixels/" + pixel + "/triggers").body()).get("triggers").get(0);
        assertThat(saved.get("conditions").get(0).get("values").get(0).asText()).isEqualTo("desktop");
        assertThat(saved.get("who").asText()).isEqualTo("anyone");
    }

    private static void gif(String address, String query) throws Exception {
        RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", query,
                "User-Agent: " + RunningSpeck.BROWSER + "\r\nX-Forwarded-For: " + address + "\r\n", null);
        assertThat(r.status()).isEqualTo(200);
    }

    /** The console re-renders the delivery log every 2 s: an element found a moment ago may be gone; look again. */
    private static java.util.function.BooleanSupplier steady(java.util.function.BooleanSupplier condition) {
        return () -> {
            try {
                return condition.getAsBoolean();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        };
    }

    /** An element's text, found again if the log was re-rendered between finding and reading it. */
    private String textOf(By by) {
        for (int i = 0; ; i++) {
            try {
                return browser.findElement(by).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (i >= 50) {
                    throw e;
                }
            }
        }
    }

    /** Clicks an element of the deliveries panel, found again if the panel was re-rendered meanwhile. */
    private void clickOf(By by) {
        for (int i = 0; ; i++) {
            try {
                browser.findElement(by).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (i >= 50) {
                    throw e;
                }
            }
        }
    }

    private boolean logShows(String keyPrefix, String status) {
        return browser.findElements(By.cssSelector("section[data-deliveries] tr[data-delivery^='" + keyPrefix + "']"
                + "[data-status='" + status + "']")).size() > 0;
    }

    @Test
    void aMarketerDryRunsAGoalTriggerSendsATestAndSeesItAndARealFiringArriveInTheLog() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            String pixel = speck.createPixel("Trigger deliveries", List.of()).id();
            HttpResponse<String> goal = speck.post("/api/pixels/" + pixel + "/goals", "{\"name\":\"Purchase\",\"rule\":"
                    + "{\"type\":\"event\",\"name\":\"purchase\"},\"value\":{\"type\":\"from_hit\"},\"currency\":\"EUR\"}");
            assertThat(goal.statusCode()).as(goal.body()).isEqualTo(201);
            String goalId = JSON.readTree(goal.body()).get("id").asText();
            // Ada buys twice and Bob once, worth enough; Bob once below the minimum; an unknown visitor is no customer
            String p = "/p/" + pixel + ".gif?";
            gif("81.2.69.142", p + "k=page_view&u=https%3A%2F%2Fshop.example%2F&identity=u-ada");
            gif("81.2.69.142", p + "k=goal&n=purchase&v=80&cur=EUR");
            gif("81.2.69.142", p + "k=goal&n=purchase&v=95.50&cur=EUR");
            gif("81.2.69.160", p + "k=page_view&u=https%3A%2F%2Fshop.example%2F&identity=u-bob");
            gif("81.2.69.160", p + "k=goal&n=purchase&v=120&cur=EUR");
            gif("81.2.69.160", p + "k=goal&n=purchase&v=10&cur=EUR");
            gif("81.2.69.192", p + "k=goal&n=purchase&v=99&cur=EUR");
            speck.awaitEvents(pixel, 7);

            ConsoleSignIn.asAdmin(browser, speck.base());
            browser.get(speck.base() + "/console/#/pixels/" + pixel + "/triggers");
            RunningSpeck.await(() -> !browser.findElements(By.cssSelector("form.trigger-editor")).isEmpty(), "the trigger builder");
            browser.findElement(By.cssSelector("form.trigger-editor input[name=name]")).sendKeys("Big <b>purchase</b>");
            new Select(browser.findElement(By.name("whenKind"))).selectByValue("goal");
            new Select(browser.findElement(By.name("whenGoal"))).selectByValue(goalId);
            browser.findElement(By.name("minValue")).sendKeys("50");
            new Select(browser.findElement(By.name("who"))).selectByValue("customers");
            browser.findElement(By.xpath("//button[text()='Add a condition']")).click();
            new Select(browser.findElement(By.name("conditionField"))).selectByValue("device");
            new Select(browser.findElement(By.name("conditionOp"))).selectByValue("is");
            browser.findElement(By.name("conditionValues")).sendKeys("Desktop");
            browser.findElement(By.name("url")).sendKeys(receiver.url("/speck"));

            browser.findElement(By.name("dryRun")).click();
            RunningSpeck.await(steady(() -> browser.findElements(By.cssSelector("form.trigger-editor .notice")).stream()
                    .anyMatch(n -> n.getText().startsWith("Would have fired"))), "the dry run's answer");
            assertThat(browser.findElement(By.cssSelector("form.trigger-editor .notice")).getText())
                    .startsWith("Would have fired 3 times for 2 customers");
            assertThat(receiver.requests()).as("a dry run sends nothing").isEmpty();

            browser.findElement(By.cssSelector("form.trigger-editor button[type=submit]")).click();
            RunningSpeck.await(() -> !browser.findElements(By.cssSelector("section[data-deliveries]")).isEmpty(),
                    "the new trigger's deliveries");
            String trigger = browser.findElement(By.cssSelector("section[data-deliveries]")).getAttribute("data-deliveries");
            assertThat(textOf(By.cssSelector("section[data-deliveries] h2"))).as("names are text, never markup")
                    .contains("Big <b>purchase</b>");
            RunningSpeck.await(steady(() -> browser.findElement(By.cssSelector("section[data-deliveries] h2"))
                    .findElements(By.tagName("b")).isEmpty()), "no markup in the heading");
            assertThat(browser.findElement(By.cssSelector("section[data-deliveries]")).getText()).contains("No deliveries yet");

            clickOf(By.name("sendTest"));
            RunningSpeck.await(() -> receiver.requests().stream().anyMatch(r -> r.key().startsWith("test:")), "the test at the receiver");
            Receiver.Request test = receiver.requests().stream().filter(r -> r.key().startsWith("test:")).findFirst().orElseThrow();
            JsonNode body = JSON.readTree(test.body());
            assertThat(body.get("test").asBoolean()).isTrue();
            assertThat(body.get("goal").get("value").decimalValue()).as("Bob's purchase, the last that fits")
                    .isEqualByComparingTo("120");
            assertThat(body.get("customer").get("externalId").asText()).isEqualTo("u-bob");
            RunningSpeck.await(steady(() -> browser.findElements(By.cssSelector("section[data-deliveries] .test-result .notice")).stream()
                    .anyMatch(n -> n.getText().startsWith("Test delivered: HTTP 200"))), "the test's outcome");
            RunningSpeck.await(steady(() -> logShows("test:", "delivered")), "the test in the delivery log");
            assertThat(textOf(By.cssSelector("tr[data-delivery^='test:']"))).contains(test.key()).contains("test").contains("HTTP 200").contains(" ms")
                    .contains(test.key()); // the answer's excerpt: the receiver echoes the key

            // a real purchase fires it: the delivery arrives and joins the log, the test stays marked as one
            gif("81.2.69.142", p + "k=goal&n=purchase&v=60&cur=EUR");
            RunningSpeck.await(() -> receiver.requests().stream().anyMatch(r -> r.key().startsWith(trigger + ":")),
                    "the firing at the receiver");
            JsonNode fired = JSON.readTree(receiver.requests().stream().filter(r -> r.key().startsWith(trigger + ":"))
                    .findFirst().orElseThrow().body());
            assertThat(fired.has("test")).isFalse();
            assertThat(fired.get("customer").get("externalId").asText()).isEqualTo("u-ada");
            RunningSpeck.await(steady(() -> logShows(trigger + ":", "delivered")), "the firing in the delivery log");
            assertThat(browser.findElements(By.cssSelector("section[data-deliveries] tbody tr"))).hasSize(2);

            // a receiver that fails until the horizon: the test is a dead letter, re-delivered from the log
            receiver.answer(r -> 503);
            clickOf(By.name("sendTest"));
            RunningSpeck.await(steady(() -> browser.findElements(By.cssSelector("section[data-deliveries] .test-result .notice")).stream()
                    .anyMatch(n -> n.getText().startsWith("Test not delivered (a dead letter): HTTP 503"))), "the dead test");
            RunningSpeck.await(steady(() -> logShows("test:", "dead")), "the dead letter in the log");
            receiver.answer(r -> 200);
            clickOf(By.cssSelector("tr[data-status='dead'] button.redeliver"));
            RunningSpeck.await(steady(() -> browser.findElements(By.cssSelector("section[data-deliveries] tr[data-status='dead']")).isEmpty()
                    && browser.findElements(By.cssSelector("section[data-deliveries] tr[data-status='delivered']")).size() == 3),
                    "the re-delivered test");
        }
    }
}
