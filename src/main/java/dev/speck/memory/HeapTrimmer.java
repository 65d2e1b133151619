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
 * <p>For that one collection {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio} are set to 0 (both
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

    /**
     * One full GC with both free ratios at 0, so the old generation shrinks to what is live and the
     * young one (sized from it) with it; the flags are put back after. With Max at the launcher's
     * Min of 10 % the old generation kept ~9 MB of free pages that the compaction had touched, all
     * resident while idle. Under load the generations grow again as the options say (the old one
     * expands on promotion without a full GC).
     */
    private void collectTightly() {
        String min = null;
        String max = null;
        try {
            min = hotSpot.getVMOption("MinHeapFreeRatio").getValue();
            max = hotSpot.getVMOption("MaxHeapFreeRatio").getValue();
            hotSpot.setVMOption("MinHeapFreeRatio", "0"); // Min first: Max may not go below it
            hotSpot.setVMOption("MaxHeapFreeRatio", "0");
        } catch (RuntimeException e) {
            // not HotSpot, or a flag refused: a plain full GC still compacts (what was set is put back below)
        }
        try {
            System.gc();
        } finally {
            restore("MaxHeapFreeRatio", max); // Max first: Min may not go above it
            restore("MinHeapFreeRatio", min);
        }
    }

    private void restore(String flag, String value) {
        if (value == null) {
            return;
        }
        try {
            hotSpot.setVMOption(flag, value);
        } catch (RuntimeException e) {
            LOG.warning("memory: could not put " + flag + " back to " + value + ": " + e.getMessage());
        }
    }

    /** Full collections run so far (the speck_heap_trims metric). */
    public long trims() {
        return trims.get();
    }
}
