package dev.speck.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/**
 * What a route answers, before it is written: JSON, bytes of a given type, a redirect, or a stream
 * that holds the connection open. Routes return one; whoever called them writes it.
 */
public sealed interface Answer {

    String JSON = "application/json; charset=utf-8";

    /** A value written as JSON by the web layer's one mapper; {@code headers} may be null. */
    record Json(HttpResponseStatus status, Object body, HttpHeaders headers) implements Answer {
    }

    /** A body as it is (metrics, CSV, files, pages); {@code contentType} and {@code headers} may be null. */
    record Bytes(HttpResponseStatus status, String contentType, byte[] body, HttpHeaders headers) implements Answer {
    }

    record Redirect(String location) implements Answer {
    }

    /** A response whose body follows later (server-sent events): the stream is handed the connection. */
    record Stream(Streamer streamer) implements Answer {
    }

    /** Starts a streamed response on the connection and keeps writing to it after the route returned. */
    @FunctionalInterface
    interface Streamer {
        void start(ChannelHandlerContext ctx, Exchange ex);
    }

    static Answer json(HttpResponseStatus status, Object body) {
        return new Json(status, body, null);
    }

    static Answer ok(Object body) {
        return new Json(HttpResponseStatus.OK, body, null);
    }

    /** JSON that no cache keeps (what access's own routes answer), with a Set-Cookie value or null. */
    static Answer noStore(HttpResponseStatus status, Object body, String setCookie) {
        HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (setCookie != null) {
            headers.set(HttpHeaderNames.SET_COOKIE, setCookie);
        }
        return new Json(status, body, headers);
    }

    /** A JSON error body: {"error": message}. */
    static Answer error(HttpResponseStatus status, String message) {
        return error(status, message, null);
    }

    static Answer error(HttpResponseStatus status, String message, HttpHeaders headers) {
        return new Bytes(status, JSON, ("{\"error\":" + dev.speck.http.Json.quote(message) + "}")
                .getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Writes the answer to the connection. */
    default void send(ChannelHandlerContext ctx, Exchange ex) {
        switch (this) {
            case Json j -> Responses.send(ctx, ex, j.status(), JSON, ApiJson.write(j.body()), j.headers());
            case Bytes b -> Responses.send(ctx, ex, b.status(), b.contentType(), b.body(), b.headers());
            case Redirect r -> Responses.redirect(ctx, ex, r.location());
            case Stream s -> s.streamer().start(ctx, ex);
        }
    }
}
