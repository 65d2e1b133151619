package dev.speck.collect;

import dev.speck.hit.HitKind;
import dev.speck.http.Responses;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.TrackedLink;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEAD on a hit endpoint, as link checkers and mail scanners send it: the answer a GET gets,
 * without a body, and nothing recorded.
 */
class HeadRequestIT {

    @TempDir
    static Path temp;
    static RunningSpeck speck;

    @BeforeAll
    static void start() throws Exception {
        speck = RunningSpeck.start(temp.resolve("data"), Map.of());
    }

    @AfterAll
    static void stop() {
        speck.close();
    }

    private static RawHttp.Response head(String target, String headers) throws Exception {
        try (RawHttp http = new RawHttp(speck.app().port())) {
            http.write("HEAD " + target + " HTTP/1.1\r\nHost: speck.test\r\nUser-Agent: link-checker\r\n" + headers + "\r\n");
            RawHttp.Response head = http.readHeadResponse();
            // No body may follow the headers: the next answer on the connection starts right after them.
            RawHttp.Response next = http.get("/healthz");
            assertThat(next.status()).as("the answer after HEAD " + target).isEqualTo(200);
            assertThat(next.text()).contains("\"status\"");
            return head;
        }
    }

    private static RawHttp.Response get(String target, String headers) throws Exception {
        return RawHttp.once(speck.app().port(), "GET", target, headers, null);
    }

    /** The headers both answers must share (Date-like headers differ by nature; Speck sends none). */
    private static void sameHeaders(RawHttp.Response head, RawHttp.Response get) {
        assertThat(head.status()).isEqualTo(get.status());
        Map<String, String> expected = new java.util.LinkedHashMap<>(get.headers());
        expected.remove("connection"); // RawHttp.once asks to close; the HEAD connection is kept alive
        Map<String, String> actual = new java.util.LinkedHashMap<>(head.headers());
        actual.remove("connection");
        assertThat(actual).isEqualTo(expected);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void headOnTheImagePixelAnswersTheGifsHeadersWithoutItsBody() throws Exception {
        Pixel p = speck.createPixel("head image", List.of());
        RawHttp.Response head = head("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2F", "");
        RawHttp.Response get = get("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2F", "");

        assertThat(get.body()).isEqualTo(Responses.GIF);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).isEqualTo("image/gif");
        assertThat(head.header("Content-Length")).isEqualTo("43");
        sameHeaders(head, get);
    }

    @Test
    void headOnTheEmailOpenPixelAnswersTheGifsHeadersWithoutItsBody() throws Exception {
        Pixel p = speck.createPixel("head open", List.of());
        RawHttp.Response head = head("/o/" + p.id() + ".gif?m=spring", "");
        sameHeaders(head, get("/o/" + p.id() + ".gif?m=spring", ""));
        assertThat(head.header("Content-Type")).isEqualTo("image/gif");
    }

    @Test
    void headOnTheTagAnswersItsHeadersWithoutTheScript() throws Exception {
        Pixel p = speck.createPixel("head tag", List.of());
        String gzip = "Accept-Encoding: gzip\r\n";
        RawHttp.Response head = head("/p/" + p.id() + ".js", gzip);
        RawHttp.Response get = get("/p/" + p.id() + ".js", gzip);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).startsWith("text/javascript");
        assertThat(head.header("ETag")).isNotBlank();
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length));
        sameHeaders(head, get);
        sameHeaders(head("/p/nosuchpixel.js", ""), get("/p/nosuchpixel.js", ""));
    }

    @Test
    void headOnATrackedLinkAnswersTheRedirectWithoutRecordingAClick() throws Exception {
        Pixel p = speck.createPixel("head link", List.of());
        TrackedLink link = speck.app().pixels().createLink(p.id(), "https://shop.example/spring?x=1", "spring");
        double unknownBefore = speck.metric("speck_hits_rejected_total{reason=\"unknown_link\"}");

        RawHttp.Response head = head("/l/" + link.code(), "");
        assertThat(head.status()).isEqualTo(302);
        assertThat(head.header("Location")).isEqualTo("https://shop.example/spring?x=1");
        sameHeaders(head, get("/l/" + link.code(), ""));

        RawHttp.Response unknown = head("/l/nosuchcode", "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEmpty();
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"unknown_link\"}")).isEqualTo(unknownBefore);
    }

    @Test
    void headRecordsNothingOnAnyHitEndpoint() throws Exception {
        Pixel p = speck.createPixel("head records nothing", List.of());
        TrackedLink link = speck.app().pixels().createLink(p.id(), "https://shop.example/", "spring");
        double[] before = accepted();

        for (int i = 0; i < 3; i++) {
            head("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fhead", "");
            head("/o/" + p.id() + ".gif?m=spring&rcpt=r-1", "");
            head("/l/" + link.code(), "");
            head("/p/" + p.id() + ".js", "");
        }
        // One GET after them: once it is stored, any hit the HEADs had journaled would be stored too.
        get("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fget", "");
        speck.awaitEvents(p.id(), 1);

        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + p.id() + "'")).isEqualTo(1);
        assertThat(speck.events(p.id())).singleElement()
                .satisfies(e -> assertThat(e.get("url").asText()).isEqualTo("https://shop.example/get"));
        double[] after = accepted();
        for (HitKind kind : HitKind.values()) {
            double expected = before[kind.ordinal()] + (kind == HitKind.PAGE_VIEW ? 1 : 0);
            assertThat(after[kind.ordinal()]).as(kind.wireName()).isEqualTo(expected);
        }
    }

    private static double[] accepted() throws Exception {
        double[] counts = new double[HitKind.values().length];
        for (HitKind kind : HitKind.values()) {
            counts[kind.ordinal()] = speck.metric("speck_hits_accepted_total{kind=\"" + kind.wireName() + "\"}");
        }
        return counts;
    }
}
