package dev.speck.deliver;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait after a failed attempt: the base, doubled for each attempt after the first, capped at an
 * hour, and spread by ±20 % so that many deliveries that failed together (a receiver that was down)
 * do not all come back in the same second. The spread keeps each wait above the one before until the cap.
 */
final class Backoff {

    static final Duration CAP = Duration.ofHours(1);

    private final long baseMs;

    Backoff(Duration base) {
        this.baseMs = base.toMillis();
    }

    /** The wait after attempt {@code n} (1 for the first) failed, before the spread. */
    long nominalMs(int n) {
        long capMs = CAP.toMillis();
        int doublings = Math.min(n - 1, 40);
        double ms = baseMs * Math.pow(2, doublings);
        return (long) Math.min(ms, capMs);
    }

    long delayMs(int n) {
        return Math.max(1, Math.round(nominalMs(n) * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
