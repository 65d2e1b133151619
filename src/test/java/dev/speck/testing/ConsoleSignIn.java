package dev.speck.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

/** Signs a real browser in to the console through its own sign-in page, as a user would. */
public final class ConsoleSignIn {

    private ConsoleSignIn() {
    }

    /** Opens the console and, unless the browser already has a session, signs in as the test admin. */
    public static void asAdmin(WebDriver browser, String base) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(base + "/console/");
        wait.until(b -> !b.findElements(By.cssSelector("form.sign-in input[name=user], #who .sign-out")).isEmpty());
        if (browser.findElements(By.cssSelector("#who .sign-out")).isEmpty()) {
            browser.findElement(By.cssSelector("form.sign-in input[name=user]")).sendKeys("admin");
            browser.findElement(By.cssSelector("form.sign-in input[name=password]")).sendKeys(RunningSpeck.ADMIN_PASSWORD);
            browser.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
            wait.until(b -> !b.findElements(By.cssSelector("#who .sign-out")).isEmpty());
        }
    }
}
