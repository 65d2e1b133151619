package dev.speck.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A request a route refuses, with the status and message the client gets (and, when throttled, when to retry). */
public final class BadRequest extends RuntimeException {

    private final HttpResponseStatus status;
    private final long retryAfterSeconds;

    public BadRequest(String message) {
        this(HttpResponseStatus.BAD_REQUEST, message);
    }

    public BadRequest(HttpResponseStatus status, String message) {
        this(status, message, 0);
    }

    public BadRequest(HttpResponseStatus status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A method the route's resource does not take. */
    public static BadRequest method() {
        return new BadRequest(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed here");
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** Seconds to wait before trying again (a Retry-After header), or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The JSON error answer the client gets. */
    public Answer answer() {
        HttpHeaders headers = null;
        if (retryAfterSeconds > 0) {
            headers = new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        return Answer.error(status, getMessage(), headers);
    }
}
