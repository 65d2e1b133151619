package dev.speck.bench;

import dev.speck.hit.Hit;
import dev.speck.journal.AppendOutcome;
import dev.speck.journal.JournalBatch;
import dev.speck.journal.MappedJournal;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The collector's half of a hit: MappedJournal.append (encode, checksum, copy into the mapped
 * segment), appends per second on one lane. A consumer thread polls and releases in the
 * background, as the loader does (without enrichment or the store), so segments are freed and
 * the journal never fills up. The score counts every call; the secondary results split it into
 * stored and full per second (full: the writer reached the end of its segment before the
 * maintenance thread had the next one ready).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class JournalAppendBenchmark {

    private Path dir;
    private MappedJournal journal;
    private Hit[] hits;
    private int next;
    private Thread consumer;
    private volatile boolean running;
    private final AtomicLong consumed = new AtomicLong();
    private final Map<AppendOutcome, Long> outcomes = new EnumMap<>(AppendOutcome.class);

    /** Appends by outcome, reported by JMH per second next to the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Outcomes {
        public long stored;
        public long full;
        public long tooLarge;

        @Setup(Level.Iteration)
        public void reset() {
            stored = 0;
            full = 0;
            tooLarge = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("speck-jmh-journal");
        journal = MappedJournal.open(dir, 1, 32 << 20, 1L << 30, Duration.ofSeconds(1), List.of());
        SampleHits sample = new SampleHits(7);
        hits = sample.hits(20_000, sample.userAgents(3_000)).toArray(Hit[]::new);
        running = true;
        consumer = new Thread(this::consume, "bench-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    private void consume() {
        while (running) {
            JournalBatch batch = journal.poll(5000);
            if (batch.positions().isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            consumed.addAndGet(batch.hits().size());
            journal.release(batch.positions());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        running = false;
        consumer.join();
        // STORED is read from the journal's own count, so append() stays bare.
        outcomes.put(AppendOutcome.STORED, journal.appendedHits());
        System.out.printf("%n[journal] outcomes %s, consumed %d, backlog at the end %d bytes%n",
                outcomes, consumed.get(), journal.backlogBytes());
        journal.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public AppendOutcome append(Outcomes counts) {
        Hit hit = hits[next];
        next = next + 1 == hits.length ? 0 : next + 1;
        AppendOutcome outcome = journal.append(hit);
        switch (outcome) {
            case STORED -> counts.stored++;
            case FULL -> counts.full++;
            case TOO_LARGE -> counts.tooLarge++;
        }
        if (outcome != AppendOutcome.STORED) {
            outcomes.merge(outcome, 1L, Long::sum);
        }
        return outcome;
    }
}
