package dev.speck.journal;

import dev.speck.hit.Hit;

import java.util.List;

/** Hits read from the journal together with the positions just past them, one per lane read. */
public record JournalBatch(List<Hit> hits, List<JournalPosition> positions, int corruptRecords) {

    public boolean isEmpty() {
        return hits.isEmpty() && corruptRecords == 0;
    }
}
