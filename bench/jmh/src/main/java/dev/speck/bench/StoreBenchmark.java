package dev.speck.bench;

import dev.speck.collect.Hit;
import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.enrich.Event;
import dev.speck.journal.JournalPosition;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbEventStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loader's store path alone, as it runs when catching up a backlog: realistic enriched events
 * (enriched once, before the clock starts) stored with {@link DuckDbEventStore#append} in full
 * batches with their journal positions, as the loader does, with the production settings. A plain
 * {@code main} (no JMH): the interesting figures are per-batch pauses as well as the average.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... dev.speck.bench.StoreBenchmark EVENTS BATCH DIR [CHECKPOINT_MB]
 * </pre>
 * Prints hits/s and CPU µs per hit of the storing thread (DuckDB's own workers counted separately
 * from the process's CPU), and the slowest batches (the automatic checkpoints).
 */
public final class StoreBenchmark {

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        long checkpointBytes = args.length > 3 ? Long.parseLong(args[3]) << 20 : 128L << 20;
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path salts = Files.createTempDirectory("speck-store-bench-salts");
        Enricher enricher = Enricher.create(new EnricherSettings(null, salts, 20000, 100000, 10000));
        SampleHits sample = new SampleHits(7);
        List<Hit> hits = sample.hits(Math.min(total, 60_000), sample.userAgents(3_600));
        List<Event> pool = new ArrayList<>(hits.size());
        for (Hit hit : hits) {
            pool.add(enricher.enrich(hit));
        }
        System.out.printf("%d distinct enriched events prepared; storing %d in batches of %d, checkpoint at %d MB%n",
                pool.size(), total, batch, checkpointBytes >> 20);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 2, checkpointBytes)) {
            DuckDbEventStore store = new DuckDbEventStore(db);
            long[] batchMillis = new long[(total + batch - 1) / batch];
            long cpuStart = threads.getCurrentThreadCpuTime();
            long processStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            int done = 0;
            int b = 0;
            long offset = 0;
            while (done < total) {
                int n = Math.min(batch, total - done);
                List<Event> events = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    events.add(pool.get((done + i) % pool.size()));
                }
                offset += n * 300L;
                List<JournalPosition> positions = List.of(
                        new JournalPosition("lane-0", 1, offset), new JournalPosition("lane-1", 1, offset));
                long t = System.nanoTime();
                store.append(events, List.of(), positions);
                batchMillis[b++] = (System.nanoTime() - t) / 1_000_000;
                done += n;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double threadCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / total;
            double processCpu = (os.getProcessCpuTime() - processStart) / 1e3 / total;
            long[] sorted = batchMillis.clone();
            Arrays.sort(sorted);
            long over500 = Arrays.stream(batchMillis).filter(m -> m > 500).count();
            System.out.printf("stored %d events in %.1f s: %.0f hits/s; CPU per hit: storing thread %.1f us, process %.1f us%n",
                    total, seconds, total / seconds, threadCpu, processCpu);
            System.out.printf("batch ms: median %d, p90 %d, max %d; batches over 500 ms: %d (%s)%n",
                    sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)], sorted[sorted.length - 1], over500,
                    Arrays.toString(Arrays.stream(batchMillis).filter(m -> m > 500).toArray()));
            long wal = Files.exists(dir.resolve("speck.duckdb.wal")) ? Files.size(dir.resolve("speck.duckdb.wal")) : 0;
            System.out.printf("write-ahead log at the end: %d MB; database file %d MB%n",
                    wal >> 20, Files.size(dir.resolve("speck.duckdb")) >> 20);
            store.close();
        }
    }
}
