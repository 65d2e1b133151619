package dev.speck.triggers;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's trigger builder in a real Chromium: build a trigger, dry-run it over stored hits, save it. */
class TriggersInBrowserIT {

    private static RunningSpeck speck;

    @TempDir
    Path profileDir;

    private ChromeDriver browser;

    @BeforeAll
    static void startSpeck(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of("collect.trusted-proxies", "127.0.0.1/32"));
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
        RunningSpeck.await(() -> browser.findElements(By.cssSelector("form.trigger-editor .notice")).stream()
                .anyMatch(n -> n.getText().startsWith("Would have fired")), "the dry run's answer");
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
}
