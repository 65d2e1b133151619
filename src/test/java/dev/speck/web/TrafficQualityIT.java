package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Traffic quality over real HTTP: people, bots and test hits in one report, and an admin's reclassification. */
class TrafficQualityIT {

    static final String TOKEN = "backfill-secret";
    static final String SITE = "https://shop.example.com/";
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Safari/537.36";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " HeadlessChrome/124.0.6367.60 Safari/537.36";
    static final String MONITOR = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Safari/537.36 acme-uptime/2.0";
    static final String GMAIL = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";

    @TempDir
    static Path temp;
    static RunningSpeck speck;
    static final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);

    @BeforeAll
    static void start() throws Exception {
        speck = RunningSpeck.start(temp.resolve("data"), Map.of(
                "collect.trusted-proxies", "127.0.0.1/32",
                "collect.backfill-token", TOKEN));
    }

    @AfterAll
    static void stop() {
        if (speck != null) {
            speck.close();
        }
    }

    private static void hit(Pixel p, long time, String query, String agent, String ip) throws Exception {
        HttpResponse<byte[]> r = speck.getBytes("/p/" + p.id() + ".gif?ts=" + time + "&u="
                        + URLEncoder.encode(SITE, StandardCharsets.UTF_8) + query,
                "User-Agent", agent, "X-Forwarded-For", ip, "X-Speck-Backfill", TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = speck.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return RunningSpeck.JSON.readTree(r.body());
    }

    private static long noon() {
        return day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Test
    void aReportOverPeopleBotsAndTestHitsCountsThePeopleAndSaysWhatItSetApart() throws Exception {
        Pixel shop = speck.createPixel("mixed", List.of());
        long t = noon();
        hit(shop, t++, "", CHROME, "81.2.69.10");
        hit(shop, t++, "&k=event&n=signup", CHROME, "81.2.69.10");
        hit(shop, t++, "", IPHONE, "81.2.69.20");
        hit(shop, t++, "", GOOGLEBOT, "66.249.66.1");
        hit(shop, t++, "&k=event&n=signup", HEADLESS, "198.51.100.5");
        hit(shop, t++, "", "curl/8.5.0", "198.51.100.6");
        hit(shop, t++, "&wd=1", CHROME, "198.51.100.7");
        assertThat(speck.post("/api/pixels/" + shop.id() + "/test", "").statusCode()).isEqualTo(202);
        List<JsonNode> stored = speck.awaitEvents(shop.id(), 8);
        assertThat(stored.stream().map(e -> e.path("verdict").asText()).toList())
                .containsExactlyInAnyOrder("human", "human", "human", "bot", "automation", "server", "automation", "test");
        assertThat(stored.stream().filter(e -> e.path("verdict").asText().equals("bot")).findFirst().orElseThrow()
                .path("verdict_reasons").asText()).startsWith("yauaa:");

        String range = "?from=" + day + "&to=" + LocalDate.now(ZoneOffset.UTC);
        for (int rolled = 0; rolled < 2; rolled++) { // read from the events, then from the rollups
            JsonNode report = json("/api/pixels/" + shop.id() + "/report" + range);
            assertThat(report.get("traffic").asText()).isEqualTo("human");
            assertThat(report.get("visitors").asLong()).as("people only").isEqualTo(2);
            JsonNode signup = report.get("goals").get(0);
            assertThat(signup.get("goal").asText()).isEqualTo("event:signup");
            assertThat(signup.get("achievements").asLong()).isEqualTo(1);
            assertThat(report.get("setApart").get("total").asLong()).isEqualTo(5);
            assertThat(report.get("setApart").get("byVerdict")).isEqualTo(RunningSpeck.JSON.readTree(
                    "{\"automation\":2,\"bot\":1,\"server\":1,\"test\":1}"));
            JsonNode breakdown = json("/api/pixels/" + shop.id() + "/report/breakdown" + range + "&dimension=browser");
            assertThat(breakdown.get("rows").findValuesAsText("value")).doesNotContain("Googlebot");
            speck.app().rollup().runOnce();
        }
        JsonNode others = json("/api/pixels/" + shop.id() + "/report" + range + "&traffic=non-human");
        assertThat(others.get("visitors").asLong()).isEqualTo(5);
        JsonNode all = json("/api/pixels/" + shop.id() + "/report" + range + "&traffic=all");
        assertThat(all.get("visitors").asLong()).isEqualTo(7);
        assertThat(speck.get("/api/pixels/" + shop.id() + "/report" + range + "&traffic=robots").statusCode()).isEqualTo(400);
        JsonNode stats = json("/api/pixels/" + shop.id() + "/stats" + range);
        assertThat(stats.get("days").get(0).get("events").asLong()).isEqualTo(3);
    }

    @Test
    void anAdminRuleChangesAStoredDaysReportAndItsRemovalChangesItBack() throws Exception {
        Pixel site = speck.createPixel("monitored", List.of());
        long t = noon();
        hit(site, t++, "", CHROME, "81.2.69.30");
        hit(site, t++, "", MONITOR, "203.0.113.40");
        hit(site, t++, "", MONITOR, "203.0.113.41");
        speck.awaitEvents(site.id(), 3);
        speck.app().rollup().runOnce();
        String report = "/api/pixels/" + site.id() + "/report?from=" + day + "&to=" + day;
        assertThat(json(report).get("visitors").asLong()).isEqualTo(3);

        HttpResponse<String> created = speck.post("/api/traffic/rules",
                "{\"kind\":\"agent\",\"pattern\":\"ACME-uptime/\",\"verdict\":\"bot\",\"note\":\"our monitor\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = RunningSpeck.JSON.readTree(created.body()).get("id").asText();
        RunningSpeck.await(() -> visitors(report) == 1, "the stored day's report counts the monitor no more");
        RunningSpeck.await(() -> speck.app().trafficHistory().completed() >= 1, "the rollups were rebuilt");
        assertThat(json(report).get("setApart").get("byVerdict").get("bot").asLong()).isEqualTo(2);
        assertThat(speck.count("SELECT count(*) FROM rolled_days WHERE pixel = '" + site.id() + "'")).isEqualTo(1);
        assertThat(json("/api/audit").toString()).contains("traffic-rule.create");

        hit(site, noon() + 10_000, "", MONITOR, "203.0.113.42"); // a new hit: judged by the rule at once
        List<JsonNode> stored = speck.awaitEvents(site.id(), 4);
        assertThat(stored.get(3).get("verdict_reasons").asText()).isEqualTo("rule:" + id);

        HttpResponse<String> addressRule = speck.post("/api/traffic/rules",
                "{\"kind\":\"address\",\"pattern\":\"81.2.69.0/24\",\"verdict\":\"scanner\"}");
        assertThat(addressRule.statusCode()).as(addressRule.body()).isEqualTo(201);
        RunningSpeck.await(() -> visitors(report) == 0, "the address range reaches the stored prefix");

        assertThat(speck.request("DELETE", "/api/traffic/rules/" + id, null).statusCode()).isEqualTo(200);
        assertThat(speck.request("DELETE", "/api/traffic/rules/"
                + RunningSpeck.JSON.readTree(addressRule.body()).get("id").asText(), null).statusCode()).isEqualTo(200);
        RunningSpeck.await(() -> visitors(report) == 4, "the removed rules' hits are people again");
        assertThat(speck.post("/api/traffic/rules", "{\"kind\":\"address\",\"pattern\":\"10.0.0.0/40\",\"verdict\":\"bot\"}")
                .statusCode()).isEqualTo(400);
    }

    private static long visitors(String report) {
        try {
            return json(report).get("visitors").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
