package dev.speck.store;

import dev.speck.collect.Hit;
import dev.speck.collect.HitKind;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;
import dev.speck.journal.MappedJournal;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoaderTest {

    @TempDir
    Path dir;

    /** Counts what the loader asks of it; stores nothing. */
    private static final class CountingStore implements EventStore {
        final AtomicInteger stored = new AtomicInteger();
        final AtomicInteger quiet = new AtomicInteger();
        final AtomicInteger storedAtLastQuiet = new AtomicInteger(-1);

        @Override
        public List<JournalPosition> checkpoints() {
            return List.of();
        }

        @Override
        public void append(List<Event> events, List<Achievement> achievements, List<JournalPosition> positions) {
            stored.addAndGet(events.size());
        }

        @Override
        public void quiet() {
            storedAtLastQuiet.set(stored.get());
            quiet.incrementAndGet();
        }

        @Override
        public long storedEvents() {
            return stored.get();
        }

        @Override
        public void close() {
        }
    }

    private static Hit hit(int i) {
        return new Hit(1_700_000_000_000L + i, HitKind.PAGE_VIEW, "p", null, "https://a.example/" + i, null, null,
                "192.0.2.1", "ua", null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void theStoreIsToldItIsQuietOnceAfterTheLoaderHasKeptUpAndNotAgainUntilMoreIsStored() throws Exception {
        CountingStore store = new CountingStore();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of());
             EventLoader loader = new EventLoader(journal, h -> new Event(h, null, null, null, null, null, null, null),
                     store, new SpeckMetrics(), 100, Duration.ofMillis(20), () -> { })) {
            loader.start();
            for (int i = 0; i < 10; i++) {
                journal.append(hit(i));
            }
            RunningSpeck.await(() -> store.quiet.get() == 1, "the store to be told it is quiet");
            assertThat(store.storedAtLastQuiet.get()).isEqualTo(10);

            journal.append(hit(10));
            RunningSpeck.await(() -> store.quiet.get() == 2, "a second quiet moment after the next stored hit");
            assertThat(store.storedAtLastQuiet.get()).isEqualTo(11);
        }
    }

    /** Blocks each append until the test lets it through; records the batches in the order stored. */
    private static final class GatedStore implements EventStore {
        final java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        final AtomicInteger appendsStarted = new AtomicInteger();
        final List<String> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<List<JournalPosition>> positions = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public List<JournalPosition> checkpoints() {
            return List.of();
        }

        @Override
        public void append(List<Event> events, List<Achievement> achievements, List<JournalPosition> at) {
            appendsStarted.incrementAndGet();
            gate.acquireUninterruptibly();
            if (failing) {
                throw new StoreException("refused", null);
            }
            events.forEach(e -> stored.add(e.hit().url()));
            positions.add(at);
        }

        @Override
        public long storedEvents() {
            return stored.size();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theNextBatchIsEnrichedWhileTheStoreIsBusyWithThePreviousOne() throws Exception {
        GatedStore store = new GatedStore();
        List<String> enriched = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of());
             EventLoader loader = new EventLoader(journal, h -> {
                 enriched.add(h.url());
                 return new Event(h, null, null, null, null, null, null, null);
             }, store, new SpeckMetrics(), 5, Duration.ofMillis(20), () -> { })) {
            for (int i = 0; i < 5; i++) {
                journal.append(hit(i));
            }
            loader.start();
            RunningSpeck.await(() -> store.appendsStarted.get() == 1, "the first batch to reach the store");
            for (int i = 5; i < 10; i++) {
                journal.append(hit(i));
            }
            // the store still holds the first batch: the second is enriched meanwhile, not after it
            RunningSpeck.await(() -> enriched.size() == 10, "the second batch to be enriched");
            assertThat(store.stored).isEmpty();

            store.gate.release(2);
            RunningSpeck.await(() -> store.stored.size() == 10, "both batches to be stored");
            assertThat(store.stored).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 10).mapToObj(i -> "https://a.example/" + i).toList());
        }
    }

    @Test
    void closingStoresTheBatchesInFlightSoDrainContinuesRightAfterThem() throws Exception {
        GatedStore store = new GatedStore();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of())) {
            EventLoader loader = new EventLoader(journal, h -> new Event(h, null, null, null, null, null, null, null),
                    store, new SpeckMetrics(), 5, Duration.ofMillis(20), () -> { });
            for (int i = 0; i < 15; i++) {
                journal.append(hit(i));
            }
            loader.start();
            // one batch in the store, the next enriched and waiting for it
            RunningSpeck.await(() -> store.appendsStarted.get() == 1, "the first batch to reach the store");
            store.gate.release(100);
            loader.close();
            loader.drain();

            assertThat(store.stored).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 15).mapToObj(i -> "https://a.example/" + i).toList());
        }
    }

    @Test
    void aBatchLeftUnstoredAtShutdownIsNotSkippedByTheDrain() throws Exception {
        GatedStore store = new GatedStore();
        store.failing = true;
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of())) {
            EventLoader loader = new EventLoader(journal, h -> new Event(h, null, null, null, null, null, null, null),
                    store, new SpeckMetrics(), 5, Duration.ofMillis(20), () -> { });
            for (int i = 0; i < 15; i++) {
                journal.append(hit(i));
            }
            loader.start();
            RunningSpeck.await(() -> store.appendsStarted.get() == 1, "the first batch to reach the store");
            store.gate.release(100); // it fails, and is retried until the loader stops
            loader.close();
            store.failing = false;
            loader.drain();

            // storing the later batches would have recorded journal positions past the unstored first one
            assertThat(store.stored).isEmpty();
            assertThat(journal.backlogBytes()).isPositive();
        }
    }
}
