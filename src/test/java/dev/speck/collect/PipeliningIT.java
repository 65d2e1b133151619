package dev.speck.collect;

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
 * Requests sent back to back on one connection before any answer is read: the GIF answers Speck
 * writes as ready-made bytes must keep the codec's pairing of answers with requests (a HEAD answer
 * has no body), and a client may not queue requests without bound.
 */
class PipeliningIT {

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
                    + request("HEAD", gif) // not a pixel hit: answered 404, without the body a GET would get
                    + request("GET", gif + "?u=https%3A%2F%2Fshop.example%2Fb")
                    + request("GET", "/healthz"));

            RawHttp.Response first = http.readResponse();
            RawHttp.Response head = http.readHeadResponse();
            RawHttp.Response second = http.readResponse();
            RawHttp.Response health = http.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(Responses.GIF);
            assertThat(first.header("Cache-Control")).contains("no-store");
            assertThat(head.status()).isEqualTo(404);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(Responses.GIF);
            assertThat(health.status()).isEqualTo(200);
        }
        List<String> urls = speck.awaitEvents(pixel.id(), 2).stream().map(e -> e.get("url").asText()).toList();
        assertThat(urls).containsExactly("https://shop.example/a", "https://shop.example/b");
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
}
