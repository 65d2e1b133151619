package dev.speck.pipeline;

import dev.speck.customers.JournalBarrier;
import dev.speck.journal.JournalPosition;
import dev.speck.journal.MappedJournal;
import dev.speck.store.EventStore;

import java.util.List;

/**
 * What an erasure waits for: every hit the journal took before it has gone through the pipeline
 * into the store's file; then the journal's copies of stored hits can be wiped.
 */
public final class ErasureBarrier implements JournalBarrier {

    private final MappedJournal journal;
    private final EventStore store;

    public ErasureBarrier(MappedJournal journal, EventStore store) {
        this.journal = journal;
        this.store = store;
    }

    @Override
    public List<JournalPosition> appendedEnd() {
        return journal.appendedEnd();
    }

    @Override
    public boolean storedThrough(List<JournalPosition> ends) {
        store.persistSoon(); // loaded rows are in memory until moved into the file
        return journal.storedThrough(ends);
    }

    @Override
    public void scrubStored() {
        journal.scrubStored();
    }
}
