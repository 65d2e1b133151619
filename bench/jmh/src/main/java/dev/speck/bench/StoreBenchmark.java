package dev.speck.bench;

import dev.speck.hit.Hit;
import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.enrich.Event;
import dev.speck.journal.JournalPosition;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbEventStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The loader's other half: DuckDbEventStore.append (appender rows, journal positions, commit, and
 * DuckDB's checkpoints when its write-ahead log reaches the threshold), in events per second on one
 * thread, with nothing else running: 6,000 enriched events per invocation, stored in transactions of
 * {@code batch} events (the loader's {@code store.batch-size}; a smaller batch means more commits
 * but less garbage alive at each young collection). Each trial starts with an empty database that grows as it runs, as a
 * store does. Compare with the loader's CPU per hit under load (PERFORMANCE.md): on two busy cores
 * the same code costs about twice as much.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class StoreBenchmark {

    static final int EVENTS = 6_000;

    /** Events per transaction. */
    @Param({"500", "1000", "3000", "6000"})
    public int batch;

    /** DuckDB's checkpoint threshold: Speck's default under load, and DuckDB's own. */
    @Param({"128", "16"})
    public int checkpointMegabytes;

    private Path dir;
    private DuckDbDatabase database;
    private DuckDbEventStore store;
    private List<List<Event>> batches;
    private int next;
    private long offset;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("speck-jmh-store");
        Enricher enricher = Enricher.create(new EnricherSettings(null, dir.resolve("salts"), 20000, 100000, 10000));
        SampleHits sample = new SampleHits(11);
        List<Hit> hits = sample.hits(4 * EVENTS, sample.userAgents(3_000));
        batches = new ArrayList<>();
        for (int b = 0; b < 4 * EVENTS / batch; b++) {
            batches.add(hits.subList(b * batch, (b + 1) * batch).stream().map(enricher::enrich).toList());
        }
        database = DuckDbDatabase.open(dir.resolve("data"), "256MB", 2, (long) checkpointMegabytes << 20);
        store = new DuckDbEventStore(database);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void appendInBatches() {
        for (int stored = 0; stored < EVENTS; stored += batch) {
            offset += batch;
            store.append(batches.get(next++ % batches.size()), List.of(),
                    List.of(new JournalPosition("lane-0", 1, offset), new JournalPosition("lane-1", 1, offset)));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
