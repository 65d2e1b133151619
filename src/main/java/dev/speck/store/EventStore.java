package dev.speck.store;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;

import java.util.List;

/**
 * Where enriched events are kept. The seam where ClickHouse can take DuckDB's place: an
 * implementation must store a batch and the journal positions after it atomically, which is how
 * a replay after a crash neither loses nor doubles a hit.
 */
public interface EventStore extends AutoCloseable {

    /** The journal positions saved with the last stored batch, one per lane. */
    List<JournalPosition> checkpoints();

    /** Stores the events and the positions in one transaction; throws StoreException and stores nothing on failure. */
    default void append(List<Event> events, List<JournalPosition> positions) {
        append(events, List.of(), positions);
    }

    /** Stores the events, the goals they achieved and the positions in one transaction. */
    void append(List<Event> events, List<Achievement> achievements, List<JournalPosition> positions);

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
