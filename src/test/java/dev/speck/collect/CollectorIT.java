package dev.speck.collect;

import dev.speck.http.Responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.enrich.GeoFixtures;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of hit, over real HTTP, into the real store, read back through the API. */
class CollectorIT {

    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    @TempDir
    static Path temp;
    static RunningSpeck speck;

    @BeforeAll
    static void start() throws Exception {
        Path geo = GeoFixtures.write(temp, "city");
        speck = RunningSpeck.start(temp.resolve("data"), Map.of(
                "collect.trusted-proxies", "127.0.0.1/32",
                "enrich.geo-database", geo.toString()));
    }

    @AfterAll
    static void stop() {
        speck.close();
    }

    private static Pixel pixel(String name) {
        return speck.createPixel(name, List.of());
    }

    @Test
    void imagePixelAnswersTheGifAndStoresAnEnrichedPageView() throws Exception {
        Pixel p = pixel("image");
        HttpResponse<byte[]> r = speck.getBytes("/p/" + p.id() + ".gif?t=Shoes&sr=1920x1080",
                "User-Agent", CHROME_WINDOWS,
                "Referer", "https://shop.example.com/products/shoes?utm_source=newsletter&utm_medium=email&utm_campaign=spring",
                "X-Forwarded-For", "203.0.113.77",
                "Accept-Language", "de-CH,de;q=0.9");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Responses.GIF).hasSize(43);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store").contains("no-cache");

        JsonNode e = speck.awaitEvents(p.id(), 1).get(0);
        assertThat(e.get("kind").asText()).isEqualTo("page_view");
        assertThat(e.get("url").asText()).startsWith("https://shop.example.com/products/shoes");
        assertThat(e.get("path").asText()).isEqualTo("/products/shoes");
        assertThat(e.get("title").asText()).isEqualTo("Shoes");
        assertThat(e.get("screen").asText()).isEqualTo("1920x1080");
        assertThat(e.get("language").asText()).isEqualTo("de-CH");
        assertThat(e.get("browser").asText()).isEqualTo("Chrome");
        assertThat(e.get("os").asText()).isEqualTo("Windows NT");
        assertThat(e.get("device_class").asText()).isEqualTo("Desktop");
        assertThat(e.get("is_bot").asBoolean()).isFalse();
        assertThat(e.get("ip_prefix").asText()).isEqualTo("203.0.113.0");
        assertThat(e.get("country").asText()).isEqualTo("DE");
        assertThat(e.get("city").asText()).isEqualTo("Munich");
        assertThat(e.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(e.get("utm_campaign").asText()).isEqualTo("spring");
        assertThat(e.get("channel").asText()).isEqualTo("email");
        assertThat(e.get("visitor_id").asText()).isNotBlank();
        assertThat(e.toString()).doesNotContain("203.0.113.77");
    }

    @Test
    void imagePixelRecordsGoalsWithValueAndCustomProperties() throws Exception {
        Pixel p = pixel("goal");
        speck.getBytes("/p/" + p.id() + ".gif?k=goal&n=purchase&v=49.9&cur=EUR&p.plan=pro&p.items=3"
                + "&u=https%3A%2F%2Fshop.example.com%2Fcheckout&r=https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dshoes",
                "User-Agent", IPHONE);

        JsonNode e = speck.awaitEvents(p.id(), 1).get(0);
        assertThat(e.get("kind").asText()).isEqualTo("goal");
        assertThat(e.get("name").asText()).isEqualTo("purchase");
        assertThat(e.get("value").asDouble()).isEqualTo(49.9);
        assertThat(e.get("currency").asText()).isEqualTo("EUR");
        assertThat(e.get("props").get("plan").asText()).isEqualTo("pro");
        assertThat(e.get("props").get("items").asText()).isEqualTo("3");
        assertThat(e.get("channel").asText()).isEqualTo("search");
        assertThat(e.get("source").asText()).isEqualTo("Google");
        assertThat(e.get("search_term").asText()).isEqualTo("shoes");
        assertThat(e.get("device_class").asText()).isEqualTo("Phone");
    }

    @Test
    void beaconStoresABatchAndAnswersCorsForAnAllowedOrigin() throws Exception {
        Pixel p = speck.createPixel("beacon", List.of("https://shop.example.com"));
        String body = """
                {"events":[
                  {"type":"page_view","url":"https://shop.example.com/","title":"Home","screen":"390x844","lang":"fr-FR","tz":"Asia/Tokyo"},
                  {"type":"event","name":"video_play","url":"https://shop.example.com/","props":{"video":"intro","seconds":12}},
                  {"type":"goal","name":"signup","value":10,"url":"https://shop.example.com/thanks"}
                ]}""";
        HttpResponse<String> empty = speck.post("/p/" + p.id() + "/events", "", "Origin", "https://shop.example.com");
        HttpResponse<String> r = speck.post("/p/" + p.id() + "/events", body,
                "Content-Type", "text/plain;charset=UTF-8", "Origin", "https://shop.example.com", "User-Agent", IPHONE,
                "X-Forwarded-For", "2001:db8:1234:5678::1");

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("body is empty");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"accepted\":3}");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");

        List<JsonNode> events = speck.awaitEvents(p.id(), 3);
        assertThat(events).extracting(e -> e.get("kind").asText()).containsExactly("page_view", "event", "goal");
        assertThat(events.get(0).get("browser_time_zone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(events.get(0).get("time_zone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(events.get(0).get("language").asText()).isEqualTo("fr-FR");
        assertThat(events.get(0).get("country").asText()).isEqualTo("JP");
        assertThat(events.get(0).get("ip_prefix").asText()).isEqualTo("2001:db8:1234::");
        assertThat(events.get(1).get("props").get("seconds").asText()).isEqualTo("12");
        assertThat(events.get(2).get("value").asDouble()).isEqualTo(10.0);
        assertThat(events).extracting(e -> e.get("visitor_id").asText()).containsOnly(events.get(0).get("visitor_id").asText());
    }

    @Test
    void beaconFromAnOriginThePixelDoesNotAllowIsRefusedAndNotStored() throws Exception {
        Pixel p = speck.createPixel("strict", List.of("https://shop.example.com"));
        double before = speck.metric("speck_hits_rejected_total{reason=\"origin_not_allowed\"}");

        HttpResponse<String> r = speck.post("/p/" + p.id() + "/events", "{\"type\":\"page_view\"}",
                "Origin", "https://evil.example.net");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("not allowed");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"origin_not_allowed\"}")).isEqualTo(before + 1);
        speck.post("/p/" + p.id() + "/events", "{\"type\":\"page_view\",\"url\":\"https://shop.example.com/ok\"}",
                "Origin", "https://shop.example.com");
        assertThat(speck.awaitEvents(p.id(), 1)).singleElement()
                .satisfies(e -> assertThat(e.get("url").asText()).isEqualTo("https://shop.example.com/ok"));
    }

    @Test
    void emailOpenRecordsTheMessageAndTheRecipientToken() throws Exception {
        Pixel p = pixel("email");
        HttpResponse<byte[]> r = speck.getBytes("/o/" + p.id() + ".gif?m=spring-sale&rcpt=abc123",
                "User-Agent", "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)");

        assertThat(r.body()).isEqualTo(Responses.GIF);
        JsonNode e = speck.awaitEvents(p.id(), 1).get(0);
        assertThat(e.get("kind").asText()).isEqualTo("email_open");
        assertThat(e.get("campaign").asText()).isEqualTo("spring-sale");
        assertThat(e.get("recipient").asText()).isEqualTo("abc123");
    }

    @Test
    void trackedLinkRedirectsToItsDestinationAndRecordsTheClick() throws Exception {
        Pixel p = pixel("links");
        HttpResponse<String> created = speck.post("/api/links", """
                {"pixel":"%s","destination":"https://shop.example.com/sale","utm":{"source":"newsletter","medium":"email","campaign":"spring sale"}}
                """.formatted(p.id()), "Content-Type", "application/json");
        assertThat(created.statusCode()).isEqualTo(201);
        String code = RunningSpeck.JSON.readTree(created.body()).get("code").asText();

        HttpResponse<String> click = speck.get("/l/" + code, "Referer", "https://mail.example.org/");

        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).hasValue(
                "https://shop.example.com/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring+sale");
        JsonNode e = speck.awaitEvents(p.id(), 1).get(0);
        assertThat(e.get("kind").asText()).isEqualTo("link_click");
        assertThat(e.get("link").asText()).isEqualTo(code);
        assertThat(e.get("campaign").asText()).isEqualTo("spring sale");
        assertThat(e.has("recipient")).isFalse();
    }

    @Test
    void signedLinkCarriesTheRecipientAndAForgedOneDoesNot() throws Exception {
        Pixel p = pixel("signed");
        String code = RunningSpeck.JSON.readTree(speck.post("/api/links",
                "{\"pixel\":\"" + p.id() + "\",\"destination\":\"https://shop.example.com/\"}").body()).get("code").asText();
        String signed = RunningSpeck.JSON.readTree(speck.post("/api/links/" + code + "/sign",
                "{\"recipient\":\"cust-42\"}").body()).get("url").asText();
        String pathAndQuery = signed.substring(signed.indexOf("/l/"));
        String signature = pathAndQuery.substring(pathAndQuery.indexOf("sig=") + 4);

        assertThat(speck.get(pathAndQuery).statusCode()).isEqualTo(302);
        speck.awaitEvents(p.id(), 1);
        assertThat(speck.get("/l/" + code + "?rcpt=cust-43&sig=" + signature).statusCode()).isEqualTo(302);

        List<JsonNode> events = speck.awaitEvents(p.id(), 2);
        assertThat(events.get(0).get("recipient").asText()).isEqualTo("cust-42");
        assertThat(events.get(1).has("recipient")).isFalse();
    }

    @Test
    void unknownLinkIsNotARedirect() throws Exception {
        HttpResponse<String> r = speck.get("/l/nope123");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void unknownPixelStillGetsTheGifButStoresNothing() throws Exception {
        double before = speck.metric("speck_hits_rejected_total{reason=\"unknown_pixel\"}");
        HttpResponse<byte[]> r = speck.getBytes("/p/doesnotexist.gif");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Responses.GIF);
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"unknown_pixel\"}")).isEqualTo(before + 1);
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = 'doesnotexist'")).isZero();
    }

    @Test
    void readApiCountsEventsAndUniqueVisitorsPerDay() throws Exception {
        Pixel p = pixel("stats");
        for (int i = 0; i < 3; i++) {
            speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fa.example%2F" + i, "User-Agent", CHROME_WINDOWS,
                    "X-Forwarded-For", "198.51.100.1");
        }
        speck.getBytes("/p/" + p.id() + ".gif", "User-Agent", IPHONE, "X-Forwarded-For", "198.51.100.2");
        speck.awaitEvents(p.id(), 4);

        JsonNode stats = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + p.id() + "/stats").body());
        JsonNode today = stats.get("days").get(0);
        assertThat(today.get("day").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(today.get("events").asLong()).isEqualTo(4);
        assertThat(today.get("visitors").asLong()).isEqualTo(2);
    }

    @Test
    void healthAndMetricsDescribeTheCollector() throws Exception {
        HttpResponse<String> health = speck.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
        String metrics = speck.get("/metrics").body();
        assertThat(metrics).contains("speck_hits_accepted_total{kind=\"page_view\"}")
                .contains("speck_hits_rejected_total{reason=\"unknown_pixel\"}")
                .contains("speck_journal_backlog_bytes")
                .contains("speck_store_write_seconds_bucket")
                .containsPattern("speck_store_memory_tag_bytes\\{tag=\"[A-Z_]+\"} [1-9]");
        assertThat(speck.metric("speck_store_memory_bytes")).as("DuckDB holds its tables' blocks").isPositive();
        assertThat(speck.metric("speck_customer_import_uploads")).isZero();
        assertThat(speck.metric("speck_store_events_in_memory")).as("events not yet in the database file")
                .isGreaterThanOrEqualTo(0);
    }

    @Test
    void tagIsServedCompressedAndCacheable() throws Exception {
        Pixel p = pixel("tag");
        HttpResponse<byte[]> r = speck.getBytes("/p/" + p.id() + ".js", "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.body().length).isLessThan(3 * 1024);
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(speck.getBytes("/p/" + p.id() + ".js", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(speck.get("/p/unknown.js").statusCode()).isEqualTo(404);
    }
}
