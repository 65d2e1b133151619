package dev.speck.collect;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.speck.testing.FixedBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speck.hit.Hit;
import dev.speck.testing.Mutations;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.NetUtil;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of everything a hit request carries: the query of /p/{id}.gif, /o/{id}.gif and
 * /l/{code}, the beacon's JSON body, and the headers the collector reads (X-Forwarded-For,
 * Sec-CH-UA*, Cookie, Referer, Accept-Language, Origin), through the endpoints as the server wires
 * them (in process, see {@link InProcessHits}).
 *
 * <p>In an ordinary test run (CI) Jazzer replays the inputs under
 * {@code src/test/resources/dev/speck/collect/HitEndpointsFuzzTestInputs/}: real hits, hostile
 * variants of them and what earlier fuzzing runs found reaching new code. To fuzz (coverage-guided,
 * each target for its {@code maxDuration}), one target at a time:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='HitEndpointsFuzzTest#aBadOptionalFieldCostsOnlyItselfOnABeacon'}
 * (docs/TESTING.md, "Fuzzing").
 */
class HitEndpointsFuzzTest {

    private static final InProcessHits HITS = new InProcessHits();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> QUERIES = List.of(
            "u=https%3A%2F%2Fshop.example%2Fcart%3Fa%3D1&r=https%3A%2F%2Fwww.google.com%2F&t=Cart&sr=1920x1080&lang=de-CH&tz=Europe%2FZurich",
            "k=goal&n=purchase&v=49.90&cur=EUR&u=https%3A%2F%2Fshop.example%2Fthanks&p.order=A-17&consent=granted&fpid=abcdefghijklmnop0123",
            "k=event&n=signup&p.plan=pro&p.seats=3&r=android-app%3A%2F%2Fcom.google.android.gm%2F",
            "m=spring-sale&rcpt=c_1234&sig=deadbeef",
            "rcpt=user%40example.com&sig=AAAAAAAAAAAAAAAAAAAAAA",
            "identity=cust-42&sig=0f0f0f&u=https%3A%2F%2Fa.example%2F%3Fspeck_id%3Dcust-42.1893456000.abcd",
            "");
    private static final List<String> BEACONS = List.of(
            "{\"type\":\"page_view\",\"url\":\"https://shop.example/\",\"referrer\":\"https://www.bing.com/\","
                    + "\"title\":\"Shop\",\"screen\":\"390x844\",\"lang\":\"en-US\",\"tz\":\"America/New_York\"}",
            "[{\"type\":\"event\",\"name\":\"add_to_cart\",\"props\":{\"sku\":\"X1\",\"qty\":2,\"gift\":true}},"
                    + "{\"type\":\"goal\",\"name\":\"purchase\",\"value\":120.5,\"currency\":\"USD\"}]",
            "{\"events\":[{\"type\":\"page_view\",\"consent\":\"granted\",\"fpid\":\"Zm9vYmFyYmF6cXV4MTIz\","
                    + "\"identity\":{\"id\":\"cust-42\",\"sig\":\"abc\"}}]}",
            "{\"type\":\"goal\",\"name\":\"refund\",\"value\":-5}",
            "{}", "[]");
    private static final List<String> FORWARDED = List.of(
            "81.2.69.142", "81.2.69.142, 10.0.0.1", "81.2.69.142:1234", "[2001:db8::1]:443", "2001:db8::1",
            "unknown, 127.0.0.1", "203.0.113.7,198.51.100.9, 127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43",
            "for=\"[2001:db8:cafe::17]:4711\"", "_hidden, for=unknown");
    private static final List<String> HINTS = List.of(
            "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"", "?1", "?0", "\"Android\"",
            "\"Windows\"", "\"15.0.0\"", "\"Pixel 8\"", "\"x86\"", "\"64\"", "\"HeadlessChrome\";v=\"124\"");
    private static final List<String> HEADER_VALUES = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "speck_optout=1", "a=b; speck_optout=0; speck_session=xyz", "de-CH,de;q=0.9,en;q=0.8", "*",
            "https://www.google.com/", "android-app://com.google.android.gm/", "https://shop.example");

    /** The statuses a hit endpoint may answer; never a 5xx but the journal's 503, which this journal never gives. */
    private static final Set<Integer> ANSWERS = Set.of(200, 202, 204, 302, 400, 403, 404, 405, 413);

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    @FuzzTest(maxDuration = "5m")
    void anyHitRequestIsAnsweredWithoutA5xxAndStoresOnlyForItsPixel(FuzzedDataProvider data) {
        boolean knownPixel = data.consumeBoolean();
        String pixel = knownPixel ? InProcessHits.PIXEL : Mutations.mutate(data, List.of(InProcessHits.PIXEL, "nosuchpixel"));
        int endpoint = data.consumeInt(0, 3);
        String uri = switch (endpoint) {
            case 0 -> "/p/" + pixel + ".gif?" + Mutations.mutate(data, QUERIES);
            case 1 -> "/o/" + pixel + ".gif?" + Mutations.mutate(data, QUERIES);
            case 2 -> "/p/" + pixel + "/events";
            default -> "/l/" + (knownPixel ? InProcessHits.LINK : pixel) + "?" + Mutations.mutate(data, QUERIES);
        };
        byte[] body = endpoint == 2 ? bytes(data, Mutations.mutate(data, BEACONS)) : new byte[0];
        FullHttpRequest request = InProcessHits.request(endpoint == 2 ? HttpMethod.POST : HttpMethod.GET, uri, body);
        if (request == null) {
            return;
        }
        addHeaders(data, request);

        InProcessHits.Answer answer = HITS.send(request);

        if (answer.status() == 0) { // no hit path (/o/a/b.gif): the route table answers it
            assertThat(answer.journaled()).isEmpty();
            return;
        }
        assertThat(answer.status()).as(uri).isIn(ANSWERS.toArray());
        assertThat(answer.journaled()).hasSizeLessThanOrEqualTo(50);
        for (Hit hit : answer.journaled()) {
            assertThat(hit.pixel()).isEqualTo(InProcessHits.PIXEL); // an unknown pixel's hit is never stored
            assertBounded(hit);
        }
        if (!uri.startsWith("/p/" + InProcessHits.PIXEL + ".gif?") && !uri.startsWith("/o/" + InProcessHits.PIXEL + ".gif?")
                && !uri.equals("/p/" + InProcessHits.PIXEL + "/events") && !uri.startsWith("/l/" + InProcessHits.LINK + "?")) {
            assertThat(answer.journaled()).as("stored for " + uri).isEmpty();
        }
    }

    /**
     * A valid page view whose one optional field holds anything (another JSON type, a string that is
     * no URL, zone, language, screen, number...) is stored, without that field: "a bad optional
     * field never costs the hit".
     */
    @FuzzTest(maxDuration = "5m")
    void aBadOptionalFieldCostsOnlyItselfOnABeacon(FuzzedDataProvider data) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(BEACONS.get(0));
        String field = data.pickValue(List.of("url", "referrer", "title", "screen", "lang", "tz", "value", "currency",
                "props", "consent", "fpid", "identity"));
        event.set(field, junk(data, 0));

        InProcessHits.Answer answer = HITS.send(InProcessHits.request(HttpMethod.POST,
                "/p/" + InProcessHits.PIXEL + "/events", JSON.writeValueAsBytes(event)));

        assertThat(answer.status()).as(event.toString()).isEqualTo(202);
        assertThat(answer.journaled()).as(event.toString()).hasSize(1);
    }

    /** The same for the image pixel's parameters, and for a forwarded address or client hint that is junk. */
    @FuzzTest(maxDuration = "5m")
    void aBadOptionalParameterCostsOnlyItselfOnAnImageHit(FuzzedDataProvider data) {
        String param = data.pickValue(List.of("u", "r", "t", "sr", "lang", "tz", "v", "cur", "consent", "fpid", "p.x",
                "identity", "sig", "X-Forwarded-For", "Sec-CH-UA-Platform"));
        String junk = Mutations.mutate(data, List.of("https://shop.example/", "1920x1080", "de-CH", "Europe/Berlin",
                "12.5", "EUR", "granted", "abcdefghijklmnop0123", "81.2.69.142, 10.0.0.1", "\"Android\""));
        // under every size limit (a signature is at most 128 characters: a longer one refuses the hit)
        junk = cut(junk, 100);
        boolean header = Character.isUpperCase(param.charAt(0));
        String query = QUERIES.get(0) + (header ? "" : "&" + param + "=" + URLEncoder.encode(junk, StandardCharsets.UTF_8));
        FullHttpRequest request = InProcessHits.request(HttpMethod.GET, "/p/" + InProcessHits.PIXEL + ".gif?" + query, new byte[0]);
        if (header) {
            try {
                request.headers().set(param, latin1(junk));
            } catch (IllegalArgumentException noHeaderValue) {
                return; // one Netty's decoder would not have let through either
            }
        }

        InProcessHits.Answer answer = HITS.send(request);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.journaled()).as(query).hasSize(1);
        assertBounded(answer.journaled().get(0));
    }

    private static void addHeaders(FuzzedDataProvider data, FullHttpRequest request) {
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            String name = data.pickValue(List.of("X-Forwarded-For", "Forwarded", "User-Agent", "Sec-CH-UA",
                    "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "sec-ch-ua-full-version-list", "Cookie", "Referer",
                    "Accept-Language", "Origin", "Content-Type", "DNT", "Sec-GPC", "X-Speck-Backfill"));
            List<String> examples = switch (name) {
                case "X-Forwarded-For", "Forwarded" -> FORWARDED;
                default -> name.toLowerCase().startsWith("sec-ch-ua") ? HINTS : HEADER_VALUES;
            };
            try {
                request.headers().add(name, latin1(Mutations.mutate(data, examples)));
            } catch (IllegalArgumentException noHeaderValue) {
                // one Netty's decoder would not have let through either
            }
        }
    }

    /** Any JSON value, nested a little: what a broken or hostile tag might put in a field. */
    private static JsonNode junk(FuzzedDataProvider data, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (data.consumeInt(0, depth < 2 ? 6 : 4)) {
            case 0:
                return f.textNode(cut(Mutations.mutate(data, List.of("https://a.example/", "javascript:alert(1)",
                        "android-app://x", "1920x1080", "en-US", "UTC", "+05:00", "EUR", "granted", "maybe", "short")), 100));
            case 1:
                return f.numberNode(data.consumeDouble());
            case 2:
                return f.numberNode(new java.math.BigDecimal(data.pickValue(List.of("1e400", "-1e400", "1e-400",
                        "99999999999999999999999999999", "0.1", "-0"))));
            case 3:
                return f.booleanNode(data.consumeBoolean());
            case 4:
                return f.nullNode();
            case 5:
                var array = f.arrayNode();
                for (int i = data.consumeInt(0, 3); i > 0; i--) {
                    array.add(junk(data, depth + 1));
                }
                return array;
            default:
                ObjectNode object = f.objectNode();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    object.set(cut(data.consumeString(20), 20), junk(data, depth + 1));
                }
                return object;
        }
    }

    /**
     * The string cut to {@code max} characters: under every size limit. NUL, U+FFFD, control
     * characters and unpaired surrogates stay in: clean text drops them from their field (or drops
     * the field) and keeps the hit.
     */
    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** A header value as Netty's decoder would hand it over: one byte per character, no line breaks. */
    private static String latin1(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(b.length);
        for (byte x : b) {
            char c = (char) (x & 0xff);
            if (c != '\r' && c != '\n' && c != 0) {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    private static byte[] bytes(FuzzedDataProvider data, String s) {
        return data.consumeBoolean() ? s.getBytes(StandardCharsets.UTF_8) : s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertBounded(Hit hit) {
        assertThat(length(hit.page().url())).isLessThanOrEqualTo(CollectSettings.MAX_URL);
        assertThat(length(hit.page().referrer())).isLessThanOrEqualTo(CollectSettings.MAX_URL);
        assertThat(length(hit.page().title())).isLessThanOrEqualTo(CollectSettings.MAX_TITLE);
        assertThat(length(hit.name())).isLessThanOrEqualTo(CollectSettings.MAX_NAME);
        assertThat(length(hit.client().userAgent())).isLessThanOrEqualTo(CollectSettings.MAX_USER_AGENT);
        assertThat(hit.props().size()).isLessThanOrEqualTo(30);
        hit.props().forEach((k, v) -> {
            assertThat(k.length()).isLessThanOrEqualTo(CollectSettings.MAX_PROP_KEY);
            assertThat(length(v)).isLessThanOrEqualTo(CollectSettings.MAX_PROP_VALUE);
        });
        if (hit.client().clientHints() != null) {
            assertThat(hit.client().clientHints().size()).isLessThanOrEqualTo(12);
        }
        String ip = hit.client().ip();
        // the address is one Speck saw or a trusted proxy named: never a header's junk
        assertThat(ip == null || NetUtil.isValidIpV4Address(ip) || NetUtil.isValidIpV6Address(ip)).as(ip).isTrue();
        if (hit.value().amount() != null) {
            assertThat(hit.value().amount().abs()).isLessThanOrEqualTo(new java.math.BigDecimal("1e12"));
        }
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
