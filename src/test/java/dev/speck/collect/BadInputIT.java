package dev.speck.collect;

import dev.speck.hit.HitKind;
import dev.speck.hit.Rejection;
import dev.speck.http.HttpServer;
import dev.speck.http.Responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.TrackedLink;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, oversized and hostile requests against the real server: an image request always gets
 * the GIF, a JSON endpoint a 4xx that says what is wrong, every refusal is counted under its reason,
 * and only the valid hits sent in between are stored.
 */
class BadInputIT {

    @TempDir
    static Path dataDir;
    private static RunningSpeck speck;

    private String pixel;
    private final List<String> validIds = new ArrayList<>();

    @BeforeAll
    static void startSpeck() throws Exception {
        speck = RunningSpeck.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopSpeck() {
        speck.close();
    }

    @BeforeEach
    void newPixel() {
        pixel = speck.createPixel("bad input", List.of()).id();
    }

    // ---------------------------------------------------------------- image requests

    @Test
    void malformedQueryStringsGetTheGifAndAreCountedAsMalformed() throws Exception {
        for (String query : List.of(
                "k=%zz",                                  // a required part that is not a percent escape
                "k=event&n=%C3%28",                       // a required name that is not UTF-8
                "k=event&n=a%00b",                        // NUL
                "k=event&n=%0D%0A%E2%80%AE",              // a name of nothing but control characters
                "k=goal&n=buy&v=%",                       // a goal's value cut off
                "k=nope",
                "k=email_open",                           // only the email pixel records opens
                "k=event",                                // an event needs a name
                "k=goal&n=buy&v=NaN",                     // a goal's value is what it counts: required to be right
                "k=goal&n=buy&v=1e300",
                "k=goal&n=buy&v=abc",
                "k=goal&n=buy&v=5&cur=euro")) {
            imageRefused("/p/" + pixel + ".gif?" + query, Rejection.MALFORMED_REQUEST);
            sendValidHit();
        }
        // A literal space ends the request target: the request line itself is malformed.
        imageRefused("/p/" + pixel + ".gif?tz=Europe Berlin", Rejection.MALFORMED_REQUEST);
        sendValidHit();

        assertStoredAreExactlyTheValidHits();
    }

    /** A bad optional field costs only itself: the hit is stored without it, and the drop is counted. */
    @Test
    void aBadOptionalFieldOnTheImagePixelIsDroppedAndTheHitKept() throws Exception {
        String[][] cases = {
                // query, field, reason
                {"r=android-app%3A%2F%2F", "referrer", "not_a_url"},
                {"r=file%3A%2F%2F%2Fetc%2Fpasswd", "referrer", "not_a_url"},
                {"u=javascript%3Aalert(1)", "url", "not_a_url"},
                {"tz=%2B05%3A00", "tz", "malformed"},
                {"tz=Europe+Berlin", "tz", "malformed"},
                {"sr=abc", "screen", "malformed"},
                {"lang=%21%21", "lang", "malformed"},
                {"consent=maybe", "consent", "malformed"},
                {"consent=granted&fpid=short", "fpid", "malformed"},
                {"k=event&n=buy&v=abc", "value", "malformed"},
                {"k=event&n=buy&v=NaN", "value", "malformed"},
                {"k=event&n=buy&v=5&cur=euro", "currency", "malformed"},
                {"p.=x", "props", "malformed"},
                {"t=%C3%28", "title", "not_utf8"},
                {"t=a%00b", "title", "malformed"},
                {"tz=%FF", "tz", "not_utf8"},
                {"k=event&n=buy&p.a=%zz", "props", "malformed"},
                {"k=event&n=buy&p.x=%", "props", "malformed"},
                {"k=event&n=buy&p.%zz=1", "props", "malformed"},
                {"k=event&n=buy&p.%0D%0A=1", "props", "malformed"},
                {"k=event&n=buy&v=%C3%28", "value", "not_utf8"}};
        for (String[] c : cases) {
            double dropped = dropped(c[1], c[2]);
            Counts before = Counts.now();
            String id = "kept-" + validIds.size();
            assertGif(RawHttp.once(port(), "GET", "/p/" + pixel + ".gif?" + c[0] + "&p.id=" + id, "", null));
            validIds.add(id);
            before.assertNoneRose();
            assertThat(dropped(c[1], c[2])).as(c[0]).isEqualTo(dropped + 1);
        }
        assertStoredAreExactlyTheValidHits();
    }

    @Test
    void anAppReferrerIsKeptAndNamedAsTheSource() throws Exception {
        double dropped = dropped("referrer", "not_a_url");
        assertGif(RawHttp.once(port(), "GET", "/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example%2F"
                + "&r=android-app%3A%2F%2Fcom.google.android.gm%2F&tz=%2B05%3A00&sr=abc", "", null));
        JsonNode e = speck.awaitEvents(pixel, 1).get(0);
        assertThat(e.get("referrer").asText()).isEqualTo("android-app://com.google.android.gm/");
        assertThat(e.get("source").asText()).isEqualTo("Gmail");
        assertThat(e.get("channel").asText()).isEqualTo("email");
        assertThat(e.hasNonNull("screen")).as("the bad screen dropped").isFalse();
        assertThat(dropped("referrer", "not_a_url")).isEqualTo(dropped);
    }

    @Test
    void aBadOptionalFieldInABeaconIsDroppedAndTheEventKept() throws Exception {
        String[][] cases = {
                // event fields after the type and name, field, reason
                {"\"referrer\":\"javascript:alert(1)\"", "referrer", "not_a_url"},
                {"\"url\":\"ftp://shop.example/\"", "url", "not_a_url"},
                {"\"tz\":\"+05:00\"", "tz", "malformed"},
                {"\"tz\":5", "tz", "wrong_type"},
                {"\"screen\":\"big\"", "screen", "malformed"},
                {"\"lang\":\"en_US\"", "lang", "malformed"},
                {"\"consent\":\"maybe\"", "consent", "malformed"},
                {"\"consent\":\"granted\",\"fpid\":\"short\"", "fpid", "malformed"},
                {"\"value\":\"ten\"", "value", "wrong_type"},
                {"\"value\":5,\"currency\":\"euro\"", "currency", "malformed"},
                {"\"title\":[\"a\"]", "title", "wrong_type"},
                {"\"identity\":\"someone\"", "identity", "wrong_type"},
                {"\"props\":{\"a\":{\"b\":1}}", "props", "wrong_type"}};
        for (String[] c : cases) {
            double dropped = dropped(c[1], c[2]);
            Counts before = Counts.now();
            String id = "kept-" + validIds.size();
            String event = "{\"type\":\"event\",\"name\":\"ok\"," + c[0] + ",\"props\":{\"id\":\"" + id + "\"}}";
            if (c[1].equals("props")) {
                event = "{\"type\":\"event\",\"name\":\"ok\",\"props\":{\"id\":\"" + id + "\",\"a\":{\"b\":1}}}";
            }
            RawHttp.Response r = RawHttp.once(port(), "POST", "/p/" + pixel + "/events",
                    "Content-Type: text/plain\r\n", event.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(c[0] + ": " + r.text()).isEqualTo(202);
            validIds.add(id);
            before.assertNoneRose();
            assertThat(dropped(c[1], c[2])).as(c[0]).isEqualTo(dropped + 1);
        }
        assertStoredAreExactlyTheValidHits();
    }

    @Test
    void unknownAndDisabledPixelsGetTheGifAndStoreNothing() throws Exception {
        Pixel disabled = speck.createPixel("disabled", List.of());
        speck.app().pixels().save(new Pixel(disabled.id(), disabled.name(), false, List.of(),
                disabled.created()));

        imageRefused("/p/nope.gif?k=event&n=buy", Rejection.UNKNOWN_PIXEL);
        sendValidHit();
        imageRefused("/p/%zz.gif", Rejection.UNKNOWN_PIXEL);
        sendValidHit();
        imageRefused("/o/nope.gif?m=newsletter", Rejection.UNKNOWN_PIXEL);
        sendValidHit();
        imageRefused("/p/" + disabled.id() + ".gif?k=event&n=buy", Rejection.DISABLED_PIXEL);
        sendValidHit();
        imageRefused("/o/" + disabled.id() + ".gif?m=newsletter", Rejection.DISABLED_PIXEL);
        sendValidHit();
        beaconRefused("nope", "{\"type\":\"event\",\"name\":\"buy\"}", 404, "unknown pixel", Rejection.UNKNOWN_PIXEL);
        sendValidHit();
        beaconRefused(disabled.id(), "{\"type\":\"event\",\"name\":\"buy\"}", 403, "disabled",
                Rejection.DISABLED_PIXEL);
        sendValidHit();

        assertStoredAreExactlyTheValidHits();
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel IN ('nope', '" + disabled.id() + "')"))
                .isZero();
    }

    @Test
    void oversizedImageRequestsGetTheGifAndAreCountedAsTooLarge() throws Exception {
        imageRefused("/p/" + pixel + ".gif?k=event&n=buy&t=" + "x".repeat(10 * 1024), Rejection.TOO_LARGE);
        sendValidHit();
        Counts before = Counts.now();
        RawHttp.Response huge = RawHttp.once(port(), "GET", "/p/" + pixel + ".gif?k=event&n=buy",
                "X-Padding: " + "y".repeat(20 * 1024) + "\r\n", null);
        assertGif(huge);
        before.assertOnlyRose(Rejection.TOO_LARGE);
        sendValidHit();
        StringBuilder props = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            props.append("&p.k").append(i).append("=v");
        }
        imageRefused("/p/" + pixel + ".gif?k=event&n=buy" + props, Rejection.TOO_LARGE);
        sendValidHit();
        imageRefused("/p/" + pixel + ".gif?t=" + "t".repeat(CollectSettings.MAX_TITLE + 1), Rejection.TOO_LARGE);
        sendValidHit();
        Counts beforeBody = Counts.now();
        assertGif(RawHttp.once(port(), "GET", "/p/" + pixel + ".gif?k=event&n=buy", "",
                new byte[HttpServer.MAX_BODY + 1]));
        beforeBody.assertOnlyRose(Rejection.TOO_LARGE);
        sendValidHit();

        assertStoredAreExactlyTheValidHits();
    }

    // ---------------------------------------------------------------- beacons (JSON)

    @Test
    void brokenBeaconsGetA4xxThatSaysWhatIsWrong() throws Exception {
        beaconRefused(pixel, "{\"type\": \"event\", \"name\":", 400, "not valid JSON", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "", 400, "body is empty", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "\"page_view\"", 400, "body must be a JSON event", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "[]", 400, "no events", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "[1, 2]", 400, "event 0: an event must be a JSON object", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "{\"type\":\"goal\",\"name\":\"buy\",\"value\":\"ten\"}", 400,
                "value must be a number", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "{\"type\":\"nope\"}", 400, "unknown hit type 'nope'", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "{\"type\":\"event\",\"name\":42}", 400, "name must be a string",
                Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "{\"type\":\"goal\",\"name\":\"buy\",\"value\":1e300}", 400, "finite number",
                Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "{\"type\":\"goal\",\"name\":\"buy\",\"value\":5,\"currency\":\"euro\"}", 400,
                "ISO 4217", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "{\"type\":\"event\",\"type\":\"goal\",\"name\":\"buy\"}", 400, "duplicate field 'type'",
                Rejection.MALFORMED_REQUEST);
        sendValidHit();
        beaconRefused(pixel, "[[[[[[[[[[[[1]]]]]]]]]]]]", 400, "nests deeper than 8 levels", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        byte[] notUtf8 = "{\"type\":\"event\",\"name\":\"b\u00ffy\"}".getBytes(StandardCharsets.ISO_8859_1);
        beaconRefused(pixel, notUtf8, 400, "name is not valid UTF-8", Rejection.MALFORMED_REQUEST);
        sendValidHit();
        // A batch is checked whole: one bad event and none of the good ones before it is stored.
        beaconRefused(pixel, "[" + validEvent("batch-0") + "," + validEvent("batch-1") + ",{\"type\":\"nope\"}]",
                400, "event 2: unknown hit type", Rejection.MALFORMED_REQUEST);
        sendValidBeacon();

        assertStoredAreExactlyTheValidHits();
    }

    @Test
    void oversizedBeaconsGet413Or431AndAreCountedAsTooLarge() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            batch.append(i == 0 ? "" : ",").append(validEvent("too-many-" + i));
        }
        beaconRefused(pixel, batch.append(']').toString(), 413, "at most 50 events", Rejection.TOO_LARGE);
        sendValidBeacon();
        StringBuilder props = new StringBuilder("{\"type\":\"event\",\"name\":\"buy\",\"props\":{");
        for (int i = 0; i < 100; i++) {
            props.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        beaconRefused(pixel, props.append("}}").toString(), 413, "more than 30 properties", Rejection.TOO_LARGE);
        sendValidBeacon();
        String big = "{\"type\":\"event\",\"name\":\"buy\",\"title\":\"" + "x".repeat(70 * 1024) + "\"}";
        beaconRefused(pixel, big, 413, "larger than 65536 bytes", Rejection.TOO_LARGE);
        sendValidBeacon();
        try (RawHttp kept = new RawHttp(port())) {
            Counts before = Counts.now();
            assertJsonError(kept.send("POST", "/p/" + pixel + "/events", "Content-Type: application/json\r\n",
                    big.getBytes(StandardCharsets.UTF_8)), 413, "larger than 65536 bytes");
            before.assertOnlyRose(Rejection.TOO_LARGE);
            // The rest of the body was skipped: the kept-alive connection still carries the next beacon.
            String id = "valid-" + validIds.size();
            RawHttp.Response next = kept.send("POST", "/p/" + pixel + "/events", "Content-Type: text/plain\r\n",
                    validEvent(id).getBytes(StandardCharsets.UTF_8));
            assertThat(next.status()).as(next.text()).isEqualTo(202);
            validIds.add(id);
        }
        try (RawHttp kept = new RawHttp(port())) {
            // no stated length: the limit holds as the chunks arrive, not only from Content-Length
            Counts before = Counts.now();
            assertJsonError(kept.sendChunked("POST", "/p/" + pixel + "/events", "Content-Type: application/json\r\n",
                    big.getBytes(StandardCharsets.UTF_8), 8192), 413, "larger than 65536 bytes");
            before.assertOnlyRose(Rejection.TOO_LARGE);
            String id = "valid-" + validIds.size();
            RawHttp.Response next = kept.sendChunked("POST", "/p/" + pixel + "/events", "Content-Type: text/plain\r\n",
                    validEvent(id).getBytes(StandardCharsets.UTF_8), 16);
            assertThat(next.status()).as(next.text()).isEqualTo(202);
            validIds.add(id);
        }

        Counts beforeHeaders = Counts.now();
        RawHttp.Response huge = RawHttp.once(port(), "POST", "/p/" + pixel + "/events",
                "Content-Type: text/plain\r\nX-Padding: " + "y".repeat(20 * 1024) + "\r\n",
                validEvent("huge-headers").getBytes(StandardCharsets.UTF_8));
        assertJsonError(huge, 431, "headers too large");
        beforeHeaders.assertOnlyRose(Rejection.TOO_LARGE);
        sendValidBeacon();

        assertStoredAreExactlyTheValidHits();
    }

    // ---------------------------------------------------------------- tracked links

    @Test
    void anUnknownLinkIsA404WithoutARedirect() throws Exception {
        Counts before = Counts.now();
        RawHttp.Response r = RawHttp.once(port(), "GET", "/l/nosuchcode", "", null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Location")).isNull();
        assertThat(r.text()).contains("unknown");
        before.assertOnlyRose(Rejection.UNKNOWN_LINK);
        sendValidHit();
        assertStoredAreExactlyTheValidHits();
    }

    @Test
    void aLinkWithAForgedSignatureRedirectsButStoresTheClickWithoutTheRecipient() throws Exception {
        TrackedLink link = speck.app().pixels().createLink(pixel, "https://shop.example/spring", "spring");
        RawHttp.Response signed = RawHttp.once(port(), "POST", "/api/links/" + link.code() + "/sign",
                "Content-Type: application/json\r\n" + speck.admin().rawCredentials(), "{\"recipient\":\"r-42\"}".getBytes(StandardCharsets.UTF_8));
        String signedUrl = JSON.readTree(signed.body()).get("url").asText();
        String goodQuery = signedUrl.substring(signedUrl.indexOf('?'));

        Counts before = Counts.now();
        RawHttp.Response forged = RawHttp.once(port(), "GET", "/l/" + link.code() + "?rcpt=r-42&sig=forged", "", null);
        assertThat(forged.status()).isEqualTo(302);
        assertThat(forged.header("Location")).isEqualTo("https://shop.example/spring");
        before.assertOnlyRose(Rejection.BAD_LINK_SIGNATURE);
        RawHttp.Response moved = RawHttp.once(port(), "GET", "/l/" + link.code() + "?rcpt=r-43&sig="
                + goodQuery.substring(goodQuery.indexOf("sig=") + 4), "", null);
        assertThat(moved.status()).isEqualTo(302);
        RawHttp.Response bad = RawHttp.once(port(), "GET", "/l/" + link.code() + "?rcpt=%zz", "", null);
        assertThat(bad.status()).isEqualTo(302);
        // Too long a token costs the token, not the click (it used to close the connection unanswered).
        RawHttp.Response tooLong = RawHttp.once(port(), "GET", "/l/" + link.code() + "?rcpt=" + "x".repeat(300), "", null);
        assertThat(tooLong.status()).isEqualTo(302);
        RawHttp.Response good = RawHttp.once(port(), "GET", "/l/" + link.code() + goodQuery, "", null);
        assertThat(good.status()).isEqualTo(302);

        awaitLoaderCaughtUp();
        assertThat(recipientsOfClicks()).containsExactlyInAnyOrder(null, null, null, null, "r-42");
    }

    // ---------------------------------------------------------------- helpers

    private static int port() {
        return speck.app().port();
    }

    private void sendValidHit() throws IOException {
        String id = "valid-" + validIds.size();
        assertGif(RawHttp.once(port(), "GET", "/p/" + pixel + ".gif?k=event&n=ok&p.id=" + id, "", null));
        validIds.add(id);
    }

    private void sendValidBeacon() throws IOException {
        String id = "valid-" + validIds.size();
        RawHttp.Response r = RawHttp.once(port(), "POST", "/p/" + pixel + "/events",
                "Content-Type: text/plain\r\n", validEvent(id).getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        validIds.add(id);
    }

    private static String validEvent(String id) {
        return "{\"type\":\"event\",\"name\":\"ok\",\"props\":{\"id\":\"" + id + "\"}}";
    }

    private static void imageRefused(String target, Rejection reason) throws Exception {
        Counts before = Counts.now();
        RawHttp.Response r = RawHttp.once(port(), "GET", target, "", null);
        assertGif(r);
        before.assertOnlyRose(reason);
    }

    private static void beaconRefused(String pixel, String body, int status, String mentions, Rejection reason)
            throws Exception {
        beaconRefused(pixel, body.getBytes(StandardCharsets.UTF_8), status, mentions, reason);
    }

    private static void beaconRefused(String pixel, byte[] body, int status, String mentions, Rejection reason)
            throws Exception {
        Counts before = Counts.now();
        RawHttp.Response r = RawHttp.once(port(), "POST", "/p/" + pixel + "/events",
                "Content-Type: application/json\r\n", body);
        assertJsonError(r, status, mentions);
        before.assertOnlyRose(reason);
    }

    private static void assertGif(RawHttp.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("image/gif");
        assertThat(r.body()).hasSize(43).isEqualTo(Responses.GIF);
    }

    private static void assertJsonError(RawHttp.Response r, int status, String mentions) throws IOException {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).as(r.text()).contains(mentions);
    }

    /** The rejection counters as /metrics shows them. */
    private record Counts(Map<Rejection, Double> byReason) {
        static Counts now() throws Exception {
            String metrics = speck.get("/metrics").body(); // one scrape for all reasons
            Map<Rejection, Double> counts = new EnumMap<>(Rejection.class);
            for (Rejection r : Rejection.values()) {
                String prefix = "speck_hits_rejected_total{reason=\"" + r.label() + "\"} ";
                metrics.lines().filter(l -> l.startsWith(prefix)).findFirst()
                        .ifPresent(l -> counts.put(r, Double.parseDouble(l.substring(prefix.length()).trim())));
                assertThat(counts).as("/metrics counts rejections for " + r.label()).containsKey(r);
            }
            return new Counts(counts);
        }

        void assertNoneRose() throws Exception {
            assertThat(now().byReason).as("rejections after a kept hit").isEqualTo(byReason);
        }

        void assertOnlyRose(Rejection reason) throws Exception {
            Map<Rejection, Double> expected = new EnumMap<>(byReason);
            expected.merge(reason, 1.0, Double::sum);
            assertThat(now().byReason).as("rejections after one refused request").isEqualTo(expected);
        }
    }

    /** speck_hit_fields_dropped_total for a field and reason (0 before the first such drop). */
    private static double dropped(String field, String reason) throws Exception {
        String prefix = "speck_hit_fields_dropped_total{field=\"" + field + "\",reason=\"" + reason + "\"} ";
        return speck.get("/metrics").body().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(prefix.length()).trim())).orElse(0.0);
    }

    /** Everything journaled is stored: the loader has nothing in hand. */
    private static void awaitLoaderCaughtUp() throws Exception {
        RunningSpeck.await(() -> {
            try {
                double accepted = 0;
                for (HitKind kind : HitKind.values()) {
                    accepted += speck.metric("speck_hits_accepted_total{kind=\"" + kind.wireName() + "\"}");
                }
                return speck.metric("speck_events_stored_total") >= accepted;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "the loader to store every accepted hit");
    }

    private void assertStoredAreExactlyTheValidHits() throws Exception {
        awaitLoaderCaughtUp();
        List<String> stored = new ArrayList<>();
        try (Connection c = speck.app().database().connect();
             PreparedStatement ps = c.prepareStatement("SELECT props['id'] FROM visible.events WHERE pixel = ?")) {
            ps.setString(1, pixel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(validIds);
    }

    private List<String> recipientsOfClicks() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = speck.app().database().connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT recipient FROM visible.events WHERE pixel = ? AND kind = 'link_click'")) {
            ps.setString(1, pixel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
