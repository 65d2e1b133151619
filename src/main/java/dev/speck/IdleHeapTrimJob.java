package dev.speck;

import dev.speck.enrich.Enricher;
import dev.speck.journal.MappedJournal;
import dev.speck.memory.HeapTrimmer;
import dev.speck.memory.IdleHeapTrim;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbEventStore;
import dev.speck.store.duckdb.PeriodicJob;
import dev.speck.store.duckdb.VisitorRollup;

import java.time.Duration;

/**
 * Gives the memory grown under a load burst back once no hit has come and none was stored for memory.idle-trim-after:
 * at most one full GC per quiet spell and every 2 minutes, only when the heap grew by 32 MB since
 * the last one (see IdleHeapTrim; docs/PERFORMANCE.md has the figures). This class wires memory's
 * trimmer onto Speck's parts: what counts as activity, and what else to let go of.
 */
final class IdleHeapTrimJob {

    private IdleHeapTrimJob() {
    }

    /** The started job, or null when memory.idle-trim-after is off. */
    static PeriodicJob start(Duration idleAfter, SpeckMetrics metrics, MappedJournal journal, DuckDbEventStore store,
                             VisitorRollup rollup, Enricher enricher, DuckDbDatabase database) {
        if (idleAfter == null) {
            return null;
        }
        // Idle means no hit taken, none stored and no rollup run since: a trim while the loader still
        // worked off a burst found DuckDB's checkpoint refused (a write transaction open), and the
        // loader's own checkpoint seconds later read 47 MB of table blocks back in, which then
        // stayed; the rollup's first run after a burst read ~9 MB back in after the trim.
        HeapTrimmer trimmer = new HeapTrimmer(new IdleHeapTrim(idleAfter, Duration.ofMinutes(2), 32L << 20),
                () -> journal.appendedHits() + store.storedEvents() + rollup.periodicRuns(),
                () -> shedOutsideTheHeap(journal, enricher, database));
        metrics.gauge("speck_heap_trims", "Full GCs run since start to give the heap back after traffic",
                trimmer::trims);
        PeriodicJob heapTrim = new PeriodicJob("speck-heap-trim", Math.min(5_000, idleAfter.toMillis()), true,
                "heap trim failed", trimmer);
        heapTrim.start();
        return heapTrim;
    }

    /**
     * What an idle trim also lets go of, just before its collection: the journal's and the geo
     * database's pages touched during the burst (resident while mapped) and DuckDB's cached blocks.
     */
    private static void shedOutsideTheHeap(MappedJournal journal, Enricher enricher, DuckDbDatabase database) {
        journal.shed();
        enricher.shed();
        database.releaseCache();
    }
}
