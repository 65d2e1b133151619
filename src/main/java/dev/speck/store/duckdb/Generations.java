package dev.speck.store.duckdb;

import dev.speck.journal.JournalPosition;
import java.sql.Connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loader's two in-memory generations, and the row-group arithmetic that says when the one it fills
 * is handed to the mover. The loader thread's own (and close's, after the loader stopped), but for
 * {@link #wantMove()}, which anyone may call.
 */
final class Generations {

    /**
     * Rows in one of DuckDB's row groups (its default row_group_size). A move of a full row group is
     * written compressed straight into the file; a partial one goes through the write-ahead log, and
     * the next move that fills that row group has it compressed again. So a generation is handed over
     * where the file's last row group would be full (see {@link #preferredBatchSize()}).
     */
    static final int ROW_GROUP_ROWS = 122_880;

    /**
     * The most rows the loader fills one generation with while the last move is still running (the
     * mover runs at background priority, and a full-speed burst starved it for 16 s once): then it
     * waits for that move, so memory holds at most this and the generation being moved.
     */
    static final long MAX_GENERATION_ROWS = 2L * ROW_GROUP_ROWS;

    /** The store's logger: its parts log under the one name operators know. */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DuckDbEventStore.class.getName());

    /** A generation the loader filled, handed to the mover: its rows up to seq {@code upTo}, the positions after them. */
    record Filled(int from, long upTo, long rows, List<JournalPosition> after, boolean fillsRowGroups) {
    }

    private final DuckDbDatabase database;
    private final AtomicLong stored = new AtomicLong();
    /** Set by {@link #wantMove()}: the loader hands over what it has at its next commit or idle moment. */
    private volatile boolean moveWanted;

    private long nextSeq;
    /** The in-memory generation (0 or 1) the loader fills; the other is empty or being moved. */
    private int generation;
    private long rowsInGeneration;
    /** System.nanoTime() of the last commit that loaded rows. */
    private long lastCommitAt = System.nanoTime();
    /** Each lane's position after the last commit, for the move that takes the rows before it. */
    private final Map<String, JournalPosition> loadedPositions = new LinkedHashMap<>();
    /**
     * Rows in the file's last row group, counting the rows handed to moves; -1 until first asked: reading
     * DuckDB's storage info takes ~80 ms on 3.6 million rows and grows with the table, so not at start.
     */
    private long rowsInLastGroup = -1;

    /**
     * @param nextSeq   the seq of the next event loaded
     * @param persisted the journal positions the file holds
     */
    Generations(DuckDbDatabase database, long nextSeq, List<JournalPosition> persisted) {
        this.database = database;
        this.nextSeq = nextSeq;
        persisted.forEach(p -> loadedPositions.put(p.lane(), p));
    }

    /** The generation a transaction begun now appends into. */
    int filling() {
        return generation;
    }

    long nextSeq() {
        return nextSeq;
    }

    /** A transaction committed the rows before {@code seq}; the journal positions after them. */
    void committed(long seq, int rows, Collection<JournalPosition> positions) {
        nextSeq = seq;
        stored.addAndGet(rows);
        rowsInGeneration += rows;
        lastCommitAt = System.nanoTime();
        positions.forEach(p -> loadedPositions.put(p.lane(), p));
    }

    /** After a commit: someone asked for a move, or the generation ends where the file's last row group would be full. */
    boolean handOverDue() {
        return rowsInGeneration > 0 && (moveWanted || (rowsInLastGroup() + rowsInGeneration) % ROW_GROUP_ROWS == 0);
    }

    /** The generation holds {@link #MAX_GENERATION_ROWS}: the loader waits for the running move. */
    boolean full() {
        return rowsInGeneration >= MAX_GENERATION_ROWS;
    }

    boolean empty() {
        return rowsInGeneration == 0;
    }

    /** Whether no commit loaded rows for this long. */
    boolean idleFor(long nanos) {
        return System.nanoTime() - lastCommitAt >= nanos;
    }

    boolean moveWanted() {
        return moveWanted;
    }

    /** Asks for what the loader holds to be handed over at its next commit or idle moment. */
    void wantMove() {
        moveWanted = true;
    }

    /** Nothing is held and no move runs: nothing left to ask for. */
    void moveNoLongerWanted() {
        moveWanted = false;
    }

    /** Events loaded since start. */
    long stored() {
        return stored.get();
    }

    int preferredBatchSize() {
        return ROW_GROUP_ROWS - (int) ((rowsInLastGroup() + rowsInGeneration) % ROW_GROUP_ROWS);
    }

    /** Switches the loader to the other generation; returns the one it filled. */
    Filled take() {
        int from = generation;
        long upTo = nextSeq - 1;
        long rows = rowsInGeneration;
        boolean fillsRowGroups = (rowsInLastGroup() + rows) % ROW_GROUP_ROWS == 0;
        List<JournalPosition> after = List.copyOf(loadedPositions.values());
        rowsInLastGroup = (rowsInLastGroup() + rows) % ROW_GROUP_ROWS;
        generation = 1 - from;
        rowsInGeneration = 0;
        moveWanted = false;
        return new Filled(from, upTo, rows, after, fillsRowGroups);
    }

    private long rowsInLastGroup() {
        if (rowsInLastGroup < 0) {
            rowsInLastGroup = rowsInLastRowGroup(nextSeq - 1);
        }
        return rowsInLastGroup;
    }

    /**
     * Rows in the events table's last row group, from DuckDB's storage info; when that cannot be
     * read, what there would be had every stored row stayed (deletes that DuckDB vacuumed can merge
     * row groups, which only makes the next moves compress a partial group again).
     */
    private long rowsInLastRowGroup(long rowsEverStored) {
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(count) FROM pragma_storage_info('events') "
                + "WHERE column_id = 0 AND column_path = '[0]' GROUP BY row_group_id ORDER BY row_group_id DESC LIMIT 1")) {
            if (rs.next()) {
                return rs.getLong(1) % ROW_GROUP_ROWS;
            }
            return 0;
        } catch (SQLException e) {
            LOG.fine("storage info not read: " + e.getMessage());
            return rowsEverStored % ROW_GROUP_ROWS;
        }
    }
}
