package dev.speck.store.duckdb;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;
import dev.speck.store.EventStore;
import dev.speck.store.StoreException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;

import static dev.speck.store.duckdb.EventRows.appendAchievements;
import static dev.speck.store.duckdb.EventRows.appendRow;

/**
 * One DuckDB transaction on the in-memory generation: events go through the appender as they are
 * added (DuckDB copies them into its own chunks, so the Java objects are garbage at once).
 */
final class LoaderTransaction implements EventStore.Transaction {

    /** The store's logger: its parts log under the one name operators know. */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DuckDbEventStore.class.getName());

    /** The loader's: appends into the in-memory generation it fills. */
    private final DuckDBConnection connection;
    private final Generations generations;
    private final GenerationMover mover;
    private final int into;
    private final long firstSeq;
    private long seq;
    private DuckDBAppender events;
    private DuckDBAppender achievements;
    private boolean done;
    /** Held from begin to commit or rollback: DuckDB's cache is not released in between. */
    private DuckDbDatabase.Lease lease;

    LoaderTransaction(DuckDbDatabase database, DuckDBConnection connection, Generations generations,
                      GenerationMover mover) {
        this.connection = connection;
        this.generations = generations;
        this.mover = mover;
        this.into = generations.filling();
        this.firstSeq = generations.nextSeq();
        this.seq = firstSeq;
        this.lease = database.writing();
        try {
            // DuckDB's JDBC driver opens the transaction at the first statement, and appender rows
            // join an open transaction but commit on their own without one: so a statement goes first.
            try (Statement begin = connection.createStatement()) {
                begin.execute("SELECT 1");
            }
            events = appender("events");
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    private DuckDBAppender appender(String table) throws SQLException {
        return connection.createAppender(DuckDbDatabase.VISIBLE, DuckDBConnection.DEFAULT_SCHEMA,
                DuckDbDatabase.loadedName(table, into));
    }

    @Override
    public void add(List<Event> added, List<Achievement> achieved) {
        long chunkFirstSeq = seq;
        try {
            for (Event event : added) {
                appendRow(events, seq++, event);
            }
            if (!achieved.isEmpty()) {
                if (achievements == null) {
                    achievements = appender("goal_achievements");
                }
                appendAchievements(achievements, added, achieved, chunkFirstSeq);
            }
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public long commit(Collection<JournalPosition> positions) {
        try {
            closeAppenders(); // flushes their last rows into the transaction
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
        done = true;
        generations.committed(seq, size(), positions);
        long upkeepNanos = 0;
        if (generations.handOverDue()) {
            if (generations.full()) {
                upkeepNanos = mover.awaitMoveNanos(); // the mover fell behind: memory stays bounded, the journal holds the rest
            }
            upkeepNanos += mover.handOver(); // its lease is taken under this transaction's: no cache release slips in between
        }
        release();
        return upkeepNanos;
    }

    @Override
    public int size() {
        return (int) (seq - firstSeq);
    }

    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            closeAppenders();
        } catch (SQLException | RuntimeException ignored) {
            // rolled back below either way
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(java.util.logging.Level.WARNING, "could not roll back a failed batch", e);
        } finally {
            release();
        }
    }

    private void release() {
        DuckDbDatabase.Lease held = lease;
        lease = null;
        if (held != null) {
            held.close();
        }
    }

    private void closeAppenders() throws SQLException {
        DuckDBAppender e = events;
        DuckDBAppender a = achievements;
        events = null;
        achievements = null;
        try {
            // DuckDB's close() flushes the last rows but swallows a failed flush (they would be
            // dropped and the commit go through without them): flush() says so, then close.
            if (e != null) {
                e.flush();
            }
            if (a != null) {
                a.flush();
            }
        } finally {
            try {
                if (e != null) {
                    e.close();
                }
            } finally {
                if (a != null) {
                    a.close();
                }
            }
        }
    }

    private StoreException failed(Exception e) {
        StoreException failure = new StoreException("could not store " + size() + " events: " + e.getMessage(), e);
        close();
        return failure;
    }
}
