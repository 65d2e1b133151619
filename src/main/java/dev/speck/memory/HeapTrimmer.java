package dev.speck.memory;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives the memory grown under a load burst back once Speck has been idle for a while: one full
 * collection per quiet spell, as {@link IdleHeapTrim} decides. Like G1's periodic collection, which
 * the serial and parallel collectors lack. Run it every few seconds (a {@code PeriodicJob}).
 *
 * <p>For that one collection {@code MaxHeapFreeRatio} is lowered to {@code MinHeapFreeRatio} (both
 * are manageable flags) and then put back: with the launcher's 40 % the serial collector kept the
 * old generation (and the young one, which it sizes from it) as large as the burst left it, and
 * the collection gave nothing back. Only this idle collection is tight; under load the heap grows
 * as the options say.
 *
 * <p>Growth is judged on the process's resident memory, not the heap alone: a burst can leave the
 * heap as it was and DuckDB's native memory hundreds of megabytes larger (measured: heap 139 MB,
 * RSS 596 MB, and no trim because the heap had not grown). After the collection the C heap's free
 * pages go back too ({@link NativeHeapTrim}).
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
    private final LongSupplier footprint;

    /**
     * @param hits     hits taken since start (the journal's appended count)
     * @param alsoTrim run just before the collection: memory held outside the heap (DuckDB's cache)
     */
    public HeapTrimmer(IdleHeapTrim decision, LongSupplier hits, Runnable alsoTrim) {
        this(decision, hits, alsoTrim, ResidentMemory::bytes);
    }

    /** @param footprint the memory whose growth calls for a trim, in bytes (the process's RSS) */
    public HeapTrimmer(IdleHeapTrim decision, LongSupplier hits, Runnable alsoTrim, LongSupplier footprint) {
        this.decision = decision;
        this.hits = hits;
        this.alsoTrim = alsoTrim;
        this.footprint = footprint;
    }

    @Override
    public void run() {
        long now = System.nanoTime() / 1_000_000;
        long grown = footprint.getAsLong();
        if (!decision.shouldTrim(now, hits.getAsLong(), grown)) {
            return;
        }
        MemoryUsage before = memory.getHeapMemoryUsage();
        try {
            alsoTrim.run();
        } catch (RuntimeException e) {
            LOG.fine("memory: trimming outside the heap failed: " + e.getMessage());
        }
        collectTightly();
        String nativeTrim = NativeHeapTrim.run().map(t -> "; " + t).orElse("");
        MemoryUsage after = memory.getHeapMemoryUsage();
        long left = footprint.getAsLong();
        decision.trimmed(System.nanoTime() / 1_000_000, left);
        trims.incrementAndGet();
        LOG.info("memory: idle, so one full GC to give the heap back: committed " + before.getCommitted() / MB
                + " MB -> " + after.getCommitted() / MB + " MB (used " + before.getUsed() / MB + " MB -> "
                + after.getUsed() / MB + " MB); resident " + grown / MB + " MB -> " + left / MB + " MB" + nativeTrim);
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
