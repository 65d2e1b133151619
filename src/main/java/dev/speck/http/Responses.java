package dev.speck.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;

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

    /**
     * The whole GIF answer as bytes, built once per kind of connection (keep-alive, HTTP/1.0
     * keep-alive, close) and passed to the socket as is by {@link ServerCodec}.
     */
    private static final GifAnswers PLAIN_GIFS = new GifAnswers(null);
    /** The same with the Strict-Transport-Security header of the server's HTTPS (one value per server). */
    private static volatile GifAnswers secureGifs;

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

    /** Answers the pixel GIF: what every image request gets, recorded or not (a HEAD request: its headers). */
    public static void gif(ChannelHandlerContext ctx, Exchange ex) {
        String hsts = ex.hsts();
        GifAnswers answers = PLAIN_GIFS;
        if (hsts != null) {
            answers = secureGifs;
            if (answers == null || !answers.hsts.equals(hsts)) {
                answers = new GifAnswers(hsts);
                secureGifs = answers;
            }
        }
        ServerCodec.EncodedResponse response = !ex.keepAlive() ? answers.close
                : ex.request().protocolVersion() == HttpVersion.HTTP_1_0 ? answers.keepAliveHttp10 : answers.keepAlive;
        if (ex.keepAlive()) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The GIF's three answers for one Strict-Transport-Security value (or none). */
    private static final class GifAnswers {
        final String hsts;
        final ServerCodec.EncodedResponse keepAlive;
        final ServerCodec.EncodedResponse keepAliveHttp10;
        final ServerCodec.EncodedResponse close;

        GifAnswers(String hsts) {
            this.hsts = hsts;
            this.keepAlive = encode(null, hsts);
            this.keepAliveHttp10 = encode("keep-alive", hsts);
            this.close = encode("close", hsts);
        }

        private static ServerCodec.EncodedResponse encode(String connection, String hsts) {
            StringBuilder head = new StringBuilder(256)
                    .append("HTTP/1.1 200 OK\r\n")
                    .append("content-type: image/gif\r\n")
                    .append("content-length: ").append(GIF.length).append("\r\n")
                    .append("cache-control: no-store, no-cache, must-revalidate, max-age=0\r\n")
                    .append("pragma: no-cache\r\n")
                    .append("cross-origin-resource-policy: cross-origin\r\n");
            if (connection != null) {
                head.append("connection: ").append(connection).append("\r\n");
            }
            if (hsts != null) {
                head.append("strict-transport-security: ").append(hsts).append("\r\n");
            }
            byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            ByteBuf buf = Unpooled.directBuffer(bytes.length + GIF.length).writeBytes(bytes).writeBytes(GIF);
            return new ServerCodec.EncodedResponse(Unpooled.unreleasableBuffer(buf), bytes.length);
        }
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
        if (ctx.pipeline().get(IdleStateHandler.class) != null) {
            // the client only reads from now on; the stream's own heartbeat finds a dead connection
            ctx.pipeline().remove(IdleStateHandler.class);
        }
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
