package dev.speck.web;

import dev.speck.http.Exchange;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleRoutesTest {

    private final ConsoleRoutes routes = new ConsoleRoutes();
    private final EmbeddedChannel channel = new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>() {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Exchange ex = new Exchange(request, null);
            routes.answer(ex).send(ctx, ex);
        }
    });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private FullHttpResponse get(String uri, String... headerPairs) {
        return request(HttpMethod.GET, uri, headerPairs);
    }

    private FullHttpResponse request(HttpMethod method, String uri, String... headerPairs) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.headers().set(headerPairs[i], headerPairs[i + 1]);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("a response to %s", uri).isNotNull();
        return response;
    }

    private static String body(FullHttpResponse response) {
        return response.content().toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
            "/console/, text/html; charset=utf-8",
            "/console/index.html, text/html; charset=utf-8",
            "/console/app.js, text/javascript; charset=utf-8",
            "/console/console.css, text/css; charset=utf-8",
            "/console/vendor/uplot/uPlot.iife.min.js, text/javascript; charset=utf-8",
            "/console/vendor/uplot/uPlot.min.css, text/css; charset=utf-8",
    })
    void consoleFilesAndUplotFromItsWebjarAreServedWithTheirContentType(String uri, String type) {
        FullHttpResponse response = get(uri);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(type);
        assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.content().readableBytes()).isPositive();
        response.release();
    }

    @Test
    void everyConsoleFileCarriesAContentSecurityPolicyThatAllowsOnlyItsOwnOrigin() {
        FullHttpResponse response = get("/console/");

        String csp = response.headers().get("Content-Security-Policy");
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                "frame-ancestors 'none'");
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(response.headers().get("X-Frame-Options")).isEqualTo("DENY");
        assertThat(body(response)).contains("<script type=\"module\" src=\"app.js\">").doesNotContain("<script>");
        response.release();
    }

    @Test
    void aRepeatedRequestWithTheEtagGetsNotModifiedWithoutABody() {
        FullHttpResponse first = get("/console/app.js");
        String etag = first.headers().get(HttpHeaderNames.ETAG);
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(first.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
        first.release();

        FullHttpResponse again = get("/console/app.js", "If-None-Match", etag);

        assertThat(again.status()).isEqualTo(HttpResponseStatus.NOT_MODIFIED);
        assertThat(again.content().readableBytes()).isZero();
        assertThat(again.headers().get(HttpHeaderNames.ETAG)).isEqualTo(etag);
        again.release();
    }

    @Test
    void theVendorFilesMayBeCachedForADay() {
        FullHttpResponse response = get("/console/vendor/uplot/uPlot.iife.min.js");

        assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("public, max-age=86400");
        response.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/console/../dev/speck/web/ApiRoutes.class",
            "/console/..%2f..%2fspeck/collect/speck.js",
            "/console/%2e%2e/%2e%2e/collect/speck.js",
            "/console/vendor/uplot/../../uplot/1.6.30/package.json",
            "/console/vendor/uplot/../uPlot.d.ts",
            "/console/.hidden.js",
            "/console//etc/passwd",
            "/console/vendor/speck.js",
            "/console/no-such-file.js",
            "/console/ConsoleRoutes.class",
            "/console/vendor/uplot/uPlot.d.ts",
    })
    void pathsThatClimbOutOrNameNoConsoleFileGet404(String uri) {
        FullHttpResponse response = get(uri);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
        response.release();
    }

    @Test
    void theBareConsolePathRedirectsToTheFolderSoRelativeUrlsResolve() {
        FullHttpResponse response = get("/console");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.FOUND);
        assertThat(response.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/console/");
        response.release();
    }

    @Test
    void writingToTheConsolesFilesIsRefused() {
        FullHttpResponse response = request(HttpMethod.POST, "/console/app.js");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        response.release();
    }
}
