package dev.speck.memory;

import java.time.Duration;

/**
 * When to give the heap back after traffic, decided from what the caller observes: the count of
 * hits so far, the clock and the memory footprint (the process's RSS). The collector Speck runs with keeps the heap
 * it grew under a load burst for as long as no full collection comes, which on an idle server is
 * forever; one full collection lets it shrink to what is live (per Min/MaxHeapFreeRatio).
 *
 * <p>The rules, each one a reason not to collect: a hit came since the last look (never during
 * traffic); the quiet spell is shorter than {@code idleAfter}; this quiet spell was already trimmed;
 * the last trim is less than {@code minGap} ago; the footprint has not grown by {@code minGrowthBytes} since
 * the least any trim left (nothing to give back). The used heap is no guide: after a burst it is
 * mostly garbage that only the collection would tell apart.
 *
 * <p>Not thread-safe: one thread looks (the trimmer's).
 */
public final class IdleHeapTrim {

    private final long idleAfterMillis;
    private final long minGapMillis;
    private final long minGrowthBytes;
    private long hitsSeen = -1;
    private long quietSince;
    private boolean trimmedThisQuietSpell;
    private long lastTrimAt = Long.MIN_VALUE / 2;
    private long footprintAfterTrim;
    private boolean trimmedBefore;

    public IdleHeapTrim(Duration idleAfter, Duration minGap, long minGrowthBytes) {
        this.idleAfterMillis = idleAfter.toMillis();
        this.minGapMillis = minGap.toMillis();
        this.minGrowthBytes = minGrowthBytes;
    }

    /**
     * One look.
     *
     * @param nowMillis      a monotonic clock in milliseconds
     * @param hits           hits taken since start (any count that moves with traffic)
     * @param footprintBytes the memory footprint now (resident memory, or the heap's committed size)
     * @return whether to run one full collection now (then call {@link #trimmed})
     */
    public boolean shouldTrim(long nowMillis, long hits, long footprintBytes) {
        if (hits != hitsSeen) {
            hitsSeen = hits;
            quietSince = nowMillis;
            trimmedThisQuietSpell = false;
            return false;
        }
        return !trimmedThisQuietSpell
                && nowMillis - quietSince >= idleAfterMillis
                && nowMillis - lastTrimAt >= minGapMillis
                && footprintBytes - footprintAfterTrim >= minGrowthBytes;
    }

    /**
     * After the collection: the least footprint any trim has left is the baseline to grow past for
     * the next one. Not simply the last: a trim in a short lull of a burst (DuckDB still holding a
     * checkpoint's memory) once left 404 MB, and the burst's end, at 432 MB, was then never trimmed.
     */
    public void trimmed(long nowMillis, long footprintBytesAfter) {
        trimmedThisQuietSpell = true;
        lastTrimAt = nowMillis;
        footprintAfterTrim = trimmedBefore ? Math.min(footprintAfterTrim, footprintBytesAfter) : footprintBytesAfter;
        trimmedBefore = true;
    }
}
