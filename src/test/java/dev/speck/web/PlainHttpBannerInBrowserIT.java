package dev.speck.web;

import dev.speck.testing.Chromium;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in Chromium, reached once as a public host name (mapped to this machine by the
 * browser's resolver) and once as 127.0.0.1: only the first, plain HTTP beyond localhost, warns.
 */
class PlainHttpBannerInBrowserIT {

    @TempDir
    Path profile;

    @TempDir
    Path data;

    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void consoleOnAPublicHostOverPlainHttpShowsTheWarningAndOnLocalhostDoesNot() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            browser = Chromium.start(profile, Map.of(),
                    o -> o.addArguments("--host-resolver-rules=MAP speck.example.test 127.0.0.1"));
            int port = speck.app().port();

            browser.get("http://speck.example.test:" + port + "/console/");
            String banner = new WebDriverWait(browser, Duration.ofSeconds(60)).until(b ->
                    b.findElements(By.id("plain-http-warning")).stream().map(e -> e.getText()).findFirst().orElse(null));
            assertThat(banner).contains("Not encrypted", "http://speck.example.test:" + port, "plain HTTP");
            assertThat(browser.findElement(By.id("plain-http-warning")).getAttribute("role")).isEqualTo("alert");

            browser.get(speck.base() + "/console/");
            // signed out, the console shows its sign-in page: the warning matters most there, before a password is sent
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(b ->
                    !b.findElements(By.cssSelector("form.sign-in")).isEmpty());
            // the console has read /api/server (it marks the header with the scheme, and adds any banner in the same step)
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(b ->
                    "http".equals(b.findElement(By.cssSelector("header.top")).getAttribute("data-scheme")));
            assertThat(browser.findElements(By.id("plain-http-warning"))).isEmpty();
        }
    }
}
