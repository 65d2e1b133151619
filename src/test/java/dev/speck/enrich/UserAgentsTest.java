package dev.speck.enrich;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserAgentsTest {

    /** One analyzer for the class: building it takes seconds. */
    private static UserAgents userAgents;

    @BeforeAll
    static void buildAnalyzer() {
        userAgents = new UserAgents(100);
        userAgents.warmUp();
    }

    @Test
    void chromeOnWindowsIsADesktopBrowser() {
        Device device = userAgents.parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", Map.of());

        assertThat(device.deviceClass()).isEqualTo("Desktop");
        assertThat(device.browser()).isEqualTo("Chrome");
        assertThat(device.browserVersion()).isEqualTo("124");
        assertThat(device.os()).isEqualTo("Windows NT");
        assertThat(device.bot()).isFalse();
    }

    @Test
    void safariOnIphoneIsAnApplePhone() {
        Device device = userAgents.parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", Map.of());

        assertThat(device.deviceClass()).isEqualTo("Phone");
        assertThat(device.deviceBrand()).isEqualTo("Apple");
        assertThat(device.browser()).isEqualTo("Safari");
        assertThat(device.os()).isEqualTo("iOS");
        assertThat(device.osVersion()).isEqualTo("17");
        assertThat(device.bot()).isFalse();
    }

    @Test
    void chromeOnAndroidIsAPhoneNotABot() {
        Device device = userAgents.parse("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36", Map.of());

        assertThat(device.deviceClass()).isEqualTo("Phone");
        assertThat(device.deviceBrand()).isEqualTo("Google");
        assertThat(device.os()).isEqualTo("Android");
        assertThat(device.bot()).isFalse();
    }

    @Test
    void firefoxOnLinuxIsADesktopBrowser() {
        Device device = userAgents.parse(
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", Map.of());

        assertThat(device.deviceClass()).isEqualTo("Desktop");
        assertThat(device.browser()).isEqualTo("Firefox");
        assertThat(device.browserVersion()).isEqualTo("128");
        assertThat(device.os()).isEqualTo("Linux");
        assertThat(device.bot()).isFalse();
    }

    @Test
    void googlebotIsFlaggedAsBot() {
        Device device = userAgents.parse("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                Map.of());

        assertThat(device.bot()).isTrue();
        assertThat(device.deviceClass()).startsWith("Robot");
    }

    @Test
    void curlIsFlaggedAsBot() {
        assertThat(userAgents.parse("curl/8.5.0", Map.of()).bot()).isTrue();
    }

    @Test
    void clientHintsRevealWindows11BehindAWindows10UserAgent() {
        String ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/99.0.4844.51 Safari/537.36";
        Map<String, String> hints = Map.of(
                "sec-ch-ua", "\" Not A;Brand\";v=\"99\", \"Chromium\";v=\"99\", \"Google Chrome\";v=\"99\"",
                "sec-ch-ua-mobile", "?0",
                "sec-ch-ua-platform", "\"Windows\"",
                "sec-ch-ua-platform-version", "\"14.0.0\"",
                "sec-ch-ua-full-version-list",
                "\" Not A;Brand\";v=\"99.0.0.0\", \"Chromium\";v=\"99.0.4844.51\", \"Google Chrome\";v=\"99.0.4844.51\"");

        assertThat(userAgents.parse(ua, Map.of()).osVersion()).isEqualTo(">=10");
        assertThat(userAgents.parse(ua, hints).osVersion()).isEqualTo("11");
    }

    @Test
    void garbageAndMissingUserAgentsAreUnknownNotErrors() {
        assertThat(userAgents.parse(null, null)).isEqualTo(Device.UNKNOWN);
        assertThat(userAgents.parse("   ", Map.of())).isEqualTo(Device.UNKNOWN);
        assertThat(userAgents.parse("\u0000\uffff((;;))".repeat(2000), Map.of("sec-ch-ua", "\"\"\"")).bot()).isNotNull();
    }

    @Test
    void repeatedUserAgentsAreServedFromTheCache() {
        UserAgents fresh = new UserAgents(10);
        String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0";

        for (int i = 0; i < 4; i++) {
            fresh.parse(ua, Map.of());
        }

        assertThat(fresh.cacheSize()).isEqualTo(1);
        assertThat(fresh.cacheHitRate()).isEqualTo(0.75);
    }
}
