package dev.speck.access;

import dev.speck.testing.Chromium;
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

/** The console's doors in a real Chromium: sign-in, API keys shown once, users, sign-out, what a viewer sees. */
class AccessInBrowserIT {

    private static RunningSpeck speck;

    @TempDir
    Path profile;

    private ChromeDriver browser;

    @BeforeAll
    static void startSpeck(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
        speck.createPixel("Shop", List.of());
    }

    @AfterAll
    static void stopSpeck() {
        if (speck != null) {
            speck.close();
        }
    }

    @BeforeEach
    void start() {
        browser = Chromium.start(profile, Map.of(), options -> options.addArguments("--window-size=1280,1000"));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminMakesAKeyThatIsShownOnceAndRevokesIt() throws Exception {
        browser.get(speck.base() + "/console/#/keys");
        signIn("admin", RunningSpeck.ADMIN_PASSWORD);
        awaitHeading("API keys"); // back where the browser was headed
        browser.findElement(By.cssSelector("form.create-key input[name=name]")).sendKeys("reporting");
        new Select(browser.findElement(By.cssSelector("form.create-key select[name=scope]"))).selectByValue("read");
        browser.findElement(By.cssSelector("form.create-key button[type=submit]")).click();
        String secret = wait(30).until(b -> {
            List<WebElement> found = b.findElements(By.cssSelector("output.key-secret"));
            return found.isEmpty() ? null : found.get(0).getText();
        });
        assertThat(secret).startsWith("spk_");
        assertThat(browser.findElements(By.cssSelector("button[aria-label='Copy API key']"))).hasSize(1);
        assertThat(speck.withKey(secret).get("/api/pixels").statusCode()).isEqualTo(200);

        browser.navigate().refresh();
        wait(30).until(b -> b.findElement(By.tagName("main")).getText().contains("reporting"));
        assertThat(browser.getPageSource()).doesNotContain(secret);

        browser.findElement(By.cssSelector("button[aria-label='Revoke reporting']")).click();
        wait(30).until(b -> b.findElement(By.tagName("main")).getText().contains("No API keys yet."));
        assertThat(speck.withKey(secret).get("/api/pixels").statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerSeesNoEditingControlsAndSignOutLeadsBackToSignIn() throws Exception {
        speck.app().access().users().create("vera", Role.VIEWER, "vera-password-1");
        browser.get(speck.base() + "/console/");
        signIn("vera", "vera-password-1");
        awaitHeading("Pixels");
        wait(30).until(b -> !b.findElements(By.cssSelector("tr[data-pixel]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("form.create-pixel")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("tr[data-pixel] .actions")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("a[href='#/users']")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("#who .who-name")).getText()).isEqualTo("vera");

        browser.findElement(By.cssSelector("#who .sign-out")).click();
        awaitHeading("Sign in to Speck");
        browser.get(speck.base() + "/console/#/pixels");
        awaitHeading("Sign in to Speck");
    }

    @Test
    void aWrongPasswordShowsTheReasonAndSignsNoOneIn() {
        browser.get(speck.base() + "/console/");
        awaitHeading("Sign in to Speck");
        browser.findElement(By.cssSelector("form.sign-in input[name=user]")).sendKeys("admin");
        browser.findElement(By.cssSelector("form.sign-in input[name=password]")).sendKeys("not-the-password");
        browser.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        wait(30).until(b -> b.findElement(By.tagName("main")).getText().contains("wrong user name or password"));
        assertThat(browser.findElements(By.cssSelector("#who .sign-out"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("form.sign-in input[name=password]")).getDomProperty("value"))
                .isEmpty();
    }

    private void signIn(String user, String password) {
        awaitHeading("Sign in to Speck");
        browser.findElement(By.cssSelector("form.sign-in input[name=user]")).sendKeys(user);
        browser.findElement(By.cssSelector("form.sign-in input[name=password]")).sendKeys(password);
        browser.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        wait(30).until(b -> !b.findElements(By.cssSelector("#who .sign-out")).isEmpty());
    }

    private void awaitHeading(String text) {
        wait(30).until(b -> b.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().startsWith(text)));
    }

    private WebDriverWait wait(int seconds) {
        return Chromium.waitThroughRerenders(browser, seconds);
    }
}
