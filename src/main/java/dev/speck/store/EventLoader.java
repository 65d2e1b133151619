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
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The loader between the journal and the store, two threads handing over whole batches: the first
 * ({@code speck-loader}) polls the journal for a batch (never woken per hit) and enriches it; the
 * second ({@code speck-store}) stores it with the journal positions after it, then frees the journal
 * up to there. So enriching the next batch overlaps storing this one, and a store that stands still
 * for a moment (DuckDB checkpointing inside a commit) finds the next batch enriched when it is back.
 * At most two batches are in flight (one being stored, one enriched and waiting): the hand-over
 * has no room of its own. Batches are stored in the order they were polled; a batch the store
 * refuses is retried, never dropped.
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
    private final Thread storeThread;
    /** Enriched batches to the store thread; no room of its own, so the loader waits while one is stored. */
    private final SynchronousQueue<Enriched> handOver = new SynchronousQueue<>();
    private final BurstDeferral deferral;
    private volatile boolean deferring;
    private volatile boolean running = true;
    /** Set once the loader thread has handed over its last batch: the store thread may then stop. */
    private volatile boolean loaderDone;
    /**
     * A polled batch was left unstored (stopping while the store failed): the journal replays it at the
     * next start, so nothing after it may be stored in this run (its positions would skip it).
     */
    private volatile boolean abandoned;
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
        this.storeThread = new Thread(this::storeRun, "speck-store");
        this.storeThread.setDaemon(true);
    }

    /** A batch enriched by the loader thread, for the store thread; {@link #QUIET} asks for a quiet-moment check. */
    private record Enriched(List<Event> events, JournalBatch batch) {
    }

    private static final Enriched QUIET = new Enriched(List.of(), new JournalBatch(List.of(), List.of(), 0));

    /** Whether the loader is standing back for a burst right now. */
    public boolean deferring() {
        return deferring;
    }

    /** Hits per second the loader measured for itself on full batches (0 until one). */
    public double measuredRate() {
        return deferral.loaderRate();
    }

    public void start() {
        storeThread.start();
        thread.start();
    }

    private void run() {
        try {
            load();
        } finally {
            loaderDone = true;
        }
    }

    private void load() {
        BackgroundPriority.lowerCurrentThread();
        try {
            warmUp.run(); // here, not at start-up: the server answers hits while this takes its seconds
            System.gc(); // once: building the analyzer leaves ~100s of MB of garbage that would keep the heap (and RSS) large
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "enrichment warm-up failed; enrichment continues without it", e);
        }
        long lastBehind = System.nanoTime(); // when the loader last polled a full batch
        boolean handedSinceQuiet = false;
        while (running && !abandoned) {
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
                if (handedSinceQuiet && System.nanoTime() - lastBehind >= QUIET_AFTER.toNanos()
                        && deferral.lightTraffic()) {
                    // the store thread checks it after the batches before it; if it is busy, the next idle poll asks again
                    handedSinceQuiet = !handOver.offer(QUIET);
                }
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            boolean full = batch.hits().size() >= maxBatch;
            if (full) {
                lastBehind = System.nanoTime();
            }
            if (!handOver(new Enriched(enrich(batch.hits()), batch))) {
                return;
            }
            // Includes the wait for the store thread to take it: the rate of the slower of the two.
            deferral.stored(batch.hits().size(), System.nanoTime() - started, full);
            handedSinceQuiet = true;
        }
    }

    /** Waits until the store thread takes the batch; false if it has stopped (the batch stays in the journal). */
    private boolean handOver(Enriched batch) {
        try {
            while (!handOver.offer(batch, idleNanos, TimeUnit.NANOSECONDS)) {
                if (abandoned || !storeThread.isAlive()) {
                    abandoned = true;
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            return false;
        }
    }

    /** The store thread: stores what the loader thread hands over, in order, until the loader thread is done. */
    private void storeRun() {
        BackgroundPriority.lowerCurrentThread();
        while (true) {
            Enriched batch;
            try {
                batch = handOver.poll(idleNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandoned = true;
                return;
            }
            if (batch == null) {
                if (loaderDone) {
                    return; // nothing can come any more: the loader thread hands over before it finishes
                }
            } else if (batch == QUIET) {
                try {
                    store.quiet();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "checkpoint in a quiet moment failed; loading goes on", e);
                }
            } else if (!storeUntilDone(batch.events(), batch.batch())) {
                abandoned = true;
                return;
            }
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
                long waitedMillis = System.currentTimeMillis() - oldestReceivedAt(events);
                metrics.visibleAfter(waitedMillis / 1e3);
                if (LOG.isLoggable(Level.FINE)) {
                    LOG.fine("stored " + events.size() + " events in " + (System.nanoTime() - start) / 1_000_000
                            + " ms; the oldest had waited " + waitedMillis + " ms");
                }
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

    /** Hits arrive about in order within a lane, but lanes interleave in a batch: the minimum. */
    private static long oldestReceivedAt(List<Event> events) {
        long oldest = Long.MAX_VALUE;
        for (Event e : events) {
            oldest = Math.min(oldest, e.hit().receivedAt());
        }
        return events.isEmpty() ? System.currentTimeMillis() : oldest;
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

    /**
     * Stops after the batches in flight are stored; what is left in the journal is loaded at the next
     * start (or by {@link #drain()}).
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        LockSupport.unpark(storeThread); // out of a retry's back-off
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                abandoned = true; // still enriching a batch: it must not be stored after what drain() stores
            }
            storeThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loads everything the journal holds now, on the calling thread; for shutdown and tests. */
    public void drain() {
        if (thread.isAlive() || storeThread.isAlive()) {
            throw new IllegalStateException("drain only when the loader threads are stopped");
        }
        if (abandoned) {
            return; // a polled batch was not stored: storing later ones would skip it; the next start replays all
        }
        JournalBatch batch;
        while (!(batch = journal.poll(maxBatch)).positions().isEmpty()) {
            if (!storeUntilDone(enrich(batch.hits()), batch)) {
                return; // a later batch must not be stored past this one: the journal replays both
            }
        }
    }
}
