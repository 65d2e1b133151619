package dev.speck.pipeline;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.journal.JournalPosition;
import dev.speck.journal.MappedJournal;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.store.EventStore;
import dev.speck.store.StoredEventListener;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** /healthz measures the oldest unstored hit's age, on a clock of the test's own (no minute of sleeping). */
class HealthTest {

    @TempDir
    Path dir;

    /** Holds every commit until it is opened, as a loader stuck in its store would be. */
    private static final class GatedStore implements EventStore {
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger stored = new AtomicInteger();
        final AtomicInteger commitsWaiting = new AtomicInteger();

        @Override
        public List<JournalPosition> checkpoints() {
            return List.of();
        }

        @Override
        public List<JournalPosition> persistedPositions() {
            return List.of();
        }

        @Override
        public Transaction begin() {
            return new Transaction() {
                int size;

                @Override
                public void add(List<Event> events, List<Achievement> achievements) {
                    size += events.size();
                }

                @Override
                public long commit(Collection<JournalPosition> positions) {
                    commitsWaiting.incrementAndGet();
                    try {
                        open.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    commitsWaiting.decrementAndGet();
                    stored.addAndGet(size);
                    return 0;
                }

                @Override
                public int size() {
                    return size;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public long storedEvents() {
            return stored.get();
        }

        @Override
        public void close() {
            open.countDown();
        }
    }

    private static Hit hit() {
        return Hit.of(1_700_000_000_000L, HitKind.PAGE_VIEW, "p").page(new Hit.Page("https://a.example/", null, null))
                .client(new Hit.Client("192.0.2.1", "ua")).build();
    }

    @Test
    void aHitAfterAQuietMinuteIsHealthyAndOneLeftUnstoredPastTheLimitIsNot() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        GatedStore store = new GatedStore();
        Pipeline plain = new Pipeline(new Enrich(h -> new Event(h, null, null, null, null, null, null, null), () -> { }));
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(50), List.of());
             EventLoader loader = new EventLoader(journal, plain, store, new SpeckMetrics(), 100, Duration.ofMillis(5),
                     StoredEventListener.NONE, BurstDeferral.OFF, now::get)) {
            Health health = new Health(journal, loader, store, () -> "nio", now::get, Duration.ofSeconds(60));
            loader.start();
            assertThat(health.report()).containsEntry("status", "ok").containsEntry("oldestUnstoredHitSeconds", 0L);

            now.addAndGet(61_000); // a quiet minute: nothing stored, nothing waiting
            RunningSpeck.await(() -> loader.caughtUpAt() == now.get(), "the idle loader to find the journal empty");
            assertThat(health.report()).containsEntry("status", "ok");

            journal.append(hit()); // the first hit after the quiet minute, held in the store's commit
            RunningSpeck.await(() -> store.commitsWaiting.get() == 1, "the loader to be storing the hit");
            now.addAndGet(2_000);
            Map<String, Object> justArrived = health.report();
            assertThat(justArrived).containsEntry("status", "ok").containsEntry("oldestUnstoredHitSeconds", 2L)
                    .containsEntry("secondsSinceLastStore", 63L);
            assertThat((Long) justArrived.get("journalBacklogBytes")).isPositive();

            now.addAndGet(59_000); // the hit is now 61 s old and still not stored
            assertThat(health.report()).containsEntry("status", "degraded").containsEntry("oldestUnstoredHitSeconds", 61L);

            store.open.countDown();
            RunningSpeck.await(() -> journal.backlogBytes() == 0, "the hit to be stored");
            assertThat(health.report()).containsEntry("status", "ok").containsEntry("oldestUnstoredHitSeconds", 0L)
                    .containsEntry("storedEvents", 1L);
        }
    }
}
