package dev.speck.customers;

import dev.speck.journal.JournalPosition;

import java.util.List;

/**
 * What erasure needs from the journal: where it ends now, whether the loader has stored everything
 * before that, and to wipe the copies of stored hits its files still hold. {@code MappedJournal}
 * provides these (wired in SpeckApp).
 */
public interface JournalBarrier {

    List<JournalPosition> appendedEnd();

    boolean storedThrough(List<JournalPosition> ends);

    void scrubStored();
}
