package dev.speck.store.duckdb;

import java.sql.Connection;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Whether a move into the file is followed by a checkpoint, and the retries of one DuckDB refused. On
 * the mover's thread.
 */
final class MoveCheckpoints {

    /**
     * The write-ahead log size from which a move of full row groups is followed by a checkpoint (a
     * partial move always is: its rows went through the log). DuckDB's own default threshold.
     */
    static final long CHECKPOINT_LOG_BYTES = 16L << 20;

    /** How long a refused checkpoint after a move is tried again, and how often. */
    static final long REFUSED_RETRY_NANOS = 1_000_000_000L;
    static final long REFUSED_RETRY_INTERVAL_NANOS = 50_000_000L;

    /** The store's logger: its parts log under the one name operators know. */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DuckDbEventStore.class.getName());

    private final DuckDbDatabase database;
    private final long refusedRetryNanos;
    /** The store is closing: a refused checkpoint is not tried again. */
    private final BooleanSupplier closing;
    private final AtomicLong refusedCheckpoints = new AtomicLong();

    /** @param refusedRetryNanos how long a refused checkpoint after a move is tried again */
    MoveCheckpoints(DuckDbDatabase database, long refusedRetryNanos, BooleanSupplier closing) {
        this.database = database;
        this.refusedRetryNanos = refusedRetryNanos;
        this.closing = closing;
    }

    /**
     * After a move went through.
     *
     * @return nanoseconds the checkpoint took, 0 when there was none, or -1 when it was refused throughout
     */
    long afterMove(boolean fillsRowGroups) {
        // Full row groups went into the file compressed, the log holds little more than where: no
        // checkpoint for that (under half-rate load one took 2.7 and 7.7 s once, holding up the next
        // move while the loader filled two row groups and had to wait).
        return fillsRowGroups && database.walBytes() < CHECKPOINT_LOG_BYTES ? 0 : checkpointAfterMove();
    }

    /**
     * What a partial move logged (and the positions) is folded into the file by a checkpoint, on this
     * thread, where it keeps no one waiting. Refused while another transaction writes (the rollup's, an erasure's): tried again for
     * a while, then left to the next move.
     *
     * @return nanoseconds it took, or -1 when it was refused throughout
     */
    private long checkpointAfterMove() {
        if (database.walBytes() == 0) {
            return 0;
        }
        long nanos = checkpoint();
        long giveUpAt = System.nanoTime() + refusedRetryNanos;
        while (nanos < 0 && System.nanoTime() < giveUpAt && !closing.getAsBoolean()) {
            LockSupport.parkNanos(REFUSED_RETRY_INTERVAL_NANOS);
            nanos = checkpoint();
        }
        if (nanos < 0) {
            LOG.fine(String.format("checkpoint after a move refused for %d ms (another transaction writing); "
                    + "the next move's takes it", refusedRetryNanos / 1_000_000));
        }
        return nanos;
    }

    /**
     * Runs DuckDB's CHECKPOINT on a connection of its own (the caller holds a {@link DuckDbDatabase#writing()}
     * lease).
     *
     * @return nanoseconds it took, or -1 when DuckDB refused it (another transaction was writing)
     */
    private long checkpoint() {
        long started = System.nanoTime();
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException | RuntimeException e) {
            refusedCheckpoints.incrementAndGet();
            LOG.fine("checkpoint skipped: " + e.getMessage());
            return -1;
        }
        return System.nanoTime() - started;
    }

    /** Checkpoints DuckDB refused (another transaction writing), retries included. */
    long refused() {
        return refusedCheckpoints.get();
    }
}
