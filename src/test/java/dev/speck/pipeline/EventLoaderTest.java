package dev.speck.pipeline;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;
import dev.speck.journal.MappedJournal;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.store.EventStore;
import dev.speck.store.StoreException;
import dev.speck.store.StoredEventListener;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoaderTest {

    @TempDir
    Path dir;

    /**
     * Keeps the URLs of what it stores, per commit, in memory; refuses the commits it is told to
     * refuse (a stand-in for a store that fails now and then: DuckDB's own atomicity is pinned
     * down in DuckDbEventStoreTest).
     */
    private static final class RecordingStore implements EventStore {
        final AtomicInteger stored = new AtomicInteger();
        /** What had been stored at each idle call (-1 before the first). */
        final AtomicInteger storedAtLastIdle = new AtomicInteger(-1);
        final AtomicInteger idles = new AtomicInteger();
        final List<String> urls = new CopyOnWriteArrayList<>();
        final List<Integer> commits = new CopyOnWriteArrayList<>();
        final List<Integer> chunks = new CopyOnWriteArrayList<>();
        final AtomicInteger refuseNext = new AtomicInteger();
        /** How long each commit's (simulated) checkpoint takes; reported as upkeep. */
        volatile long upkeepNanos;
        /** Batches end at multiples of this, as DuckDB's row groups do (0: no preference). */
        volatile int rowGroup;
        /** Whether commits are safe from a crash at once (else only from {@link #persistAll()} on). */
        volatile boolean persistsAtCommit = true;
        volatile List<JournalPosition> committed = List.of();
        volatile List<JournalPosition> persisted = List.of();
        final AtomicInteger added = new AtomicInteger();

        @Override
        public List<JournalPosition> checkpoints() {
            return List.of();
        }

        @Override
        public Transaction begin() {
            List<String> added = new ArrayList<>();
            return new Transaction() {
                @Override
                public void add(List<Event> events, List<Achievement> achievements) {
                    chunks.add(events.size());
                    events.forEach(e -> added.add(e.hit().page().url()));
                    RecordingStore.this.added.addAndGet(events.size());
                }

                @Override
                public long commit(Collection<JournalPosition> positions) {
                    if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new StoreException("refused for the test", null);
                    }
                    long upkeep = upkeepNanos;
                    if (upkeep > 0) {
                        LockSupport.parkNanos(upkeep); // a checkpoint that takes this long, as DuckDB's do under load
                    }
                    urls.addAll(added);
                    commits.add(added.size());
                    committed = List.copyOf(positions);
                    if (persistsAtCommit) {
                        persisted = committed;
                    }
                    stored.addAndGet(added.size());
                    return upkeep;
                }

                @Override
                public int size() {
                    return added.size();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public int preferredBatchSize() {
            int group = rowGroup;
            return group == 0 ? Integer.MAX_VALUE : group - stored.get() % group;
        }

        @Override
        public List<JournalPosition> persistedPositions() {
            return persisted;
        }

        void persistAll() {
            persisted = committed;
        }

        @Override
        public void idle() {
            storedAtLastIdle.set(stored.get());
            idles.incrementAndGet();
        }

        @Override
        public long storedEvents() {
            return stored.get();
        }

        @Override
        public void close() {
        }
    }

    /** Events with nothing added: what enrichment adds is pinned down in EnricherTest. */
    private static Pipeline plainEvents() {
        return new Pipeline(new Enrich(h -> new Event(h, null, null, null, null, null, null, null), () -> { }));
    }

    private static Hit hit(int i) {
        return Hit.of(1_700_000_000_000L + i, HitKind.PAGE_VIEW, "p").page(new Hit.Page("https://a.example/" + i, null, null))
                .client(new Hit.Client("192.0.2.1", "ua")).build();
    }

    @Test
    void theStoreIsToldOfIdleMomentsOnlyOnceTheJournalHasNothingLeft() throws Exception {
        RecordingStore store = new RecordingStore();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of());
             EventLoader loader = new EventLoader(journal, plainEvents(), store,
                     new SpeckMetrics(), 100, Duration.ofMillis(20))) {
            for (int i = 0; i < 1_000; i++) {
                journal.append(hit(i));
            }
            loader.start();
            RunningSpeck.await(() -> store.idles.get() > 0, "an idle moment");
            assertThat(store.storedAtLastIdle.get()).as("not before every hit was stored, 100 at a time").isEqualTo(1_000);

            journal.append(hit(1_000));
            RunningSpeck.await(() -> store.storedAtLastIdle.get() == 1_001, "the next idle moment after one more hit");
        }
    }

    @Test
    void aBatchIsEnrichedAndAddedInChunksAndCommittedOnce() throws Exception {
        RecordingStore store = new RecordingStore();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of())) {
            for (int i = 0; i < 1_700; i++) {
                journal.append(hit(i));
            }
            try (EventLoader loader = new EventLoader(journal, plainEvents(), store,
                    new SpeckMetrics(), 1_200, Duration.ofMillis(20))) {
                loader.drain();
            }
            assertThat(store.commits).as("one transaction per batch of 1,200, then the rest").containsExactly(1_200, 500);
            assertThat(store.chunks).as("each transaction filled %d hits at a time", EventLoader.CHUNK)
                    .containsExactly(500, 500, 200, 500);
            assertThat(journal.backlogBytes()).isZero();
        }
    }

    @Test
    void batchesEndWhereTheStoreWouldLikeThemToWithinTheConfiguredSize() throws Exception {
        RecordingStore store = new RecordingStore();
        store.rowGroup = 700;
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of())) {
            for (int i = 0; i < 2_500; i++) {
                journal.append(hit(i));
            }
            try (EventLoader loader = new EventLoader(journal, plainEvents(), store,
                    new SpeckMetrics(), 600, Duration.ofMillis(20))) {
                loader.drain();
            }
            assertThat(store.commits).as("at most 600 each, and never across a multiple of 700")
                    .containsExactly(600, 100, 600, 100, 600, 100, 400);
        }
    }

    @Test
    void aBatchTheStoreRefusesIsReadAgainFromTheJournalAndStoredOnceInOrder() throws Exception {
        RecordingStore store = new RecordingStore();
        store.refuseNext.set(2);
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of());
             EventLoader loader = new EventLoader(journal, plainEvents(), store,
                     new SpeckMetrics(), 300, Duration.ofMillis(20))) {
            for (int i = 0; i < 1_000; i++) {
                journal.append(hit(i));
            }
            loader.start();
            RunningSpeck.await(() -> store.stored.get() >= 1_000, "every hit to be stored after two refused commits");
            RunningSpeck.await(() -> journal.backlogBytes() == 0, "the journal to be released up to the end");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                expected.add("https://a.example/" + i);
            }
            assertThat(store.urls).as("none lost, none doubled, in journal order").isEqualTo(expected);
            assertThat(store.refuseNext.get()).isZero();
        }
    }

    @Test
    void aCheckpointInsideACommitDoesNotCountAgainstTheLoadersOwnRate() throws Exception {
        // Counted, a 1 s checkpoint per batch of 500 would measure the loader at <= 500 hits/s: slower
        // than modest traffic, so it would stand back for a burst that is not there.
        RecordingStore store = new RecordingStore();
        store.upkeepNanos = Duration.ofSeconds(1).toNanos();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of())) {
            for (int i = 0; i < 1_500; i++) {
                journal.append(hit(i));
            }
            try (EventLoader loader = new EventLoader(journal, plainEvents(), store, new SpeckMetrics(), 500,
                    Duration.ofMillis(20), StoredEventListener.NONE, new BurstDeferral(Duration.ofSeconds(30), 64L << 20))) {
                loader.start();
                RunningSpeck.await(() -> store.stored.get() >= 1_500, "three full batches to be stored");
                RunningSpeck.await(() -> loader.measuredRate() > 0, "the loader to measure its rate");
                assertThat(loader.measuredRate()).as("hits/s without the checkpoints' time").isGreaterThan(1_500);
            }
        }
    }

    @Test
    void theJournalFreesOnlyWhatTheStoreHasMadeSafeEvenWhenTheLoaderIsIdle() throws Exception {
        RecordingStore store = new RecordingStore();
        store.persistsAtCommit = false; // as DuckDB's store: commits into memory, moves into its file later
        int segment = 300 * 1024;
        try (MappedJournal journal = MappedJournal.open(dir, 1, segment, 64L << 20, Duration.ofMillis(50), List.of());
             EventLoader loader = new EventLoader(journal, plainEvents(), store,
                     new SpeckMetrics(), 500, Duration.ofMillis(20))) {
            Path lane = dir.resolve("lane-0");
            int n = 0;
            while (segments(lane).size() < 4) {
                journal.append(hit(n++));
            }
            loader.start();
            int appended = n;
            RunningSpeck.await(() -> store.stored.get() == appended, "every hit to be stored");
            RunningSpeck.await(() -> journal.backlogBytes() == 0, "the journal to count them as loaded");
            List<Path> before = segments(lane);
            assertThat(before).as("kept: a crash now would lose what is only in memory").hasSizeGreaterThanOrEqualTo(4);

            store.persistAll(); // the move into the file, done while the loader has nothing to load
            RunningSpeck.await(() -> !segments(lane).contains(before.get(0)),
                    "the segments before the safe positions to go");
            assertThat(store.urls).hasSize(appended).doesNotHaveDuplicates();
        }
    }

    private static List<Path> segments(Path lane) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(lane)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
