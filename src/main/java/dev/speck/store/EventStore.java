package dev.speck.store;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;

import java.util.Collection;
import java.util.List;

/**
 * Where enriched events are kept. The seam where ClickHouse can take DuckDB's place: an
 * implementation must keep the journal positions after the rows it holds safe with those rows,
 * atomically, and tell which positions are safe ({@link #persistedPositions()}); that is how a
 * replay after a crash neither loses nor doubles a hit.
 */
public interface EventStore extends AutoCloseable {

    /** The journal positions saved with the last stored batch, one per lane: where a replay begins. */
    List<JournalPosition> checkpoints();

    /**
     * The positions before which everything committed is also safe from a crash: the journal may
     * delete what lies before them. A store that keeps its commits at once returns the last commit's;
     * DuckDB's store commits into memory and returns those of its last move into the file.
     */
    List<JournalPosition> persistedPositions();

    /** Asks for everything committed so far to be made safe from a crash soon (an erasure waits for it). */
    default void persistSoon() {
    }

    /**
     * Told by the loader between polls while the journal has nothing for it: DuckDB's store moves what
     * it holds in memory into its file once nothing has come for a while. Must not throw.
     */
    default void idle() {
    }

    /**
     * Opens the transaction the loader fills chunk by chunk: large transactions cost the store
     * least per event (DuckDB spends ~10 ms of CPU on each, whatever its size), while each chunk's
     * hits and events can be garbage as soon as they are added (a young collection copies what is
     * alive, so a whole batch held in the heap made requests wait).
     */
    Transaction begin();

    /** Stores the events and the positions in one transaction; throws StoreException and stores nothing on failure. */
    default void append(List<Event> events, List<JournalPosition> positions) {
        append(events, List.of(), positions);
    }

    /** Stores the events, the goals they achieved and the positions in one transaction. */
    default void append(List<Event> events, List<Achievement> achievements, List<JournalPosition> positions) {
        try (Transaction tx = begin()) {
            tx.add(events, achievements);
            tx.commit(positions);
        }
    }

    /**
     * Events added in turn and committed once, with the journal positions after the last of them.
     * A failure throws StoreException; closing a transaction that was not committed stores none of it.
     */
    interface Transaction extends AutoCloseable {

        /** Adds events and what they achieved (whose indexes count within {@code events}). */
        void add(List<Event> events, List<Achievement> achievements);

        /**
         * Stores everything added, with the positions, atomically.
         *
         * @return nanoseconds of the commit the store spent on its own upkeep rather than on these
         *         events (a move into the file run on the caller's thread, in tests); 0 when it did
         *         none. The loader leaves this time out of its own rate.
         */
        long commit(Collection<JournalPosition> positions);

        /** Events added so far. */
        int size();

        /** Rolls back unless committed. */
        @Override
        void close();
    }

    /**
     * The most events the store would like in the next transaction, when the loader has that many:
     * DuckDB writes a full row group compressed once, and a partly filled one again each time more
     * rows join it. {@link Integer#MAX_VALUE} for no preference.
     */
    default int preferredBatchSize() {
        return Integer.MAX_VALUE;
    }

    /** Events stored (visible to readers) since start. */
    long storedEvents();

    @Override
    void close();
}
