package dev.speck.collect;

import dev.speck.hit.HitParams;
import dev.speck.http.Exchange;

/**
 * The time a hit is recorded at: now, or, for an authorised backfill (imports, the demo), the
 * {@code ts} the request carries, within 400 days back and a minute ahead.
 */
final class Clock {

    private static final long MAX_AGE_MS = 400L * 24 * 3600 * 1000;

    private final String backfillToken;
    /** The server's clock (the system's, but for tests of a clock that jumps). */
    private final java.time.Clock time;

    Clock(String backfillToken, java.time.Clock time) {
        this.backfillToken = backfillToken == null || backfillToken.isBlank() ? null : backfillToken;
        this.time = time;
    }

    /** Now, by the server's clock. */
    long now() {
        return time.millis();
    }

    long hitTime(Exchange ex) {
        long now = time.millis();
        if (backfillToken == null) {
            return now;
        }
        String token = ex.header(HitParams.Headers.BACKFILL);
        String ts = ex.param(HitParams.TIME);
        if (token == null || ts == null || !java.security.MessageDigest.isEqual(
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                backfillToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return now;
        }
        try {
            long t = Long.parseLong(ts);
            if (t < now - MAX_AGE_MS || t > now + 60_000) {
                throw new IllegalArgumentException("ts is outside the backfill window");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ts must be epoch milliseconds");
        }
    }
}
