package dev.speck.collect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * Writes responses. The pixel GIF and its headers are built once and shared, so answering an
 * image hit allocates only the response object.
 */
public final class Responses {

    /** The 43-byte transparent 1x1 GIF. */
    public static final byte[] GIF = {
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, (byte) 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x21, (byte) 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

    private static final ByteBuf GIF_BUF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(GIF.length).writeBytes(GIF).asReadOnly());
    private static final HttpHeaders GIF_KEEP_ALIVE = gifHeaders(null);
    private static final HttpHeaders GIF_KEEP_ALIVE_HTTP10 = gifHeaders(HttpHeaderValues.KEEP_ALIVE);
    private static final HttpHeaders GIF_CLOSE = gifHeaders(HttpHeaderValues.CLOSE);

    /**
     * Sent with every response that has a body of ours (not the GIF): no type sniffing, no framing,
     * no referrer. A route may override one (the console sends its own policy and referrer rule).
     * On the tag and beacon answers they cost a few bytes and change nothing for the host page.
     */
    private static final HttpHeaders HARDENING = new DefaultHttpHeaders()
            .set("X-Content-Type-Options", "nosniff")
            .set("X-Frame-Options", "DENY")
            .set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            .set("Referrer-Policy", "no-referrer");
    private static final String HSTS = "Strict-Transport-Security";

    private Responses() {
    }

    private static HttpHeaders gifHeaders(CharSequence connection) {
        HttpHeaders h = new DefaultHttpHeaders()
                .set(HttpHeaderNames.CONTENT_TYPE, "image/gif")
                .set(HttpHeaderNames.CONTENT_LENGTH, GIF.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store, no-cache, must-revalidate, max-age=0")
                .set(HttpHeaderNames.PRAGMA, "no-cache")
                .set("Cross-Origin-Resource-Policy", "cross-origin");
        if (connection != null) {
            h.set(HttpHeaderNames.CONNECTION, connection);
        }
        return h;
    }

    /** Answers the pixel GIF: what every image request gets, recorded or not. */
    public static void gif(ChannelHandlerContext ctx, Exchange ex) {
        HttpHeaders headers = !ex.keepAlive() ? GIF_CLOSE
                : ex.request().protocolVersion() == HttpVersion.HTTP_1_0 ? GIF_KEEP_ALIVE_HTTP10 : GIF_KEEP_ALIVE;
        String hsts = ex.hsts();
        if (hsts != null) { // the shared headers are never changed: a secure hit gets its own copy
            headers = new DefaultHttpHeaders().add(headers).set(HSTS, hsts);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                GIF_BUF.duplicate(), headers, EmptyHttpHeaders.INSTANCE);
        write(ctx, ex, response);
    }

    public static void json(ChannelHandlerContext ctx, Exchange ex, HttpResponseStatus status, String json) {
        send(ctx, ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A JSON error body: {"error": message}. */
    public static void error(ChannelHandlerContext ctx, Exchange ex, HttpResponseStatus status, String message) {
        json(ctx, ex, status, "{\"error\":" + Json.quote(message) + "}");
    }

    public static void text(ChannelHandlerContext ctx, Exchange ex, HttpResponseStatus status, String text) {
        send(ctx, ex, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Sends a body with extra headers (may be null). */
    public static void send(ChannelHandlerContext ctx, Exchange ex, HttpResponseStatus status, String contentType,
                            byte[] body, HttpHeaders extra) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        h.add(HARDENING);
        if (extra != null) {
            h.setAll(extra);
        }
        hsts(ex, h);
        connectionHeader(ex, h);
        write(ctx, ex, response);
    }

    /**
     * Starts a response whose body follows in chunks, written later by whoever holds ctx (Netty
     * channels take writes from any thread): how server-sent events leave the worker free.
     */
    public static void startStream(ChannelHandlerContext ctx, Exchange ex, String contentType) {
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .add(HARDENING)
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no"); // tells nginx not to hold the stream back
        hsts(ex, response.headers());
        ctx.writeAndFlush(response);
    }

    public static void redirect(ChannelHandlerContext ctx, Exchange ex, String location) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
        response.headers()
                .set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("Referrer-Policy", "no-referrer-when-downgrade")
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        hsts(ex, response.headers());
        connectionHeader(ex, response.headers());
        write(ctx, ex, response);
    }

    private static void hsts(Exchange ex, HttpHeaders h) {
        String hsts = ex.hsts();
        if (hsts != null) {
            h.set(HSTS, hsts);
        }
    }

    private static void connectionHeader(Exchange ex, HttpHeaders h) {
        if (!ex.keepAlive()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.request().protocolVersion() == HttpVersion.HTTP_1_0) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private static void write(ChannelHandlerContext ctx, Exchange ex, FullHttpResponse response) {
        if (ex.keepAlive()) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
