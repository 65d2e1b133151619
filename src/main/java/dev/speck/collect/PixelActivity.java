package dev.speck.collect;

import dev.speck.hit.Rejection;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per pixel: hits accepted, rejections by reason and when the last hit came, since start. Counted
 * only for pixels that exist (an unknown id must not grow the map), with no allocation per hit
 * once a pixel has been seen.
 */
public final class PixelActivity {

    private final ConcurrentHashMap<String, Counters> byPixel = new ConcurrentHashMap<>();

    void accepted(String pixel, long at) {
        Counters c = counters(pixel);
        c.accepted.increment();
        if (at - c.lastHitAt >= 1000) { // to the second: both event loops writing the field on every hit cost more
            c.lastHitAt = at;
        }
    }

    void rejected(String pixel, Rejection reason) {
        counters(pixel).rejected[reason.ordinal()].increment();
    }

    private Counters counters(String pixel) {
        Counters c = byPixel.get(pixel);
        return c != null ? c : byPixel.computeIfAbsent(pixel, Counters::new);
    }

    /** What the collector saw of this pixel since start. */
    public Snapshot snapshot(String pixel) {
        Counters c = byPixel.get(pixel);
        long[] rejected = new long[Rejection.values().length];
        if (c == null) {
            return new Snapshot(0, rejected, 0);
        }
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = c.rejected[i].sum();
        }
        return new Snapshot(c.accepted.sum(), rejected, c.lastHitAt);
    }

    /** Forgets a deleted pixel. */
    public void forget(String pixel) {
        byPixel.remove(pixel);
    }

    /** @param lastHitAt epoch millis of the last accepted hit, 0 when none since start */
    public record Snapshot(long accepted, long[] rejectedByReason, long lastHitAt) {
    }

    private static final class Counters {
        final LongAdder accepted = new LongAdder();
        final LongAdder[] rejected = new LongAdder[Rejection.values().length];
        volatile long lastHitAt;

        Counters(String pixel) {
            for (int i = 0; i < rejected.length; i++) {
                rejected[i] = new LongAdder();
            }
        }
    }
}
