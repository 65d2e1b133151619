package dev.speck.memory;

import com.sun.management.HotSpotDiagnosticMXBean;

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
 *
 * <p>For that one collection {@code MaxHeapFreeRatio} is lowered to {@code MinHeapFreeRatio} (both
 * are manageable flags) and then put back: with the launcher's 40 % the serial collector kept the
 * old generation (and the young one, which it sizes from it) as large as the burst left it, and
 * the collection gave nothing back. Only this idle collection is tight; under load the heap grows
 * as the options say.
 */
public final class HeapTrimmer implements Runnable {

    private static final Logger LOG = Logger.getLogger(HeapTrimmer.class.getName());
    private static final long MB = 1L << 20;

    private final IdleHeapTrim decision;
    private final LongSupplier hits;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private final AtomicLong trims = new AtomicLong();

    private final Runnable alsoTrim;

    /** @param hits hits taken since start (the journal's appended count) */
    public HeapTrimmer(IdleHeapTrim decision, LongSupplier hits) {
        this(decision, hits, () -> { });
    }

    /** @param alsoTrim run just before the collection: memory held outside the heap (DuckDB's cache) */
    public HeapTrimmer(IdleHeapTrim decision, LongSupplier hits, Runnable alsoTrim) {
        this.decision = decision;
        this.hits = hits;
        this.alsoTrim = alsoTrim;
    }

    @Override
    public void run() {
        MemoryUsage before = memory.getHeapMemoryUsage();
        long now = System.nanoTime() / 1_000_000;
        if (!decision.shouldTrim(now, hits.getAsLong(), before.getCommitted())) {
            return;
        }
        try {
            alsoTrim.run();
        } catch (RuntimeException e) {
            LOG.fine("memory: trimming outside the heap failed: " + e.getMessage());
        }
        collectTightly();
        MemoryUsage after = memory.getHeapMemoryUsage();
        decision.trimmed(System.nanoTime() / 1_000_000, after.getCommitted());
        trims.incrementAndGet();
        LOG.info("memory: idle, so one full GC to give the heap back: committed " + before.getCommitted() / MB
                + " MB -> " + after.getCommitted() / MB + " MB (used " + before.getUsed() / MB + " MB -> "
                + after.getUsed() / MB + " MB)");
    }

    private void collectTightly() {
        String max = null;
        try {
            max = hotSpot.getVMOption("MaxHeapFreeRatio").getValue();
            String min = hotSpot.getVMOption("MinHeapFreeRatio").getValue();
            hotSpot.setVMOption("MaxHeapFreeRatio", Integer.toString(Math.max(Integer.parseInt(min), 10)));
        } catch (RuntimeException e) {
            max = null; // not HotSpot, or the flag refused: a plain full GC still compacts
        }
        try {
            System.gc();
        } finally {
            if (max != null) {
                try {
                    hotSpot.setVMOption("MaxHeapFreeRatio", max);
                } catch (RuntimeException e) {
                    LOG.warning("memory: could not put MaxHeapFreeRatio back to " + max + ": " + e.getMessage());
                }
            }
        }
    }

    /** Full collections run so far (the speck_heap_trims metric). */
    public long trims() {
        return trims.get();
    }
}
