package dev.speck.access;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the access routes refuse, with the status and message the client gets. */
final class Refusal extends RuntimeException {

    final HttpResponseStatus status;
    final long retryAfterSeconds;

    Refusal(HttpResponseStatus status, String message) {
        this(status, message, 0);
    }

    Refusal(HttpResponseStatus status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static Refusal bad(String message) {
        return new Refusal(HttpResponseStatus.BAD_REQUEST, message);
    }
}
