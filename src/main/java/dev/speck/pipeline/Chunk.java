package dev.speck.pipeline;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.journal.JournalPosition;

import java.util.List;

/**
 * What a chunk of hits has become so far on its way through the stages: the hits as polled from
 * the journal with where each one's record is, the events enrichment made of them (in the same
 * order), and the goals those events achieved (each naming its event by its index in {@code events}).
 */
record Chunk(List<Hit> hits, List<JournalPosition> recordAt, List<Event> events, List<Achievement> achievements) {

    static Chunk of(List<Hit> hits, List<JournalPosition> recordAt) {
        return new Chunk(hits, recordAt, List.of(), List.of());
    }

    Chunk withHits(List<Hit> replaced) {
        return new Chunk(replaced, recordAt, events, achievements);
    }

    Chunk withEvents(List<Event> enriched) {
        return new Chunk(hits, recordAt, enriched, achievements);
    }

    Chunk withAchievements(List<Achievement> achieved) {
        return new Chunk(hits, recordAt, events, achieved);
    }

    /**
     * The identity of hit {@code i} that stays the same when it is read again (its journal record:
     * lane, segment, offset); "" when the chunk did not come from the journal.
     */
    String hitKey(int i) {
        if (i >= recordAt.size()) {
            return "";
        }
        JournalPosition p = recordAt.get(i);
        return p.lane() + "." + p.segment() + "." + p.offset();
    }
}
