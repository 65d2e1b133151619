package dev.speck.journal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What an erasure asks of the mapped journal ({@link ErasableJournal}): where each lane ends, whether
 * the store holds everything before that safe from a crash, and zeros over the stored hits' copies.
 */
final class JournalErasure {

    private final Map<String, Lane> lanes;
    private final JournalReader reader;

    JournalErasure(Map<String, Lane> lanes, JournalReader reader) {
        this.lanes = lanes;
        this.reader = reader;
    }

    /**
     * Where each lane ends now: a hit appended before this call lies before these positions. Lanes
     * an earlier run left (with more event loops) count too: their unread hits are loaded later.
     */
    List<JournalPosition> appendedEnd() {
        List<JournalPosition> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            lane.writeLock.lock();
            try {
                Segment last = lane.current != null ? lane.current
                        : lane.segments.isEmpty() ? null : lane.segments.lastEntry().getValue();
                if (last != null) {
                    out.add(new JournalPosition(lane.name, last.number, last.published()));
                }
            } finally {
                lane.writeLock.unlock();
            }
        }
        return out;
    }

    /**
     * Whether the store holds every hit before these positions (as {@link #appendedEnd()} gave them)
     * safe from a crash.
     */
    boolean storedThrough(Collection<JournalPosition> ends) {
        for (JournalPosition end : ends) {
            JournalPosition done = reader.persistedAt(end.lane());
            if (done == null) {
                Lane lane = lanes.get(end.lane());
                boolean empty = end.offset() == 0 && (lane == null || lane.segments.headMap(end.segment()).values()
                        .stream().allMatch(s -> s.published() == 0));
                if (!empty) {
                    return false;
                }
            } else if (JournalReader.before(done, end)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Overwrites with zeros the payload of every record the store already holds safe from a crash, so
     * the journal's files keep no copy of stored hits (a segment is only deleted once it is full). The
     * record lengths stay, so the segment still reads as written; nothing before a persisted position is
     * read again (it is before the stored one too).
     */
    void scrubStored() {
        for (Lane lane : lanes.values()) {
            JournalPosition done = reader.persistedAt(lane.name);
            if (done == null) {
                continue;
            }
            for (Segment s : lane.segments.headMap(done.segment(), true).values()) {
                s.scrub(s.number < done.segment() ? s.published() : done.offset());
            }
        }
    }
}
