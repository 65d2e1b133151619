package dev.speck.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speck on plain HTTP behind an HTTPS proxy: X-Forwarded-Proto counts only from a trusted proxy, and
 * only then do responses carry HSTS and do snippets say https.
 */
class HttpsBehindProxyIT {

    private static final String HSTS = "Strict-Transport-Security";

    @TempDir
    Path dir;

    @Test
    void httpsForwardedByATrustedProxyGetsHstsAndHttpsSnippets() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of("collect.trusted-proxies", "127.0.0.1/32"))) {
            Pixel p = speck.createPixel("shop", List.of());

            HttpResponse<byte[]> gif = speck.getBytes("/p/" + p.id() + ".gif", "X-Forwarded-Proto", "https");
            HttpResponse<String> beacon = speck.post("/p/" + p.id() + "/events", "{\"type\":\"page_view\"}",
                    "X-Forwarded-Proto", "https");
            HttpResponse<String> server = speck.get("/api/server", "X-Forwarded-Proto", "https");
            HttpResponse<String> pixel = speck.get("/api/pixels/" + p.id(), "X-Forwarded-Proto", "https");

            for (HttpResponse<?> r : List.of(gif, beacon, server, pixel)) {
                assertThat(r.headers().firstValue(HSTS)).as(r.uri().getPath()).hasValue("max-age=31536000");
            }
            JsonNode info = JSON.readTree(server.body());
            assertThat(info.get("secure").asBoolean()).isTrue();
            assertThat(info.get("tls").asBoolean()).isFalse();
            assertThat(info.get("behindTrustedProxy").asBoolean()).isTrue();
            assertThat(info.get("baseUrl").asText()).isEqualTo("https://127.0.0.1:" + speck.app().port());
            assertThat(JSON.readTree(pixel.body()).get("snippets").toString())
                    .contains("https://127.0.0.1:" + speck.app().port() + "/p/" + p.id())
                    .doesNotContain("http://127.0.0.1");

            HttpResponse<byte[]> plain = speck.getBytes("/p/" + p.id() + ".gif");
            HttpResponse<byte[]> http = speck.getBytes("/p/" + p.id() + ".gif", "X-Forwarded-Proto", "http");
            assertThat(plain.headers().firstValue(HSTS)).isEmpty();
            assertThat(http.headers().firstValue(HSTS)).isEmpty();
            assertThat(JSON.readTree(speck.get("/api/server").body()).get("secure").asBoolean()).isFalse();
        }
    }

    @Test
    void forwardedProtoFromAnUntrustedAddressIsIgnored() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of("collect.trusted-proxies", "10.0.0.0/8"))) {
            Pixel p = speck.createPixel("shop", List.of());

            HttpResponse<byte[]> gif = speck.getBytes("/p/" + p.id() + ".gif", "X-Forwarded-Proto", "https");
            HttpResponse<String> server = speck.get("/api/server", "X-Forwarded-Proto", "https");
            HttpResponse<String> pixel = speck.get("/api/pixels/" + p.id(), "X-Forwarded-Proto", "https");

            assertThat(gif.headers().firstValue(HSTS)).isEmpty();
            assertThat(server.headers().firstValue(HSTS)).isEmpty();
            JsonNode info = JSON.readTree(server.body());
            assertThat(info.get("secure").asBoolean()).isFalse();
            assertThat(info.get("scheme").asText()).isEqualTo("http");
            assertThat(JSON.readTree(pixel.body()).get("snippets").toString()).doesNotContain("https://127.0.0.1");
        }
    }

    @Test
    void hstsIsConfigurableAndCanBeTurnedOff() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(dir.resolve("a"), Map.of("collect.trusted-proxies", "127.0.0.1",
                "http.hsts", "max-age=600; includeSubDomains"))) {
            assertThat(speck.getBytes("/p/x.gif", "X-Forwarded-Proto", "https").headers().firstValue(HSTS))
                    .hasValue("max-age=600; includeSubDomains");
        }
        try (RunningSpeck speck = RunningSpeck.start(dir.resolve("b"), Map.of("collect.trusted-proxies", "127.0.0.1",
                "http.hsts", ""))) {
            assertThat(speck.getBytes("/p/x.gif", "X-Forwarded-Proto", "https").headers().firstValue(HSTS)).isEmpty();
        }
    }

    @Test
    void apiAndConsoleResponsesForbidFramingAndSniffing() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of())) {
            for (String path : List.of("/api/pixels", "/api/server", "/api/pixels/nope/stats", "/console/", "/console/app.js")) {
                HttpResponse<String> r = speck.get(path);
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
                assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
                assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).get().asString()
                        .contains("frame-ancestors 'none'");
                assertThat(r.headers().firstValue("Referrer-Policy")).as(path).isPresent();
                assertThat(r.headers().allValues("Content-Security-Policy")).as(path).hasSize(1);
            }
            HttpResponse<String> console = speck.get("/console/");
            assertThat(console.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
            assertThat(console.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
            assertThat(speck.get("/api/pixels").headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
    }
}
