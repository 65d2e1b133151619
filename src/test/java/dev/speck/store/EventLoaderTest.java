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
}
