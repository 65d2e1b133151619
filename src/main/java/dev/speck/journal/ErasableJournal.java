package dev.speck.journal;

import java.util.Collection;
import java.util.List;

/**
 * What an erasure needs from a journal besides {@link HitJournal}: a barrier (where the journal ends
 * now, and whether the store holds everything before that safe from a crash, so that an erasure also
 * reaches hits that were still in the journal when it was asked for), and a way to wipe the copies of
 * stored hits the journal still keeps.
 *
 * <p>Not on {@link HitJournal} itself: the collector and the loader need none of it, and how a journal
 * forgets a stored hit is its own. The local journal overwrites the records in its files; a Kafka topic
 * cannot change a record and would forget by deleting the records before the persisted offsets (or by
 * retention), and such a journal implements this interface its own way.
 */
public interface ErasableJournal extends HitJournal {

    /**
     * Where each lane ends now: a hit appended before this call lies before these positions (the
     * positions of {@link #storedThrough}).
     */
    List<JournalPosition> appendedEnd();

    /**
     * Whether the store holds every hit before these positions (as {@link #appendedEnd()} gave them)
     * safe from a crash, that is {@link #persisted} was told of positions at or after them. Never
     * blocks; an erasure polls it (asking the store to persist soon) until it is true or it gives up.
     */
    boolean storedThrough(Collection<JournalPosition> ends);

    /**
     * Makes the journal keep no copy of any hit the store holds safe from a crash (called after the
     * erasure deleted the customer's rows, so the hits that named them exist nowhere). Hits not yet
     * persisted stay: they are what a replay after a crash needs, and an erasure waited for them first.
     */
    void scrubStored();
}
