package dev.speck.journal;

import dev.speck.hit.Hit;

import java.util.List;

/**
 * Hits read from the journal together with the positions just past them, one per lane read.
 *
 * @param recordAt where each hit's record starts, in the order of {@code hits}: a hit's identity that
 *                 stays the same when it is read again after a crash (what keeps an action from
 *                 firing twice for one hit)
 */
public record JournalBatch(List<Hit> hits, List<JournalPosition> recordAt, List<JournalPosition> positions, int corruptRecords) {

    public boolean isEmpty() {
        return hits.isEmpty() && corruptRecords == 0;
    }
}
