package dev.speck.store;

import dev.speck.hit.Hit;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.HitJournal;
import dev.speck.journal.JournalBatch;
import dev.speck.journal.JournalPosition;
import dev.speck.metrics.SpeckMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one background thread between the journal and the store: it polls the journal (never woken
 * per hit) a chunk at a time, enriches each chunk and adds it to one store transaction, which it
 * commits with the positions after the last chunk once the journal is drained or the batch is
 * full; then it tells the journal what is stored, and lets it free what the store has also made safe
 * from a crash ({@link EventStore#persistedPositions()}). A chunk's hits and events are garbage once
 * added: only what the live view watches is held until the commit. A batch the store refuses is
 * rolled back and read again from the journal (rewound to what was stored), never dropped.
 */
public final class EventLoader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventLoader.class.getName());

    /**
     * Hits enriched and added at a time. The young collections copy what is alive, and a whole
     * batch of hits and events alive until its commit made requests wait up to 13-30 ms at each
     * (batches of 5,000); chunks of 500 kept those pauses at 1-2 ms (docs/PERFORMANCE.md).
     */
    static final int CHUNK = 500;

    private final HitJournal journal;
    private final Function<Hit, Event> enricher;
    private final EventStore store;
    private final SpeckMetrics metrics;
    private final int maxBatch;
    private final long idleNanos;
    private final Runnable warmUp;
    private final Function<List<Event>, List<Achievement>> goals;
    private final StoredEventListener listener;
    private final Thread thread;
    private final BurstDeferral deferral;
    private volatile boolean deferring;
    private volatile boolean running = true;
    private volatile long lastStoredAt = System.currentTimeMillis();
    /** The store's own upkeep inside the last commit (a checkpoint), left out of the loader's rate. */
    private long lastUpkeepNanos;
    /** The store's safe positions the journal was last given. */
    private List<JournalPosition> persisted;

    public EventLoader(HitJournal journal, Function<Hit, Event> enricher, EventStore store,
                       SpeckMetrics metrics, int maxBatch, Duration idle, Runnable warmUp) {
        this(journal, enricher, store, metrics, maxBatch, idle, warmUp, events -> List.of(),
                StoredEventListener.NONE, BurstDeferral.OFF);
    }

    /**
     * @param maxBatch  the most hits in one store transaction
     * @param goals     the goals a chunk of enriched events achieves, stored with it
     * @param listener  told of the events it wants once they are committed (the live view)
     * @param deferral  when to stand back during a burst the loader cannot keep up with anyway
     */
    public EventLoader(HitJournal journal, Function<Hit, Event> enricher, EventStore store,
                       SpeckMetrics metrics, int maxBatch, Duration idle, Runnable warmUp,
                       Function<List<Event>, List<Achievement>> goals, StoredEventListener listener,
                       BurstDeferral deferral) {
        this.deferral = deferral;
        this.goals = goals;
        this.listener = listener;
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
        long backoffMillis = 100;
        long deferringSince = 0;
        while (running) {
            boolean defer = deferral.defer(System.nanoTime(), journal.appendedHits(), journal.backlogBytes());
            if (defer != deferring) {
                deferringSince = logDeferral(defer, deferringSince);
            }
            deferring = defer;
            if (defer) {
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            long started = System.nanoTime();
            int stored;
            try {
                stored = loadBatch();
            } catch (StoreException e) {
                metrics.storeFailed();
                LOG.log(Level.WARNING, e.getMessage() + "; retrying in " + backoffMillis + " ms", e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
                continue;
            }
            backoffMillis = 100;
            if (stored <= 0) {
                store.idle();
                freePersisted();
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            // A checkpoint inside the commit is the store's upkeep, not the loader's pace: counted, one
            // slow checkpoint made the loader look slower than the traffic and stand back for seconds.
            // Only batches of the configured size measure the pace: a short one (cut at a row group's
            // end) is mostly the commit's fixed cost.
            deferral.stored(stored, System.nanoTime() - started - lastUpkeepNanos, stored >= maxBatch);
        }
    }

    /**
     * Polls, enriches and adds chunks to one transaction until the journal has no more or the
     * batch is full, and commits it. On a failure the transaction is rolled back and the journal
     * rewound, so the next call reads the same hits again.
     *
     * @return the hits stored, or -1 when the journal had nothing (records skipped as corrupt
     *         count as something: their positions are stored and released like any others)
     */
    private int loadBatch() {
        int preferred = Math.max(1, store.preferredBatchSize());
        int full = Math.min(maxBatch, preferred);
        int ask = Math.min(CHUNK, full);
        JournalBatch chunk = poll(ask);
        if (chunk.positions().isEmpty()) {
            return -1; // no transaction for nothing: the loader polls this way many times a second when idle
        }
        Map<String, JournalPosition> after = new LinkedHashMap<>();
        List<Event> wanted = new ArrayList<>();
        long storeNanos = 0; // in the store's calls only, not in polling and enrichment
        try (EventStore.Transaction tx = store.begin()) {
            while (true) {
                chunk.positions().forEach(p -> after.put(p.lane(), p));
                boolean drained = chunk.hits().size() < ask;
                storeNanos += add(tx, chunk.hits(), wanted);
                if (tx.size() >= full || drained) {
                    break; // full, or drained for now: commit what there is
                }
                ask = Math.min(CHUNK, full - tx.size());
                chunk = poll(ask);
            }
            long start = System.nanoTime();
            int n = tx.size();
            lastUpkeepNanos = tx.commit(after.values());
            metrics.stored(n, (storeNanos + System.nanoTime() - start) / 1e9);
            lastStoredAt = System.currentTimeMillis();
            journal.release(after.values());
            freePersisted();
            if (!wanted.isEmpty()) {
                tell(wanted);
            }
            return n;
        } catch (StoreException e) {
            journal.rewind();
            throw e;
        } catch (RuntimeException e) {
            journal.rewind();
            throw new StoreException("could not store a batch: " + e, e);
        }
    }

    /** Lets the journal free what the store has made safe since the last call. */
    private void freePersisted() {
        List<JournalPosition> now = store.persistedPositions();
        if (now != persisted) {
            persisted = now;
            journal.persisted(now);
        }
    }

    /** Logs when the loader starts or stops standing back; returns when the current spell began. */
    private long logDeferral(boolean starts, long since) {
        long now = System.nanoTime();
        if (starts) {
            LOG.info(String.format("standing back for a burst: %.0f hits/s arriving, the loader stores %.0f/s; %d MB waiting",
                    deferral.arrivalRate(), deferral.loaderRate(), journal.backlogBytes() >> 20));
            return now;
        }
        LOG.info(String.format("loading again after %d ms of standing back; %d MB waiting",
                (now - since) / 1_000_000, journal.backlogBytes() >> 20));
        return 0;
    }

    private JournalBatch poll(int maxHits) {
        JournalBatch chunk = journal.poll(maxHits);
        if (chunk.corruptRecords() > 0) {
            metrics.corruptRecords(chunk.corruptRecords());
        }
        return chunk;
    }

    /**
     * Enriches a chunk and adds it; keeps only the events the live view wants.
     *
     * @return nanoseconds spent in the store
     */
    private long add(EventStore.Transaction tx, List<Hit> hits, List<Event> wanted) {
        if (hits.isEmpty()) {
            return 0;
        }
        List<Event> events = enrich(hits);
        List<Achievement> achieved = achievements(events);
        long start = System.nanoTime();
        tx.add(events, achieved);
        long spent = System.nanoTime() - start;
        for (Event e : events) {
            if (listener.wants(e.hit().pixel())) {
                wanted.add(e);
            }
        }
        return spent;
    }

    private List<Event> enrich(List<Hit> hits) {
        List<Event> events = new ArrayList<>(hits.size());
        for (Hit hit : hits) {
            try {
                events.add(enricher.apply(hit));
            } catch (RuntimeException e) {
                // Enrichment is best effort; the hit itself is never dropped for it.
                LOG.log(Level.WARNING, "enrichment failed for a hit of pixel " + hit.pixel(), e);
                events.add(new Event(hit, null, null, null, null, null, hit.client().timeZone(), null));
            }
        }
        return events;
    }

    /** Goals are tested per chunk; a batch read again after a failure is tested again, against the goals then. */
    private List<Achievement> achievements(List<Event> events) {
        try {
            return goals.apply(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "goal evaluation failed; the chunk is stored without achievements", e);
            return List.of();
        }
    }

    private void tell(List<Event> events) {
        try {
            listener.stored(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "telling live subscribers of stored events failed", e);
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

    /**
     * Loads everything the journal holds now, on the calling thread; for shutdown and tests. Stops
     * at the first batch the store refuses: a later one must not be stored past it (the journal
     * replays both at the next start).
     */
    public void drain() {
        if (thread.isAlive()) {
            throw new IllegalStateException("drain only when the loader thread is stopped");
        }
        try {
            while (loadBatch() >= 0) {
                // until the journal is empty
            }
        } catch (StoreException e) {
            metrics.storeFailed();
            LOG.log(Level.WARNING, e.getMessage() + "; left in the journal for the next start", e);
        }
    }
}
