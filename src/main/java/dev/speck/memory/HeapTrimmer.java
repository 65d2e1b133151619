package dev.speck.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives the heap grown under a load burst back once Speck has been idle for a while: one full
 * collection per quiet spell, as {@link IdleHeapTrim} decides. Like G1's periodic collection, which
 * the serial and parallel collectors lack. Run it every few seconds (a {@code PeriodicJob}).
 */
public final class HeapTrimmer implements Runnable {

    private static final Logger LOG = Logger.getLogger(HeapTrimmer.class.getName());
    private static final long MB = 1L << 20;

    private final IdleHeapTrim decision;
    private final LongSupplier hits;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong trims = new AtomicLong();

    /** @param hits hits taken since start (the journal's appended count) */
    public HeapTrimmer(IdleHeapTrim decision, LongSupplier hits) {
        this.decision = decision;
        this.hits = hits;
    }

    @Override
    public void run() {
        MemoryUsage before = memory.getHeapMemoryUsage();
        long now = System.nanoTime() / 1_000_000;
        if (!decision.shouldTrim(now, hits.getAsLong(), before.getCommitted())) {
            return;
        }
        System.gc(); // with -XX:+ExplicitGCInvokesConcurrent (G1) this would be a concurrent cycle, also fine
        MemoryUsage after = memory.getHeapMemoryUsage();
        decision.trimmed(System.nanoTime() / 1_000_000, after.getCommitted());
        trims.incrementAndGet();
        LOG.info("memory: idle, so one full GC to give the heap back: committed " + before.getCommitted() / MB
                + " MB -> " + after.getCommitted() / MB + " MB (used " + before.getUsed() / MB + " MB -> "
                + after.getUsed() / MB + " MB)");
    }

    /** Full collections run so far (the speck_heap_trims_total metric). */
    public long trims() {
        return trims.get();
    }
}
