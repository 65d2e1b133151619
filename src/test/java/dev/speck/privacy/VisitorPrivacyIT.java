package dev.speck.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.store.duckdb.DuckDbAccountSettingsRepository;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbPixelRepository;
import dev.speck.store.duckdb.RetentionJob;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consent, GPC, Do Not Track, the account switch, first-party ids and raw IPs, through the real
 * collector, journal, loader and store.
 */
class VisitorPrivacyIT {

    private static final String TOKEN = "backfill-secret";
    private static final String FPID = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

    @TempDir
    static Path temp;
    static RunningSpeck speck;

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
            speck = null; // a static field outlives the class: let the closed app's ~100 MB analyzer go
        }
    }

    @AfterEach
    void restoreAccountDefaults() {
        speck.app().accountSettings().update(AccountSettings.DEFAULTS);
    }

    @Test
    void anonymousRuleRecordsHitsWithoutConsentWithoutAnyIdentifier() throws Exception {
        Pixel pixel = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.FIRST_PARTY,
                VisitorPrivacy.ConsentRule.REQUIRED_ANONYMOUS, true, 395));

        beacon(pixel, "{\"type\":\"page_view\",\"url\":\"https://shop.example/a\"}");
        beacon(pixel, "{\"type\":\"page_view\",\"url\":\"https://shop.example/b\",\"consent\":\"denied\",\"fpid\":\"" + FPID + "\"}");
        gif("/o/" + pixel.id() + ".gif?m=news&rcpt=rcpt-token-1");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 3);

        assertThat(events).hasSize(3).allSatisfy(e -> {
            assertThat(absent(e, "visitor_id")).as("visitor id of %s", e).isTrue();
            assertThat(absent(e, "ip_prefix")).as("ip prefix of %s", e).isTrue();
            assertThat(absent(e, "raw_ip")).isTrue();
            assertThat(absent(e, "recipient")).as("recipient of %s", e).isTrue();
        });
        assertThat(events.get(0).path("browser").asText()).as("what is not an identifier stays").isNotEmpty();
    }

    @Test
    void dropRuleRecordsNothingWithoutConsentAndCountsIt() throws Exception {
        Pixel pixel = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.REQUIRED_DROP, true, 395));
        double before = notRecorded("no_consent");

        HttpResponse<String> denied = beacon(pixel, "{\"type\":\"event\",\"name\":\"denied\",\"consent\":\"denied\"}");
        gif("/p/" + pixel.id() + ".gif?k=event&n=no_consent_given");
        gif("/p/" + pixel.id() + ".gif?k=event&n=granted&consent=granted");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 1);

        assertThat(denied.statusCode()).isEqualTo(202);
        assertThat(events).extracting(e -> e.path("name").asText()).containsExactly("granted");
        assertThat(events.get(0).path("visitor_id").asText()).isNotEmpty();
        assertThat(notRecorded("no_consent") - before).isEqualTo(2);
    }

    @Test
    void consentGrantedAfterDenialStartsIdentifyingByTheFirstPartyId() throws Exception {
        Pixel pixel = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.FIRST_PARTY,
                VisitorPrivacy.ConsentRule.REQUIRED_ANONYMOUS, true, 395));

        beacon(pixel, "{\"type\":\"event\",\"name\":\"before\",\"consent\":\"denied\"}");
        beacon(pixel, "{\"type\":\"event\",\"name\":\"after\",\"consent\":\"granted\",\"fpid\":\"" + FPID + "\"}");
        beacon(pixel, "{\"type\":\"event\",\"name\":\"again\",\"consent\":\"granted\",\"fpid\":\"" + FPID + "\"}",
                "User-Agent", "another browser, same stored id");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 3);

        assertThat(absent(events.get(0), "visitor_id")).isTrue();
        String visitor = events.get(1).path("visitor_id").asText();
        assertThat(visitor).startsWith("f").hasSize(17).doesNotContain(FPID);
        assertThat(events.get(2).path("visitor_id").asText()).as("the id, not IP and user agent, tells the visitor")
                .isEqualTo(visitor);
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE list_contains(map_values(props), '" + FPID
                + "') OR visitor_id = '" + FPID + "'")).as("the raw first-party id is stored nowhere").isZero();
    }

    @Test
    void aCookielessPixelIgnoresAFirstPartyIdEvenWithConsent() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.DEFAULTS);

        beacon(pixel, "{\"type\":\"event\",\"name\":\"one\",\"consent\":\"granted\",\"fpid\":\"" + FPID + "\"}");
        beacon(pixel, "{\"type\":\"event\",\"name\":\"two\",\"consent\":\"granted\",\"fpid\":\"" + FPID + "\"}",
                "User-Agent", "another browser");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 2);

        // a cookieless id is 16 characters; a first-party one is "f" and 16 more (a cookieless id may start with "f")
        assertThat(events.get(0).path("visitor_id").asText()).hasSize(16)
                .isNotEqualTo(events.get(1).path("visitor_id").asText());
    }

    @Test
    void globalPrivacyControlRecordsNothingAtAll() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.DEFAULTS);
        double before = notRecorded("gpc");
        double accepted = speck.metric("speck_hits_accepted_total{kind=\"page_view\"}");

        HttpResponse<byte[]> image = gif("/p/" + pixel.id() + ".gif", "Sec-GPC", "1");
        HttpResponse<String> beacon = beacon(pixel, "{\"type\":\"page_view\",\"consent\":\"granted\"}", "Sec-GPC", "1");
        gif("/p/" + pixel.id() + ".gif?k=event&n=marker");
        speck.awaitEvents(pixel.id(), 1);

        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(beacon.statusCode()).isEqualTo(204);
        assertThat(speck.events(pixel.id())).extracting(e -> e.path("name").asText()).containsExactly("marker");
        assertThat(notRecorded("gpc") - before).isEqualTo(2);
        assertThat(speck.metric("speck_hits_accepted_total{kind=\"page_view\"}")).isEqualTo(accepted);
    }

    @Test
    void doNotTrackIsHonouredPerPixelSetting() throws Exception {
        Pixel honours = pixel(VisitorPrivacy.DEFAULTS);
        Pixel ignores = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, false, 395));
        double before = notRecorded("dnt");

        gif("/p/" + honours.id() + ".gif?k=event&n=dnt", "DNT", "1");
        gif("/p/" + ignores.id() + ".gif?k=event&n=dnt", "DNT", "1");
        gif("/p/" + honours.id() + ".gif?k=event&n=marker");

        assertThat(speck.awaitEvents(ignores.id(), 1)).extracting(e -> e.path("name").asText()).containsExactly("dnt");
        assertThat(speck.awaitEvents(honours.id(), 1)).extracting(e -> e.path("name").asText()).containsExactly("marker");
        assertThat(notRecorded("dnt") - before).isEqualTo(1);
    }

    @Test
    void accountSwitchOffAnswersEveryHitButRecordsNothingAndCountsIt() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.DEFAULTS);
        String link = RunningSpeck.JSON.readTree(speck.post("/api/links",
                "{\"pixel\":\"" + pixel.id() + "\",\"destination\":\"https://shop.example/sale\"}").body()).path("code").asText();
        double before = notRecorded("pixels_off");

        HttpResponse<String> off = speck.request("PUT", "/api/settings", "{\"pixelsEnabled\":false}");
        HttpResponse<byte[]> image = gif("/p/" + pixel.id() + ".gif?k=event&n=while_off");
        HttpResponse<String> beacon = beacon(pixel, "{\"type\":\"event\",\"name\":\"while_off\"}");
        HttpResponse<String> click = speck.get("/l/" + link);
        HttpResponse<byte[]> open = gif("/o/" + pixel.id() + ".gif?m=news");
        speck.request("PUT", "/api/settings", "{\"pixelsEnabled\":true}");
        gif("/p/" + pixel.id() + ".gif?k=event&n=back_on");

        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(RunningSpeck.JSON.readTree(off.body()).path("pixelsEnabled").asBoolean()).isFalse();
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(beacon.statusCode()).isEqualTo(204);
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).hasValue("https://shop.example/sale");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(speck.awaitEvents(pixel.id(), 1)).extracting(e -> e.path("name").asText()).containsExactly("back_on");
        assertThat(notRecorded("pixels_off") - before).isEqualTo(4);
    }

    @Test
    void firstPartyIdsKeepTheVisitorAcrossDaysWhileCookielessIdsDoNot() throws Exception {
        Pixel firstParty = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.FIRST_PARTY,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 395));
        Pixel cookieless = pixel(VisitorPrivacy.DEFAULTS);
        long yesterday = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
        long today = Instant.now().toEpochMilli();

        for (long ts : new long[]{yesterday, today}) {
            gif("/p/" + firstParty.id() + ".gif?consent=granted&fpid=" + FPID + "&ts=" + ts, "X-Speck-Backfill", TOKEN);
            gif("/p/" + cookieless.id() + ".gif?ts=" + ts, "X-Speck-Backfill", TOKEN);
        }
        List<JsonNode> fp = speck.awaitEvents(firstParty.id(), 2);
        List<JsonNode> cl = speck.awaitEvents(cookieless.id(), 2);

        assertThat(fp.get(0).path("visitor_id").asText()).isNotEmpty().isEqualTo(fp.get(1).path("visitor_id").asText());
        assertThat(cl.get(0).path("visitor_id").asText()).isNotEmpty().isNotEqualTo(cl.get(1).path("visitor_id").asText());
        JsonNode stats = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + firstParty.id() + "/stats").body());
        assertThat(stats.path("identity").path("mode").asText()).isEqualTo("first-party");
        assertThat(stats.path("identity").path("uniqueVisitors").asText()).contains("first-party id");
        JsonNode report = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + cookieless.id() + "/report").body());
        assertThat(report.path("identity").path("uniqueVisitors").asText()).isEqualTo("unique visitors per day (cookieless)");
    }

    @Test
    void rawIpsAreKeptOnlyWhileSwitchedOnAndClearedOnSchedule() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.DEFAULTS);

        gif("/p/" + pixel.id() + ".gif?k=event&n=off", "X-Forwarded-For", "198.51.100.23");
        speck.awaitEvents(pixel.id(), 1);
        HttpResponse<String> on = speck.request("PUT", "/api/settings", "{\"keepRawIp\":true,\"rawIpRetentionDays\":7}");
        gif("/p/" + pixel.id() + ".gif?k=event&n=on", "X-Forwarded-For", "198.51.100.23");
        List<JsonNode> events = speck.awaitEvents(pixel.id(), 2);

        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(absent(events.get(0), "raw_ip")).isTrue();
        assertThat(events.get(1).path("raw_ip").asText()).isEqualTo("198.51.100.23");
        assertThat(events.get(1).path("ip_prefix").asText()).isEqualTo("198.51.100.0");

        speck.app().retention().runOnce(Instant.now().plus(Duration.ofDays(6)));
        assertThat(rawIps(pixel)).as("within the raw-IP retention").isEqualTo(1);
        speck.app().retention().runOnce(Instant.now().plus(Duration.ofDays(8)));
        assertThat(rawIps(pixel)).as("after the raw-IP retention").isZero();
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + pixel.id() + "'")).isEqualTo(2);
    }

    @Test
    void switchingRawIpsOffClearsThoseAlreadyKept() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.DEFAULTS);
        speck.request("PUT", "/api/settings", "{\"keepRawIp\":true}");
        gif("/p/" + pixel.id() + ".gif", "X-Forwarded-For", "198.51.100.24");
        speck.awaitEvents(pixel.id(), 1);
        assertThat(rawIps(pixel)).isEqualTo(1);

        speck.request("PUT", "/api/settings", "{\"keepRawIp\":false}");
        speck.app().retention().runOnce(Instant.now());

        assertThat(rawIps(pixel)).isZero();
    }

    @Test
    void retentionDeletesExactlyTheDaysOlderThanThePixelKeeps() throws Exception {
        Pixel kept30 = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 30));
        Pixel forever = pixel(new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 0));
        speck.post("/api/pixels/" + kept30.id() + "/goals",
                "{\"name\":\"Signup\",\"rule\":{\"type\":\"event\",\"name\":\"signup\"},\"value\":{\"type\":\"fixed\",\"amount\":10}}");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int[] daysAgo = {40, 31, 30, 29, 1};
        for (int ago : daysAgo) {
            long ts = today.minusDays(ago).atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            gif("/p/" + kept30.id() + ".gif?k=event&n=signup&ts=" + ts, "X-Speck-Backfill", TOKEN);
            gif("/p/" + forever.id() + ".gif?k=event&n=signup&ts=" + ts, "X-Speck-Backfill", TOKEN);
        }
        speck.awaitEvents(kept30.id(), 5);
        speck.awaitEvents(forever.id(), 5);
        speck.app().rollup().runOnce();
        assertThat(speck.count("SELECT count(*) FROM visitor_days WHERE pixel = '" + kept30.id() + "'")).isEqualTo(5);
        double before = speck.metric("speck_retention_deleted_rows_total{table=\"events\"}");

        RetentionJob.Deleted deleted = speck.app().retention().runOnce(Instant.now());

        String days = "SELECT list(CAST(time AS DATE) ORDER BY time)::VARCHAR FROM visible.events WHERE pixel = ";
        assertThat(dates(days + "'" + kept30.id() + "'")).as("the first kept day is 30 days ago")
                .isEqualTo(List.of(today.minusDays(30), today.minusDays(29), today.minusDays(1)).toString());
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + forever.id() + "'")).isEqualTo(5);
        assertThat(speck.count("SELECT count(*) FROM visible.goal_achievements WHERE pixel = '" + kept30.id() + "'")).isEqualTo(3);
        assertThat(speck.count("SELECT count(*) FROM visitor_days WHERE pixel = '" + kept30.id() + "'")).isEqualTo(3);
        assertThat(speck.count("SELECT count(*) FROM goal_visitor_days WHERE pixel = '" + kept30.id()
                + "' AND day < DATE '" + today.minusDays(30) + "'")).isZero();
        assertThat(deleted.events()).isEqualTo(2);
        assertThat(deleted.achievements()).isEqualTo(2);
        assertThat(speck.metric("speck_retention_deleted_rows_total{table=\"events\"}") - before).isEqualTo(2);
    }

    @Test
    void pixelPrivacyIsSetThroughTheApiAndBadValuesGetClearErrors() throws Exception {
        JsonNode created = RunningSpeck.JSON.readTree(speck.post("/api/pixels",
                "{\"name\":\"Shop\",\"privacy\":{\"identity\":\"first-party\",\"consent\":\"required-drop\"}}").body());
        String id = created.path("id").asText();

        HttpResponse<String> patched = speck.request("PATCH", "/api/pixels/" + id,
                "{\"privacy\":{\"retentionDays\":90,\"honourDoNotTrack\":false}}");
        HttpResponse<String> badMode = speck.request("PATCH", "/api/pixels/" + id, "{\"privacy\":{\"identity\":\"cookies\"}}");
        HttpResponse<String> badDays = speck.request("PATCH", "/api/pixels/" + id, "{\"privacy\":{\"retentionDays\":-1}}");
        HttpResponse<String> unknown = speck.request("PATCH", "/api/pixels/" + id, "{\"privacy\":{\"ttl\":3}}");

        assertThat(created.path("privacy").path("identity").asText()).isEqualTo("first-party");
        assertThat(created.path("optOut").path("url").asText()).endsWith("/privacy/opt-out");
        JsonNode privacy = RunningSpeck.JSON.readTree(patched.body()).path("privacy");
        assertThat(privacy.path("identity").asText()).isEqualTo("first-party");
        assertThat(privacy.path("consent").asText()).isEqualTo("required-drop");
        assertThat(privacy.path("retentionDays").asInt()).isEqualTo(90);
        assertThat(privacy.path("honourDoNotTrack").asBoolean()).isFalse();
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(RunningSpeck.JSON.readTree(badMode.body()).path("error").asText())
                .contains("Valid values are: cookieless, first-party");
        assertThat(badDays.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(speck.app().pixels().pixel(id).privacy())
                .isEqualTo(new VisitorPrivacy(VisitorPrivacy.IdentityMode.FIRST_PARTY,
                        VisitorPrivacy.ConsentRule.REQUIRED_DROP, false, 90));
    }

    @Test
    void settingsRefuseBadInputAndKeepWhatWasStored() throws Exception {
        HttpResponse<String> get = speck.get("/api/settings");
        HttpResponse<String> notBool = speck.request("PUT", "/api/settings", "{\"pixelsEnabled\":\"no\"}");
        HttpResponse<String> tooLong = speck.request("PUT", "/api/settings", "{\"rawIpRetentionDays\":4000}");
        HttpResponse<String> unknown = speck.request("PUT", "/api/settings", "{\"keepRawIps\":true}");
        HttpResponse<String> notJson = speck.request("PUT", "/api/settings", "[1,2");
        HttpResponse<String> post = speck.post("/api/settings", "{}");

        assertThat(RunningSpeck.JSON.readTree(get.body()).path("pixelsEnabled").asBoolean()).isTrue();
        assertThat(RunningSpeck.JSON.readTree(get.body()).path("keepRawIp").asBoolean()).isFalse();
        for (HttpResponse<String> r : List.of(notBool, tooLong, unknown, notJson)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(RunningSpeck.JSON.readTree(r.body()).path("error").asText()).isNotEmpty();
        }
        // a method the access policy does not list for the path is refused before any route runs
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, OPTIONS");
        assertThat(speck.app().accountSettings().get()).isEqualTo(AccountSettings.DEFAULTS);
    }

    @Test
    void theOptOutPageIsStrictAndRefusesForeignOrMalformedPosts() throws Exception {
        HttpResponse<String> page = speck.get("/privacy/opt-out");
        HttpResponse<String> optedOut = speck.get("/privacy/opt-out", "Cookie", "a=b; speck_optout=1");
        HttpResponse<String> foreign = speck.post("/privacy/opt-out", "choice=out",
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example");
        HttpResponse<String> bad = speck.post("/privacy/opt-out", "choice=maybe",
                "Content-Type", "application/x-www-form-urlencoded");
        HttpResponse<String> out = speck.post("/privacy/opt-out", "choice=out",
                "Content-Type", "application/x-www-form-urlencoded", "Origin", speck.base());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("form-action 'self'").doesNotContain("script-src"));
        assertThat(page.body()).contains("data-state=\"in\"").doesNotContain("<script");
        assertThat(optedOut.body()).contains("data-state=\"out\"");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(RunningSpeck.JSON.readTree(bad.body()).path("error").asText()).contains("out or in");
        assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).startsWith("speck_optout=1;").contains("Max-Age=63072000").contains("HttpOnly"));
    }

    /** Consent and the first-party id are optional fields: a bad one is dropped (counted), the hit kept without it. */
    @Test
    void aConsentThatIsNeitherGrantedNorDeniedIsDroppedAndTheHitKept() throws Exception {
        Pixel pixel = pixel(VisitorPrivacy.DEFAULTS);
        double malformed = speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}");

        HttpResponse<String> beacon = beacon(pixel, "{\"type\":\"page_view\",\"consent\":\"yes\"}");
        HttpResponse<byte[]> image = gif("/p/" + pixel.id() + ".gif?consent=granted&fpid=not+an+id");

        assertThat(beacon.statusCode()).as(beacon.body()).isEqualTo(202);
        assertThat(image.statusCode()).isEqualTo(200);
        speck.awaitEvents(pixel.id(), 2);
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}")).isEqualTo(malformed);
        assertThat(speck.metric("speck_hit_fields_dropped_total{field=\"consent\",reason=\"malformed\"}")).isPositive();
        assertThat(speck.metric("speck_hit_fields_dropped_total{field=\"fpid\",reason=\"malformed\"}")).isPositive();
    }

    @Test
    void theOpenApiDocumentDescribesThePrivacyRoutes() throws Exception {
        JsonNode doc = RunningSpeck.JSON.readTree(speck.get("/api/openapi.json").body());

        assertThat(doc.path("paths").fieldNames()).toIterable().contains("/api/settings", "/privacy/opt-out");
        assertThat(doc.path("components").path("schemas").path("VisitorPrivacy").path("properties").fieldNames())
                .toIterable().containsExactlyInAnyOrder("identity", "consent", "honourDoNotTrack", "retentionDays");
    }

    @Test
    void aDataFolderFromBeforePrivacySettingsGetsTheDefaults(@TempDir Path old) throws Exception {
        Files.createDirectories(old);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + old.resolve("speck.duckdb"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE pixels (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, enabled BOOLEAN NOT NULL, "
                    + "allowed_origins VARCHAR[] NOT NULL, goals VARCHAR NOT NULL, created TIMESTAMP NOT NULL)");
            st.execute("INSERT INTO pixels VALUES ('oldpixel', 'Old', TRUE, [], '[]', TIMESTAMP '2026-01-01 00:00:00')");
        }

        // The store alone, as SpeckApp opens it: a second whole Speck would build a second user-agent analyzer.
        try (DuckDbDatabase upgraded = DuckDbDatabase.open(old, "64MB", 1)) {
            assertThat(new DuckDbPixelRepository(upgraded).loadPixels()).singleElement()
                    .satisfies(p -> assertThat(p.privacy()).isEqualTo(VisitorPrivacy.DEFAULTS));
            assertThat(new AccountSettingsRegistry(new DuckDbAccountSettingsRepository(upgraded)).get())
                    .isEqualTo(AccountSettings.DEFAULTS);
        }
    }

    /** The read API leaves out null fields. */
    private static boolean absent(JsonNode event, String field) {
        return event.path(field).isMissingNode() || event.path(field).isNull();
    }

    private static String dates(String sql) throws Exception {
        try (var c = speck.app().database().connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long rawIps(Pixel pixel) throws Exception {
        return speck.count("SELECT count(*) FROM visible.events WHERE raw_ip IS NOT NULL AND pixel = '" + pixel.id() + "'");
    }

    private static Pixel pixel(VisitorPrivacy privacy) {
        Pixel p = speck.createPixel("privacy", List.of());
        return speck.app().pixels().save(new Pixel(p.id(), p.name(), true, List.of(), p.created(), privacy));
    }

    private static double notRecorded(String reason) throws Exception {
        return speck.metric("speck_hits_not_recorded_total{reason=\"" + reason + "\"}");
    }

    private static HttpResponse<byte[]> gif(String pathAndQuery, String... headers) throws Exception {
        return speck.getBytes(pathAndQuery, withUserAgent(headers));
    }

    private static HttpResponse<String> beacon(Pixel pixel, String event, String... headers) throws Exception {
        return speck.post("/p/" + pixel.id() + "/events", "{\"events\":[" + event + "]}", withUserAgent(headers));
    }

    /** A browser's user agent unless the test names another. */
    private static String[] withUserAgent(String[] headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equals("User-Agent")) {
                return headers;
            }
        }
        String[] all = new String[headers.length + 2];
        all[0] = "User-Agent";
        all[1] = CHROME;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }
}
