package dev.speck.store;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;

import java.util.Collection;
import java.util.List;

/**
 * Where enriched events are kept. The seam where ClickHouse can take DuckDB's place: an
 * implementation must store a batch and the journal positions after it atomically, which is how
 * a replay after a crash neither loses nor doubles a hit.
 */
public interface EventStore extends AutoCloseable {

    /** The journal positions saved with the last stored batch, one per lane. */
    List<JournalPosition> checkpoints();

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
         *         events (DuckDB's automatic checkpoint, which compresses everything logged since the
         *         last one); 0 when it did none. The loader leaves this time out of its own rate.
         */
        long commit(Collection<JournalPosition> positions);

        /** Events added so far. */
        int size();

        /**
         * Whether a commit now would wait for the store's upkeep (a checkpoint running elsewhere)
         * while what was added meanwhile is kept aside: the loader had better add more first.
         */
        default boolean waitsForUpkeep() {
            return false;
        }

        /** Rolls back unless committed. */
        @Override
        void close();
    }

    /**
     * The most events the store would like in the next transaction, when the loader has that many:
     * DuckDB compresses a row group once if a checkpoint comes exactly when it is full, and again at
     * every checkpoint while it is partly filled. {@link Integer#MAX_VALUE} for no preference.
     */
    default int preferredBatchSize() {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether the store's own upkeep (DuckDB's checkpoint of a full row group) is running now: a
     * transaction begun meanwhile can take events but its commit waits for the upkeep to end.
     */
    default boolean upkeepRunning() {
        return false;
    }

    /**
     * Told by the loader, between batches, when it has kept up with the journal for a while (no full
     * batch for 2 s): a moment for work that would otherwise slow it under load (DuckDB's
     * checkpoint). Must not throw.
     */
    default void quiet() {
    }

    /** Events stored since start. */
    long storedEvents();

    @Override
    void close();
}
