package dev.speck.http;

import dev.speck.pixels.Pixel;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How requests and answers are framed on a connection. Requests sent back to back before any
 * answer is read: the GIF answers Speck writes as ready-made bytes must keep the codec's pairing of
 * answers with requests (a HEAD answer has no body), and a client may not queue requests without
 * bound. {@code Expect: 100-continue}: the interim answer only for a body within the limit.
 */
class HttpFramingIT {

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

    private static String request(String method, String target) {
        return method + " " + target + " HTTP/1.1\r\nHost: speck.test\r\nUser-Agent: pipelining-test\r\n\r\n";
    }

    @Test
    void pipelinedGifAnswersAndAHeadAnswerKeepTheirOrderAndFraming() throws Exception {
        Pixel pixel = speck.createPixel("pipelined", List.of());
        String gif = "/p/" + pixel.id() + ".gif";
        try (RawHttp http = new RawHttp(speck.app().port())) {
            http.write(request("GET", gif + "?u=https%3A%2F%2Fshop.example%2Fa")
                    + request("HEAD", gif) // not a pixel hit: the GIF's headers, without its body
                    + request("GET", gif + "?u=https%3A%2F%2Fshop.example%2Fb")
                    + request("GET", "/healthz"));

            RawHttp.Response first = http.readResponse();
            RawHttp.Response head = http.readHeadResponse();
            RawHttp.Response second = http.readResponse();
            RawHttp.Response health = http.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(Responses.GIF);
            assertThat(first.header("Cache-Control")).contains("no-store");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(Responses.GIF.length));
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(Responses.GIF);
            assertThat(health.status()).isEqualTo(200);
        }
        List<String> urls = speck.awaitEvents(pixel.id(), 2).stream().map(e -> e.get("url").asText()).toList();
        assertThat(urls).containsExactly("https://shop.example/a", "https://shop.example/b");
    }

    @Test
    void pipelinedAnswersFromTheWebWorkersAndThePixelComeBackInTheOrderAsked() throws Exception {
        Pixel pixel = speck.createPixel("pipelined behind the API", List.of());
        String gif = "/p/" + pixel.id() + ".gif";
        for (int round = 0; round < 5; round++) {
            try (RawHttp http = new RawHttp(speck.app().port())) {
                // the API calls go to web worker threads; the pixel is answered on the event loop
                http.write(request("GET", "/api/server") + request("GET", gif) + request("HEAD", "/healthz")
                        + request("GET", "/healthz") + request("GET", "/api/server") + request("GET", gif));

                RawHttp.Response server = http.readResponse();
                RawHttp.Response image = http.readResponse();
                RawHttp.Response head = http.readHeadResponse();
                RawHttp.Response health = http.readResponse();
                RawHttp.Response server2 = http.readResponse();
                RawHttp.Response image2 = http.readResponse();

                assertThat(server.header("Content-Type")).startsWith("application/json");
                assertThat(image.body()).isEqualTo(Responses.GIF);
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.body()).isEmpty();
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body()).isNotEmpty();
                assertThat(server2.text()).isEqualTo(server.text());
                assertThat(image2.body()).isEqualTo(Responses.GIF);
            }
        }
        speck.awaitEvents(pixel.id(), 10);
    }

    @Test
    void aClientThatQueuesTooManyRequestsIsDisconnectedAndOthersAreServed() throws Exception {
        StringBuilder many = new StringBuilder();
        int sent = 3 * ServerCodec.MAX_PIPELINED;
        for (int i = 0; i < sent; i++) {
            many.append(request("GET", "/healthz")); // answered by the web workers, so answers queue up
        }
        int answered = 0;
        try (RawHttp http = new RawHttp(speck.app().port())) {
            http.write(many.toString());
            while (answered < sent) {
                http.readResponse();
                answered++;
            }
        } catch (IOException closed) {
            // expected: the server closed the connection
        }
        assertThat(answered).isLessThan(sent);
        try (RawHttp other = new RawHttp(speck.app().port())) {
            assertThat(other.get("/healthz").status()).isEqualTo(200);
        }
    }

    private static String beaconHead(String pixel, int length) {
        return "POST /p/" + pixel + "/events HTTP/1.1\r\nHost: speck.test\r\nUser-Agent: framing-test\r\n"
                + "Content-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: " + length + "\r\n\r\n";
    }

    @Test
    void aBodyWithinTheLimitIsInvitedWithContinueAndStored() throws Exception {
        Pixel pixel = speck.createPixel("expecting", List.of());
        String body = "{\"type\":\"event\",\"name\":\"signup\",\"url\":\"https://shop.example/join\"}";
        try (RawHttp http = new RawHttp(speck.app().port())) {
            http.write(beaconHead(pixel.id(), body.length()));
            assertThat(http.readResponse().status()).isEqualTo(100);
            http.write(body);
            assertThat(http.readResponse().status()).isEqualTo(202);
        }
        assertThat(speck.awaitEvents(pixel.id(), 1).get(0).get("name").asText()).isEqualTo("signup");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsSentAndCounted() throws Exception {
        Pixel pixel = speck.createPixel("expecting too much", List.of());
        double before = speck.metric("speck_hits_rejected_total{reason=\"too_large\"}");
        try (RawHttp http = new RawHttp(speck.app().port())) {
            http.write(beaconHead(pixel.id(), 70 * 1024)); // and no body: the answer must come without it
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).contains("larger than 65536 bytes");
        }
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"too_large\"}")).isEqualTo(before + 1);
    }
}
