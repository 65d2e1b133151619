package dev.speck.pipeline;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;

import java.util.List;

/**
 * What a chunk of hits has become so far on its way through the stages: the hits as polled from
 * the journal, the events enrichment made of them (in the same order), and the goals those events
 * achieved (each naming its event by its index in {@code events}).
 */
record Chunk(List<Hit> hits, List<Event> events, List<Achievement> achievements) {

    static Chunk of(List<Hit> hits) {
        return new Chunk(hits, List.of(), List.of());
    }

    Chunk withHits(List<Hit> replaced) {
        return new Chunk(replaced, events, achievements);
    }

    Chunk withEvents(List<Event> enriched) {
        return new Chunk(hits, enriched, achievements);
    }

    Chunk withAchievements(List<Achievement> achieved) {
        return new Chunk(hits, events, achieved);
    }
}
