package dev.speck.pipeline;

import dev.speck.enrich.Event;
import dev.speck.hit.Hit;
import dev.speck.journal.HitJournal;
import dev.speck.journal.JournalBatch;
import dev.speck.journal.JournalPosition;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.store.BackgroundPriority;
import dev.speck.store.EventStore;
import dev.speck.store.StoreException;
import dev.speck.store.StoredEventListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one background thread between the journal and the store: it polls the journal (never woken
 * per hit) a chunk at a time, runs each chunk through the {@link Pipeline}'s stages and adds what
 * comes out (events and their achievements) to one store transaction, which it commits with the
 * positions after the last chunk once the journal is drained or the batch is full; then it tells
 * the journal what is stored, and lets it free what the store has also made safe from a crash
 * ({@link EventStore#persistedPositions()}). A chunk's hits and events are garbage once added: only
 * what the live view watches is held until the commit. A batch the store refuses is rolled back
 * and read again from the journal (rewound to what was stored), never dropped.
 */
public final class EventLoader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventLoader.class.getName());

    /**
     * Hits run through the pipeline and added at a time. The young collections copy what is alive,
     * and a whole batch of hits and events alive until its commit made requests wait up to 13-30 ms
     * at each (batches of 5,000); chunks of 500 kept those pauses at 1-2 ms (docs/PERFORMANCE.md).
     */
    static final int CHUNK = 500;

    private final HitJournal journal;
    private final Pipeline pipeline;
    private final EventStore store;
    private final SpeckMetrics metrics;
    private final int maxBatch;
    private final long idleNanos;
    private final StoredEventListener listener;
    private final Thread thread;
    private final BurstDeferral deferral;
    private volatile boolean deferring;
    /** How long a stop waits for the loader's thread (see close()). */
    private static final int CLOSE_WAIT_MINUTES = 10;
    private volatile boolean running = true;
    private volatile long lastStoredAt;
    /**
     * When the loader last found the journal drained (epoch millis): every hit received before
     * then is stored, so the oldest unstored hit is younger. {@link Health} measures from this, not
     * from the last store, which after a quiet hour is an hour ago even for a hit received just now.
     */
    private volatile long caughtUpAt;
    /** Events stored since start, for the stop message; written by one thread at a time. */
    private volatile long storedSinceStart;
    /** Epoch millis; a test's own clock in HealthTest. */
    private final LongSupplier clock;
    /** The store's own upkeep inside the last commit (a checkpoint), left out of the loader's rate. */
    private long lastUpkeepNanos;
    /** The store's safe positions the journal was last given. */
    private List<JournalPosition> persisted;

    public EventLoader(HitJournal journal, Pipeline pipeline, EventStore store, SpeckMetrics metrics, int maxBatch,
                       Duration idle) {
        this(journal, pipeline, store, metrics, maxBatch, idle, StoredEventListener.NONE, BurstDeferral.OFF);
    }

    /**
     * @param pipeline  the stages each chunk goes through before it is stored
     * @param maxBatch  the most hits in one store transaction
     * @param listener  told of the events it wants once they are committed (the live view)
     * @param deferral  when to stand back during a burst the loader cannot keep up with anyway
     */
    public EventLoader(HitJournal journal, Pipeline pipeline, EventStore store, SpeckMetrics metrics, int maxBatch,
                       Duration idle, StoredEventListener listener, BurstDeferral deferral) {
        this(journal, pipeline, store, metrics, maxBatch, idle, listener, deferral, System::currentTimeMillis);
    }

    EventLoader(HitJournal journal, Pipeline pipeline, EventStore store, SpeckMetrics metrics, int maxBatch,
                Duration idle, StoredEventListener listener, BurstDeferral deferral, LongSupplier clock) {
        this.clock = clock;
        this.lastStoredAt = clock.getAsLong();
        this.caughtUpAt = lastStoredAt;
        this.deferral = deferral;
        this.listener = listener;
        this.journal = journal;
        this.pipeline = pipeline;
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
            pipeline.warmUp(); // here, not at start-up: the server answers hits while this takes its seconds
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
     * Polls chunks, runs them through the pipeline and adds them to one transaction until the journal has no more or the
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
        long polledAt = clock.getAsLong();
        JournalBatch chunk = poll(ask);
        if (chunk.positions().isEmpty()) {
            caughtUpAt = polledAt;
            return -1; // no transaction for nothing: the loader polls this way many times a second when idle
        }
        Map<String, JournalPosition> after = new LinkedHashMap<>();
        List<Event> wanted = new ArrayList<>();
        long storeNanos = 0; // in the store's calls only, not in polling and the stages
        try (EventStore.Transaction tx = store.begin()) {
            while (true) {
                chunk.positions().forEach(p -> after.put(p.lane(), p));
                boolean drained = chunk.hits().size() < ask;
                storeNanos += add(tx, chunk, wanted);
                if (tx.size() >= full || drained) {
                    break; // full, or drained for now: commit what there is
                }
                ask = Math.min(CHUNK, full - tx.size());
                polledAt = clock.getAsLong();
                chunk = poll(ask);
            }
            long start = System.nanoTime();
            int n = tx.size();
            lastUpkeepNanos = tx.commit(after.values());
            metrics.stored(n, (storeNanos + System.nanoTime() - start) / 1e9);
            storedSinceStart += n;
            lastStoredAt = clock.getAsLong();
            if (chunk.hits().size() < ask) {
                caughtUpAt = polledAt; // the last poll drained the journal: all received before it is stored now
            }
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
     * Runs a chunk through the pipeline and adds it; keeps only the events the live view wants.
     *
     * @return nanoseconds spent in the store
     */
    private long add(EventStore.Transaction tx, JournalBatch polled, List<Event> wanted) {
        if (polled.hits().isEmpty()) {
            return 0;
        }
        Chunk chunk = pipeline.run(polled.hits(), polled.recordAt());
        long start = System.nanoTime();
        tx.add(chunk.events(), chunk.achievements());
        long spent = System.nanoTime() - start;
        for (Event e : chunk.events()) {
            if (listener.wants(e.hit().pixel())) {
                wanted.add(e);
            }
        }
        return spent;
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

    /** Events stored since this loader started (and by {@link #drain()}). */
    public long storedSinceStart() {
        return storedSinceStart;
    }

    /** Epoch millis before which every hit received is stored (see {@link #caughtUpAt}'s field). */
    public long caughtUpAt() {
        return caughtUpAt;
    }

    /** Stops after the batch in hand; what is left in the journal is loaded at the next start. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        // The thread may still be building the user-agent analyzer (its warm-up): seconds alone, but
        // over 30 s on a two-core machine busy with other work, where a stop then found the thread
        // alive and could not drain. It cannot be cut short, so the stop waits for it, generously.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(CLOSE_WAIT_MINUTES);
        try {
            while (thread.isAlive() && System.nanoTime() < deadline) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                if (thread.isAlive()) {
                    LOG.info("waiting for the loader to finish its batch or warm-up before stopping");
                }
            }
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
        if (thread.isAlive()) { // close() gave up waiting: what the journal holds is stored at the next start
            LOG.warning("the loader did not stop in " + CLOSE_WAIT_MINUTES + " minutes; the journal keeps what is "
                    + "not stored yet for the next start");
            return;
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
