package dev.speck.pipeline;

import java.time.Duration;

/**
 * Decides when the loader stands back during a burst. When hits arrive faster than the loader can
 * store them, loading at the same time cannot keep up anyway; it only takes CPU from the event loops
 * that answer the burst (on two cores, enrichment and DuckDB took about a third of Speck's CPU
 * during a benchmark run). So for as long as the arrival rate stays well above the loader's own
 * measured rate ({@link #BURST_FACTOR}), the loader waits and the journal holds the backlog, which is then stored at full speed.
 *
 * <p>Bounds: never before the loader has measured its rate on a full batch; never unless the backlog
 * has grown for {@link #GROWING_WINDOWS} windows in a row (at rates the loader keeps up with, even
 * barely, the backlog rises and falls, so a hit stays visible within a second or so); at most
 * {@code maxDefer} in one go; never with more than {@code maxBacklogBytes} waiting. After either
 * bound, the loader loads until it has caught up with the journal before it may wait again, so a
 * burst that never ends degrades to the plain behaviour (loading at background priority) rather
 * than to a journal that only fills.
 *
 * <p>Used by the loader thread only; time is passed in, so tests move it.
 */
public final class BurstDeferral {

    /** Never defers: the loader loads whenever the journal has hits. */
    public static final BurstDeferral OFF = new BurstDeferral(Duration.ZERO, 0);

    /** The arrival rate is measured over windows at least this long. */
    static final long WINDOW_NANOS = Duration.ofMillis(500).toNanos();
    /** Windows in a row the backlog must have grown (2 s) before the loader stands back. */
    static final int GROWING_WINDOWS = 4;

    /**
     * How much faster than the loader's measured rate hits must arrive to be a burst. The rate is
     * measured while the loader shares the cores with the traffic, so it reads low when the machine
     * is busy: at load.sh's half rate it measured 20.7k/s against 24k/s arriving and stood back for
     * 3 s, which left a hit invisible for 9 s. Real bursts there arrived at 2-3 times its rate.
     */
    static final double BURST_FACTOR = 1.5;

    private final long maxDeferNanos;
    private final long maxBacklogBytes;
    /** Hits per second the loader stored in its last full batches (an average); 0 until measured. */
    private double loaderRate;
    private double arrivalRate;
    private long windowStart = Long.MIN_VALUE;
    private long windowAppended;
    private long windowBacklog;
    private int growingWindows;
    private long deferringSince = Long.MIN_VALUE;
    private boolean catchUpFirst;

    /**
     * @param maxDefer        the longest the loader waits in one go (zero: never)
     * @param maxBacklogBytes the most journal bytes it lets wait
     */
    public BurstDeferral(Duration maxDefer, long maxBacklogBytes) {
        this.maxDeferNanos = maxDefer.toNanos();
        this.maxBacklogBytes = maxBacklogBytes;
    }

    /** A batch was enriched and stored: {@code hits} of them in {@code nanos}, a full batch or not. */
    public void stored(int hits, long nanos, boolean fullBatch) {
        if (maxDeferNanos == 0 || !fullBatch || nanos <= 0) {
            return; // a small batch's rate is its fixed costs, not what the loader can do
        }
        double rate = hits * 1e9 / nanos;
        loaderRate = loaderRate == 0 ? rate : 0.7 * loaderRate + 0.3 * rate;
    }

    /**
     * Whether the loader should wait now rather than poll.
     *
     * @param now           System.nanoTime()
     * @param appendedHits  hits appended to the journal since start (negative: unknown, never wait)
     * @param backlogBytes  journal bytes not yet stored
     */
    public boolean defer(long now, long appendedHits, long backlogBytes) {
        if (maxDeferNanos == 0 || appendedHits < 0) {
            return false;
        }
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
            windowAppended = appendedHits;
            windowBacklog = backlogBytes;
        } else if (now - windowStart >= WINDOW_NANOS) {
            arrivalRate = (appendedHits - windowAppended) * 1e9 / (now - windowStart);
            growingWindows = backlogBytes > windowBacklog ? growingWindows + 1 : 0;
            windowStart = now;
            windowAppended = appendedHits;
            windowBacklog = backlogBytes;
        }
        if (catchUpFirst) {
            if (backlogBytes > 0) {
                return false;
            }
            catchUpFirst = false;
        }
        if (loaderRate == 0 || arrivalRate <= loaderRate * BURST_FACTOR || backlogBytes == 0
                || (deferringSince == Long.MIN_VALUE && growingWindows < GROWING_WINDOWS)) {
            deferringSince = Long.MIN_VALUE;
            return false;
        }
        if (deferringSince == Long.MIN_VALUE) {
            deferringSince = now;
        }
        if (now - deferringSince >= maxDeferNanos || backlogBytes >= maxBacklogBytes) {
            deferringSince = Long.MIN_VALUE;
            catchUpFirst = true;
            return false;
        }
        return true;
    }

    /** Hits per second the loader measured for itself (0 until a full batch). */
    public double loaderRate() {
        return loaderRate;
    }

    /** Hits per second arriving, over the last window. */
    public double arrivalRate() {
        return arrivalRate;
    }
}
