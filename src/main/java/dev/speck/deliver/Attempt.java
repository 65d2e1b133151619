package dev.speck.deliver;

import java.time.Instant;
import java.util.Locale;

/**
 * One attempt at a delivery, as the delivery log shows it.
 *
 * @param number     1 for the first attempt
 * @param started    when it began
 * @param outcome    what came of it
 * @param statusCode the receiver's HTTP status, or null when none came
 * @param error      why it failed without a status (timeout, refused address, connection), or null
 * @param latencyMs  from the start of the attempt to the end of the answer's excerpt
 * @param excerpt    the answer's first characters (at most {@link #EXCERPT_CHARS}), or null
 * @param retryInMs  the wait before the next attempt, or null when none follows
 */
public record Attempt(int number, Instant started, Outcome outcome, Integer statusCode, String error, Long latencyMs,
                      String excerpt, Long retryInMs) {

    public static final int EXCERPT_CHARS = 500;

    public enum Outcome {
        /** begun and not ended yet (or Speck stopped during it: then {@link #INTERRUPTED} after restart) */
        IN_FLIGHT,
        /** a 2xx answer */
        DELIVERED,
        /** another status, a timeout or a connection error: retried until the horizon */
        FAILED,
        /** refused before any connection (a private address, a bad URL): a dead letter at once */
        REFUSED,
        /** Speck stopped during the attempt; it is made again, with the same idempotency key */
        INTERRUPTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Outcome fromWireName(String s) {
            for (Outcome o : values()) {
                if (o.wireName().equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("no attempt outcome " + s);
        }
    }
}
