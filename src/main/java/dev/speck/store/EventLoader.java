package dev.speck.store;

import dev.speck.collect.Hit;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.HitJournal;
import dev.speck.journal.JournalBatch;
import dev.speck.metrics.SpeckMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one background thread between the journal and the store: it polls the journal for a batch
 * (never woken per hit), enriches it, stores it with the positions after it, then frees the
 * journal up to there. A batch the store refuses is retried, never dropped.
 */
public final class EventLoader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventLoader.class.getName());

    private final HitJournal journal;
    private final Function<Hit, Event> enricher;
    private final EventStore store;
    private final SpeckMetrics metrics;
    private final int maxBatch;
    private final long idleNanos;
    /** How long the loader must have kept up (no full batch) before the store is told it is quiet. */
    static final Duration QUIET_AFTER = Duration.ofSeconds(2);
    private final Runnable warmUp;
    private final Function<List<Event>, List<Achievement>> goals;
    private final Consumer<List<Event>> published;
    private final Thread thread;
    private final BurstDeferral deferral;
    private volatile boolean deferring;
    private volatile boolean running = true;
    private volatile long lastStoredAt = System.currentTimeMillis();

    public EventLoader(HitJournal journal, Function<Hit, Event> enricher, EventStore store,
                       SpeckMetrics metrics, int maxBatch, Duration idle, Runnable warmUp) {
        this(journal, enricher, store, metrics, maxBatch, idle, warmUp, events -> List.of(), events -> {
        });
    }

    /**
     * @param goals     the goals a batch of enriched events achieves, stored with it
     * @param published told of each batch once it is committed (the live view); must not block
     */
    public EventLoader(HitJournal journal, Function<Hit, Event> enricher, EventStore store,
                       SpeckMetrics metrics, int maxBatch, Duration idle, Runnable warmUp,
                       Function<List<Event>, List<Achievement>> goals, Consumer<List<Event>> published) {
        this(journal, enricher, store, metrics, maxBatch, idle, warmUp, goals, published, BurstDeferral.OFF);
    }

    /** @param deferral when to stand back during a burst the loader cannot keep up with anyway */
    public EventLoader(HitJournal journal, Function<Hit, Event> enricher, EventStore store,
                       SpeckMetrics metrics, int maxBatch, Duration idle, Runnable warmUp,
                       Function<List<Event>, List<Achievement>> goals, Consumer<List<Event>> published,
                       BurstDeferral deferral) {
        this.deferral = deferral;
        this.goals = goals;
        this.published = published;
        this.warmUp = warmUp;
        this.journal = journal;
        this.enricher = enricher;
        this.store = store;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.idleNanos = idle.toNanos();
        this.thread = new Thread(this::run, "speck-loader");
        this.thread.setDaemon(true);
    }

    /** Whether the loader is standing back for a burst right now. */
    public boolean deferring() {
        return deferring;
    }

    /** Hits per second the loader measured for itself on full batches (0 until one). */
    public double measuredRate() {
        return deferral.loaderRate();
    }

    public void start() {
        thread.start();
    }

    private void run() {
        BackgroundPriority.lowerCurrentThread();
        try {
            warmUp.run(); // here, not at start-up: the server answers hits while this takes its seconds
            System.gc(); // once: building the analyzer leaves ~100s of MB of garbage that would keep the heap (and RSS) large
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "enrichment warm-up failed; enrichment continues without it", e);
        }
        long lastBehind = System.nanoTime(); // when the loader last polled a full batch
        boolean storedSinceQuiet = false;
        while (running) {
            deferring = deferral.defer(System.nanoTime(), journal.appendedHits(), journal.backlogBytes());
            if (deferring) {
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            long started = System.nanoTime();
            JournalBatch batch = journal.poll(maxBatch);
            if (batch.corruptRecords() > 0) {
                metrics.corruptRecords(batch.corruptRecords());
            }
            if (batch.positions().isEmpty()) {
                if (storedSinceQuiet && System.nanoTime() - lastBehind >= QUIET_AFTER.toNanos()) {
                    store.quiet();
                    storedSinceQuiet = false;
                }
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            if (batch.hits().size() >= maxBatch) {
                lastBehind = System.nanoTime();
            }
            if (!storeUntilDone(enrich(batch.hits()), batch)) {
                return;
            }
            deferral.stored(batch.hits().size(), System.nanoTime() - started, batch.hits().size() >= maxBatch);
            storedSinceQuiet = true;
        }
    }

    private List<Event> enrich(List<Hit> hits) {
        List<Event> events = new ArrayList<>(hits.size());
        for (Hit hit : hits) {
            try {
                events.add(enricher.apply(hit));
            } catch (RuntimeException e) {
                // Enrichment is best effort; the hit itself is never dropped for it.
                LOG.log(Level.WARNING, "enrichment failed for a hit of pixel " + hit.pixel(), e);
                events.add(new Event(hit, null, null, null, null, null, hit.timeZone(), null));
            }
        }
        return events;
    }

    /** False only when stopping with the batch unstored (the journal keeps it for the next start). */
    private boolean storeUntilDone(List<Event> events, JournalBatch batch) {
        long backoffMillis = 100;
        List<Achievement> achievements = achievements(events);
        while (true) {
            long start = System.nanoTime();
            try {
                store.append(events, achievements, batch.positions());
                metrics.stored(events.size(), (System.nanoTime() - start) / 1e9);
                lastStoredAt = System.currentTimeMillis();
                journal.release(batch.positions());
                publish(events);
                return true;
            } catch (StoreException e) {
                metrics.storeFailed();
                LOG.log(Level.WARNING, e.getMessage() + "; retrying in " + backoffMillis + " ms", e);
                if (!running) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
    }

    /** Goals are tested once per batch, before the retries: a retried batch stores what it first achieved. */
    private List<Achievement> achievements(List<Event> events) {
        try {
            return goals.apply(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "goal evaluation failed; the batch is stored without achievements", e);
            return List.of();
        }
    }

    private void publish(List<Event> events) {
        try {
            published.accept(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "publishing stored events to live subscribers failed", e);
        }
    }

    /** Epoch millis of the last successful store. */
    public long lastStoredAt() {
        return lastStoredAt;
    }

    /** Stops after the batch in hand; what is left in the journal is loaded at the next start. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loads everything the journal holds now, on the calling thread; for shutdown and tests. */
    public void drain() {
        if (thread.isAlive()) {
            throw new IllegalStateException("drain only when the loader thread is stopped");
        }
        JournalBatch batch;
        while (!(batch = journal.poll(maxBatch)).positions().isEmpty()) {
            if (!storeUntilDone(enrich(batch.hits()), batch)) {
                return; // a later batch must not be stored past this one: the journal replays both
            }
        }
    }
}
