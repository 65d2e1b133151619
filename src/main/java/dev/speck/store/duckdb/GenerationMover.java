package dev.speck.store.duckdb;

import dev.speck.journal.JournalPosition;
import dev.speck.store.BackgroundPriority;
import java.sql.Connection;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves a generation the loader filled into the database file, on an upkeep thread of its own, in one
 * transaction with the journal positions after its rows; the loader goes on filling the other one.
 */
final class GenerationMover {

    /** How long a failed move waits before it is tried again (the rows wait in memory and in the journal). */
    static final long MOVE_RETRY_NANOS = 1_000_000_000L;

    /** Moves and checkpoints slower than this are logged. */
    static final long SLOW_NANOS = 500_000_000L;

    /** The store's logger: its parts log under the one name operators know. */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DuckDbEventStore.class.getName());

    private static final CompletableFuture<Void> NO_MOVE = CompletableFuture.completedFuture(null);

    private final DuckDbDatabase database;
    private final Generations generations;
    private final MoveCheckpoints checkpoints;
    /** Runs the moves; a caller-runs executor makes them synchronous (tests). */
    private final Executor upkeep;
    /** The executor this store made for itself, shut down with it; null when given one. */
    private final ExecutorService ownUpkeep;
    /** The last move handed to {@link #upkeep}; done when the rows are in the file and their generation empty. */
    private volatile CompletableFuture<Void> moving = NO_MOVE;
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failedMoves = new AtomicLong();
    private volatile boolean closing;
    /** The journal positions stored in the file with the last move (at start, those it holds). */
    private volatile List<JournalPosition> persisted;

    /**
     * @param upkeep            where the moves run; null for a thread of the store's own
     * @param refusedRetryNanos how long a refused checkpoint after a move is tried again
     * @param persisted         the journal positions the file holds
     */
    GenerationMover(DuckDbDatabase database, Generations generations, Executor upkeep, long refusedRetryNanos,
                    List<JournalPosition> persisted) {
        this.database = database;
        this.generations = generations;
        this.checkpoints = new MoveCheckpoints(database, refusedRetryNanos, () -> closing);
        this.persisted = persisted;
        if (upkeep == null) {
            this.ownUpkeep = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(() -> {
                    BackgroundPriority.lowerCurrentThread();
                    task.run();
                }, "speck-mover");
                t.setDaemon(true);
                return t;
            });
            this.upkeep = ownUpkeep;
        } else {
            this.ownUpkeep = null;
            this.upkeep = upkeep;
        }
    }

    /**
     * Hands the generation the loader filled to the upkeep thread and switches the loader to the
     * other one, unless the last move is still running (then the loader goes on filling this one, to
     * the next row group's end). On the loader thread.
     *
     * @return nanoseconds the caller spent on it: all of the move when the executor ran it right away
     */
    long handOver() {
        if (!moving.isDone() || generations.empty()) {
            return 0;
        }
        long started = System.nanoTime();
        Runnable move = takeGeneration();
        DuckDbDatabase.Lease lease = database.writing();
        try {
            moving = CompletableFuture.runAsync(() -> {
                try (lease) {
                    move.run();
                }
            }, upkeep);
        } catch (RuntimeException rejected) { // the store is closing: the rows stay in the journal
            lease.close();
            LOG.fine("move not started: " + rejected);
            return 0;
        }
        return moving.isDone() ? System.nanoTime() - started : 0;
    }

    /** Switches the loader to the other generation; returns the move of the one it filled. */
    private Runnable takeGeneration() {
        Generations.Filled filled = generations.take();
        return () -> move(filled.from(), filled.upTo(), filled.rows(), filled.after(), filled.fillsRowGroups());
    }

    /**
     * Runs on the upkeep thread: moves a generation's rows into the file with the positions after
     * them and the seq they reach (one transaction), empties the generation, and checkpoints. A
     * failed move is tried again until it goes through or the store closes; its rows are safe in
     * the journal meanwhile, and visible in memory.
     */
    private void move(int from, long upTo, long rows, List<JournalPosition> after, boolean fillsRowGroups) {
        long started = System.nanoTime();
        while (!moveOnce(from, upTo, after)) {
            if (closing) {
                return;
            }
            LockSupport.parkNanos(MOVE_RETRY_NANOS);
        }
        long movedAt = System.nanoTime();
        persisted = after;
        moved.addAndGet(rows);
        long checkpoint = checkpoints.afterMove(fillsRowGroups);
        if (movedAt - started >= SLOW_NANOS || checkpoint >= SLOW_NANOS) {
            LOG.info(String.format("moved %d events into the file in %d ms, checkpoint %d ms",
                    rows, (movedAt - started) / 1_000_000, Math.max(checkpoint, 0) / 1_000_000));
        }
    }

    /** @return whether the rows are in the file and their generation is empty */
    private boolean moveOnce(int from, long upTo, List<JournalPosition> after) {
        database.moves().lock();
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                // Rows up to events_moved are in the file already: a generation left unemptied by a
                // failure below must not be moved twice.
                for (String table : DuckDbDatabase.LOADED_TABLES) {
                    st.execute("INSERT INTO " + table + " SELECT * FROM " + DuckDbDatabase.loaded(table, from)
                            + " WHERE seq > (SELECT seq FROM events_moved)");
                }
                st.execute("UPDATE events_moved SET seq = " + upTo);
                savePositions(c, after);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            c.setAutoCommit(true);
            for (String table : DuckDbDatabase.LOADED_TABLES) {
                database.emptyLoaded(st, table, from);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            failedMoves.incrementAndGet();
            LOG.log(java.util.logging.Level.WARNING, "could not move loaded events into the file (they stay in "
                    + "memory and in the journal; trying again): " + e.getMessage(), e);
            return false;
        } finally {
            database.moves().unlock();
        }
    }

    /**
     * The positions after the moved rows, in the move's transaction (a lane's position is one row,
     * replaced).
     */
    private static void savePositions(Connection c, Collection<JournalPosition> positions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO journal_checkpoints (lane, segment, position) VALUES (?, ?, ?)")) {
            for (JournalPosition p : positions) {
                ps.setString(1, p.lane());
                ps.setLong(2, p.segment());
                ps.setLong(3, p.offset());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Whether a move is running now. */
    boolean moveRunning() {
        return !moving.isDone();
    }

    /** @return nanoseconds waited for the move running now (0 when none was) */
    long awaitMoveNanos() {
        if (moving.isDone()) {
            return 0;
        }
        long started = System.nanoTime();
        moving.join(); // never completes exceptionally: move() catches what DuckDB throws
        return System.nanoTime() - started;
    }

    /** Waits for the move running now, if any (tests). */
    void awaitMove() {
        moving.join();
    }

    /** The journal positions stored in the file with the last move (at start, those it holds). */
    List<JournalPosition> persisted() {
        return persisted;
    }

    /** Events moved into the file since start. */
    long moved() {
        return moved.get();
    }

    /** Moves DuckDB refused (they are tried again). */
    long failedMoves() {
        return failedMoves.get();
    }

    /** Checkpoints DuckDB refused (another transaction writing), retries included. */
    long refusedCheckpoints() {
        return checkpoints.refused();
    }

    /**
     * Moves what the loader left in memory into the file (after the loader stopped), so that a clean
     * stop leaves nothing for the journal to replay. A move that fails is not retried: its rows are in
     * the journal. Waits at most a minute for a move already running.
     */
    void close() {
        closing = true;
        try {
            moving.get(1, java.util.concurrent.TimeUnit.MINUTES); // never fails: move() catches what DuckDB throws
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warning("a move into the file did not end; its rows are in the journal for the next start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!generations.empty() && moving.isDone()) {
            try (DuckDbDatabase.Lease lease = database.writing()) {
                takeGeneration().run(); // here: the upkeep thread may be gone
            }
        }
        if (ownUpkeep != null) {
            ownUpkeep.shutdown();
        }
    }
}
