package dev.speck.collect;

import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text as it is stored, over real HTTP: control and spoofing characters taken out of every text
 * field, the request line read as UTF-8, text that is no UTF-8 costing only its field, and JSON
 * bodies that are one document, refused in Speck's own words.
 */
class CleanTextIT {

    @TempDir
    static Path dataDir;
    private static RunningSpeck speck;
    private String pixel;

    @BeforeAll
    static void startSpeck() throws Exception {
        speck = RunningSpeck.start(dataDir, Map.of());
        speck.awaitLoaderWarm();
    }

    @AfterAll
    static void stopSpeck() {
        speck.close();
    }

    @BeforeEach
    void newPixel() {
        pixel = speck.createPixel("clean text", List.of()).id();
    }

    @Test
    void anImageHitWithCrLfTabsAndBidiOverridesIsStoredWithoutThem() throws Exception {
        gif("/p/" + pixel + ".gif?k=event&n=sign%0Aup&t=Sale%0D%0ANow%09here%E2%80%AE"
                + "&u=https%3A%2F%2Fshop.example%2Fa%0D%0Ab&r=https%3A%2F%2Fref.example%2F%00x%0B"
                + "&p.plan%0D=pro%C2%85fessional&p.id=crlf", "");

        Map<String, String> e = stored("crlf");
        assertThat(e.get("title")).isEqualTo("Sale Now here");
        assertThat(e.get("name")).isEqualTo("sign up");
        assertThat(e.get("url")).isEqualTo("https://shop.example/ab");
        assertThat(e.get("props")).contains("plan=pro fessional");
        // a NUL makes the referrer unreadable: dropped, the hit kept
        assertThat(e.get("referrer")).isNull();
    }

    @Test
    void anEmailOpenAndABeaconAreCleanedTheSameWay() throws Exception {
        gif("/o/" + pixel + ".gif?m=spring%0D%0ASet-Cookie%3A%20x&rcpt=r-1%E2%80%8B&p.id=open", "");
        beacon("{\"type\":\"goal\",\"name\":\"buy\\u202e\",\"title\":\"\\u0007Cart\\u2028\",\"props\":{\"id\":\"beacon\",\"a\\tb\":\"\\u0085c\"}}");

        Map<String, String> open = stored("open");
        assertThat(open.get("campaign")).isEqualTo("spring Set-Cookie: x");
        assertThat(open.get("recipient")).isEqualTo("r-1");
        Map<String, String> b = stored("beacon");
        assertThat(b.get("name")).isEqualTo("buy");
        assertThat(b.get("title")).isEqualTo("Cart");
        assertThat(b.get("props")).contains("a b=c");
    }

    @Test
    void rawUtf8BytesInTheRequestLineAreStoredAsSent() throws Exception {
        String title = "Café crème – 日本 🎉";
        // the bytes go on the wire unescaped, as some clients send them
        String raw = new String(title.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        gif("/p/" + pixel + ".gif?t=" + raw.replace(' ', '+') + "&p.id=raw", "");
        // and a Referer header sent as raw UTF-8 places a plain <img> on its page
        String page = new String("https://shop.example/größe".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        gif("/p/" + pixel + ".gif?p.id=referer", "Referer: " + page + "\r\n");

        assertThat(stored("raw").get("title")).isEqualTo(title);
        assertThat(stored("referer").get("url")).isEqualTo("https://shop.example/größe");
    }

    @Test
    void invalidUtf8InAnOptionalFieldCostsThatFieldAndIsCounted() throws Exception {
        double escaped = dropped("title", "not_utf8");
        double referrer = dropped("referrer", "not_utf8");
        gif("/p/" + pixel + ".gif?k=event&n=ok&t=%C3%28&p.id=escaped", "");
        // a raw byte that starts no UTF-8 sequence, straight in the request line
        gif("/p/" + pixel + ".gif?k=event&n=ok&t=b\u00ffd&r=https%3A%2F%2Fref.example%2F%FF&p.id=rawbyte", "");

        Map<String, String> a = stored("escaped");
        Map<String, String> b = stored("rawbyte");
        assertThat(a.get("name")).isEqualTo("ok");
        assertThat(a.get("title")).isNull();
        assertThat(b.get("title")).isNull();
        assertThat(b.get("referrer")).isNull();
        assertThat(dropped("title", "not_utf8")).isEqualTo(escaped + 2);
        assertThat(dropped("referrer", "not_utf8")).isEqualTo(referrer + 1);
    }

    @Test
    void invalidUtf8InARequiredFieldRefusesTheHitWithTheGifAndACountedReason() throws Exception {
        double malformed = speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}");
        gif("/p/" + pixel + ".gif?k=event&n=b%FFy&p.id=refused", "");
        gif("/p/" + pixel + ".gif?k=event&n=ok&p.id=after", "");

        stored("after");
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}")).isEqualTo(malformed + 1);
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + pixel + "' AND props['id'] = 'refused'"))
                .isZero();
    }

    @Test
    void aLoneSurrogateOrBytesThatAreNoUtf8InABeaconCostOnlyTheirField() throws Exception {
        double dropped = dropped("title", "not_utf8");
        double props = dropped("props", "not_utf8");
        beacon("{\"type\":\"event\",\"name\":\"ok\",\"title\":\"a\\ud800b\",\"props\":{\"id\":\"surrogate\",\"bad\":\"\\udc00\"}}");
        byte[] rawByte = concat("{\"type\":\"event\",\"name\":\"ok\",\"title\":\"b", new byte[]{(byte) 0xff},
                "d\",\"props\":{\"id\":\"beacon-byte\"}}");
        assertThat(post(rawByte).status()).isEqualTo(202);

        Map<String, String> a = stored("surrogate");
        assertThat(a.get("title")).isNull();
        assertThat(a.get("props")).doesNotContain("bad");
        assertThat(stored("beacon-byte").get("title")).isNull();
        assertThat(dropped("title", "not_utf8")).isEqualTo(dropped + 2);
        assertThat(dropped("props", "not_utf8")).isEqualTo(props + 1);

        RawHttp.Response name = post("{\"type\":\"event\",\"name\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(name.status()).isEqualTo(400);
        assertThat(JSON.readTree(name.body()).get("error").asText()).isEqualTo("event 0: name is not valid UTF-8");
    }

    @Test
    void aBeaconWithTrailingGarbageIsRefusedInSpecksOwnWords() throws Exception {
        double malformed = speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}");
        RawHttp.Response twice = post("{\"type\":\"event\",\"name\":\"a\"} {\"type\":\"event\",\"name\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Response garbage = post("{\"type\":\"event\",\"name\":\"a\"}xyz".getBytes(StandardCharsets.UTF_8));
        RawHttp.Response cut = post("{\"type\":\"event\",".getBytes(StandardCharsets.UTF_8));
        RawHttp.Response nan = post("{\"type\":\"goal\",\"name\":\"a\",\"value\":NaN}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Response longText = post(("{\"type\":\"event\",\"name\":\"a\",\"title\":\"" + "x".repeat(20_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(error(twice, 400)).isEqualTo("the body is not valid JSON: more than one JSON value: something follows the first at line 1, column 29");
        assertThat(error(garbage, 400)).isEqualTo("the body is not valid JSON: unexpected 'xyz' at line 1, column 28");
        assertThat(error(cut, 400)).isEqualTo("the body is not valid JSON: unexpected end at line 1, column 17");
        assertThat(error(nan, 400)).startsWith("the body is not valid JSON: NaN and Infinity are no JSON numbers");
        assertThat(error(longText, 413)).isEqualTo("the body is larger than Speck reads: a text value is longer than 16384 characters");
        for (RawHttp.Response r : List.of(twice, garbage, cut, nan, longText)) {
            assertThat(r.text()).doesNotContain("Jackson", "JsonReadFeature", "StreamReadConstraints", "Source:", "REDACTED",
                    "com.fasterxml");
        }
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}")).isEqualTo(malformed + 4);
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + pixel + "'")).isZero();
    }

    @Test
    void theApiTakesOneJsonDocumentAndSaysWhatIsWrongInItsOwnWords() throws Exception {
        HttpResponse<String> twice = speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://a.example/\"}{}",
                "Content-Type", "application/json");
        HttpResponse<String> dup = speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://a.example/\",\"x\":NaN}",
                "Content-Type", "application/json");

        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(twice.body()).get("error").asText())
                .startsWith("the body is not valid JSON: more than one JSON value: something follows the first at line 1, column ");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(dup.body()).contains("NaN and Infinity are no JSON numbers").doesNotContain("JsonReadFeature", "Source:");
        assertThat(speck.count("SELECT count(*) FROM links WHERE pixel = '" + pixel + "'")).isZero();
    }

    @Test
    void aLinkDestinationWithControlCharactersIsRefused() throws Exception {
        HttpResponse<String> r = speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://a.example/x\\r\\nSet-Cookie:a\"}",
                "Content-Type", "application/json");
        HttpResponse<String> bidi = speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://a.example/\\u202egpj.exe\"}",
                "Content-Type", "application/json");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(bidi.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("without spaces or control characters");
    }

    // ---------------------------------------------------------------- helpers

    private static void gif(String target, String headers) throws Exception {
        RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", target, headers, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("image/gif");
    }

    private void beacon(String json) throws Exception {
        RawHttp.Response r = post(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
    }

    private RawHttp.Response post(byte[] body) throws Exception {
        return RawHttp.once(speck.app().port(), "POST", "/p/" + pixel + "/events", "Content-Type: text/plain\r\n", body);
    }

    private static String error(RawHttp.Response r, int status) throws Exception {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        return body.get("error").asText();
    }

    private static byte[] concat(String a, byte[] b, String c) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] z = c.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[x.length + b.length + z.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(b, 0, out, x.length, b.length);
        System.arraycopy(z, 0, out, x.length + b.length, z.length);
        return out;
    }

    /** The stored event whose property id is this, once the loader stored it: its text columns. */
    private Map<String, String> stored(String id) throws Exception {
        String sql = "SELECT name, url, referrer, title, campaign, recipient, CAST(props AS VARCHAR) AS props"
                + " FROM visible.events WHERE pixel = ? AND props['id'] = ?";
        Map<String, String> row = new HashMap<>();
        RunningSpeck.await(() -> {
            try (Connection c = speck.app().database().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, pixel);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    return true;
                }
            } catch (Exception e) {
                e.printStackTrace();
                return false;
            }
        }, "the event with id " + id + " to be stored");
        return row;
    }

    private static double dropped(String field, String reason) throws Exception {
        String prefix = "speck_hit_fields_dropped_total{field=\"" + field + "\",reason=\"" + reason + "\"} ";
        return speck.get("/metrics").body().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(prefix.length()).trim())).orElse(0.0);
    }
}
