package dev.speck.customers;

import dev.speck.journal.JournalPosition;

import java.util.List;

/**
 * What erasure needs from the journal: where it ends now, whether the loader has stored everything
 * before that, and to wipe the copies of stored hits its files still hold. The journal's
 * {@code ErasableJournal} provides these, through {@code pipeline/ErasureBarrier} (which also asks
 * the store to move what it holds in memory into its file).
 */
public interface JournalBarrier {

    List<JournalPosition> appendedEnd();

    boolean storedThrough(List<JournalPosition> ends);

    void scrubStored();
}
