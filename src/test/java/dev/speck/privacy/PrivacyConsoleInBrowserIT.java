package dev.speck.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.Chromium;
import dev.speck.testing.ConsoleSignIn;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's privacy controls in a real Chromium: account settings, a pixel's privacy, the report's identity window. */
class PrivacyConsoleInBrowserIT {

    private static RunningSpeck speck;

    @TempDir
    Path profile;

    private ChromeDriver browser;

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
    void start() {
        browser = Chromium.start(profile, Map.of(), options -> options.addArguments("--window-size=1280,1600"));
        ConsoleSignIn.asAdmin(browser, speck.base());
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminSwitchesPixelsOffOnTheSettingsPageAndItAppliesAtOnce() throws Exception {
        Pixel pixel = speck.createPixel("shop", List.of());
        browser.get(speck.base() + "/console/#/settings");
        WebElement enabled = wait(60).until(b -> b.findElement(By.name("pixelsEnabled")));
        assertThat(enabled.isSelected()).isTrue();

        enabled.click();
        browser.findElement(By.cssSelector("form.account-settings button[type=submit]")).click();
        wait(60).until(b -> b.findElement(By.cssSelector(".notice.ok")));
        speck.getBytes("/p/" + pixel.id() + ".gif?k=event&n=while_off");

        assertThat(speck.app().accountSettings().get().pixelsEnabled()).isFalse();
        assertThat(speck.metric("speck_hits_not_recorded_total{reason=\"pixels_off\"}")).isEqualTo(1);
        speck.app().accountSettings().update(AccountSettings.DEFAULTS);
    }

    @Test
    void aPixelsPrivacyIsChangedOnItsPageWhichOffersTheOptOutLinkAndTheReportNamesItsIdentityWindow() throws Exception {
        Pixel pixel = speck.createPixel("shop", List.of());
        browser.get(speck.base() + "/console/#/pixels/" + pixel.id());
        WebElement identity = wait(60).until(b -> b.findElement(By.cssSelector("form.privacy-settings select[name=identity]")));
        new Select(identity).selectByValue("first-party");
        new Select(browser.findElement(By.cssSelector("form.privacy-settings select[name=consent]")))
                .selectByValue("required-anonymous");
        WebElement days = browser.findElement(By.name("retentionDays"));
        days.clear();
        days.sendKeys("90");
        browser.findElement(By.cssSelector("form.privacy-settings button[type=submit]")).click();
        wait(60).until(b -> b.findElement(By.cssSelector(".privacy-settings + div .notice.ok")));
        String optOutLink = browser.findElement(By.cssSelector(".opt-out-link")).getText();

        assertThat(speck.app().pixels().pixel(pixel.id()).privacy()).isEqualTo(new VisitorPrivacy(
                VisitorPrivacy.IdentityMode.FIRST_PARTY, VisitorPrivacy.ConsentRule.REQUIRED_ANONYMOUS, true, 90));
        assertThat(optOutLink).contains(speck.base() + "/privacy/opt-out");

        browser.get(speck.base() + "/console/#/pixels/" + pixel.id() + "/report");
        String window = wait(60).until(b -> b.findElement(By.cssSelector(".identity-window"))).getText();
        assertThat(window).contains("per first-party id");
        JsonNode api = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixel.id()).body());
        assertThat(api.path("privacy").path("retentionDays").asInt()).isEqualTo(90);
    }

    private WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }
}
