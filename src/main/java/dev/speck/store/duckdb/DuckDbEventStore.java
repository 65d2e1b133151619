package dev.speck.store.duckdb;

import dev.speck.journal.JournalPosition;
import dev.speck.store.EventStore;
import dev.speck.store.StoreException;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Writes batches of events with DuckDB's appender into in-memory tables, where they are visible at
 * once (see {@link DuckDbDatabase#VISIBLE}), and moves each full row group into the database file on
 * an upkeep thread of its own, in one transaction with the journal positions after it. The loader
 * (one thread, one transaction at a time) never waits for the file: not for a checkpoint, which makes
 * inserts into a table wait while it runs, nor for a write-ahead log entry per row. What is in memory
 * only is still in the journal, which keeps it until the move tells it so ({@link #persistedPositions()}):
 * a crash loses nothing and doubles nothing, the journal replays from the positions stored with the
 * rows.
 *
 * <p>Its parts: {@link LoaderTransaction} (the loader's transaction into the in-memory generation, its
 * rows mapped by {@link EventRows}), {@link Generations} (the two generations and the row-group
 * arithmetic), {@link GenerationMover} (the upkeep thread that moves a filled generation into the file)
 * and {@link MoveCheckpoints} (whether a checkpoint follows a move, and its retries).
 */
public final class DuckDbEventStore implements EventStore {

    /** How long the loader must have had nothing to load before what it holds is moved into the file. */
    static final long IDLE_MOVE_NANOS = 2_000_000_000L;

    private final DuckDbDatabase database;
    /** The loader's: appends into the in-memory generation it fills. */
    private final DuckDBConnection connection;
    private final Generations generations;
    private final GenerationMover mover;

    /** Moves on a background thread of the store's own ("speck-mover", at background priority). */
    public DuckDbEventStore(DuckDbDatabase database) {
        this(database, null, MoveCheckpoints.REFUSED_RETRY_NANOS);
    }

    DuckDbEventStore(DuckDbDatabase database, Executor upkeep) {
        this(database, upkeep, MoveCheckpoints.REFUSED_RETRY_NANOS);
    }

    /**
     * @param upkeep            where the moves run; null for a thread of the store's own
     * @param refusedRetryNanos how long a refused checkpoint after a move is tried again
     */
    DuckDbEventStore(DuckDbDatabase database, Executor upkeep, long refusedRetryNanos) {
        this.database = database;
        this.connection = database.connectUnleased();
        long nextSeq;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
            rs.next();
            nextSeq = rs.getLong(1) + 1;
        } catch (SQLException e) {
            throw new StoreException("cannot read the events table: " + e.getMessage(), e);
        }
        List<JournalPosition> persisted = List.copyOf(checkpoints());
        this.generations = new Generations(database, nextSeq, persisted);
        this.mover = new GenerationMover(database, generations, upkeep, refusedRetryNanos, persisted);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot open the loader's connection: " + e.getMessage(), e);
        }
    }

    /** The positions stored in the file: where a replay after a restart begins. */
    @Override
    public List<JournalPosition> checkpoints() {
        List<JournalPosition> positions = new ArrayList<>();
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT lane, segment, position FROM journal_checkpoints")) {
            while (rs.next()) {
                positions.add(new JournalPosition(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read journal checkpoints: " + e.getMessage(), e);
        }
        return positions;
    }

    @Override
    public List<JournalPosition> persistedPositions() {
        return mover.persisted();
    }

    @Override
    public Transaction begin() {
        return new LoaderTransaction(database, connection, generations, mover);
    }

    @Override
    public int preferredBatchSize() {
        return generations.preferredBatchSize();
    }

    /**
     * Between the loader's polls while it has nothing to load: once nothing has come for
     * {@link #IDLE_MOVE_NANOS}, or when someone asked ({@link #persistSoon()}), what it loaded since
     * the last move goes into the file, a partial row group (which the next move that fills it
     * compresses again) rather than memory held and a journal kept through an idle spell. Not merely
     * when the loader keeps up: it does with steady half-rate traffic too, and a partial move every
     * few seconds there cost a checkpoint each (0.4-5.8 s under load).
     */
    @Override
    public void idle() {
        if (generations.empty()) {
            if (!mover.moveRunning()) {
                generations.moveNoLongerWanted();
            }
            return;
        }
        if (generations.moveWanted() || generations.idleFor(IDLE_MOVE_NANOS)) {
            mover.handOver();
        }
    }

    /** Moves what the loader holds in memory into the file now (when no move is running); tests. */
    void moveNow() {
        generations.wantMove();
        mover.handOver();
    }

    /** Asks for everything loaded so far to be moved into the file soon (an erasure waits for it). */
    @Override
    public void persistSoon() {
        generations.wantMove();
    }

    /** Checkpoints DuckDB refused (another transaction writing), retries included. */
    long refusedCheckpoints() {
        return mover.refusedCheckpoints();
    }

    /** Events loaded since start (visible to readers at once). */
    @Override
    public long storedEvents() {
        return generations.stored();
    }

    /**
     * Events the loader committed into memory and no move has taken into the file yet (counting any an
     * erasure deleted there meanwhile).
     */
    public long eventsInMemory() {
        return generations.stored() - mover.moved();
    }

    /** Events moved into the file since start. */
    long movedEvents() {
        return mover.moved();
    }

    /** Moves DuckDB refused (they are tried again). */
    long failedMoves() {
        return mover.failedMoves();
    }

    /** Waits for the move running now, if any (tests). */
    void awaitMove() {
        mover.awaitMove();
    }

    /** The mover's last move (see {@link GenerationMover#close()}), then the loader's connection. */
    @Override
    public void close() {
        mover.close();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing uncommitted is left: every transaction commits or rolls back.
        }
    }
}
