package dev.speck.pipeline;

import dev.speck.customers.Recognition;
import dev.speck.enrich.Enricher;
import dev.speck.goals.GoalRegistry;
import dev.speck.hit.Hit;
import dev.speck.journal.JournalPosition;
import dev.speck.triggers.TriggerEngine;

import java.util.List;

/**
 * The named stages a hit goes through after the journal and before the store, in order. The
 * {@link EventLoader} runs each chunk it polls through them and stores what comes out (the events
 * and their achievements) in its transaction.
 */
public final class Pipeline {

    private final List<Stage> stages;

    Pipeline(Stage... stages) {
        this.stages = List.of(stages);
    }

    /**
     * The stages in the order a hit goes through them. Landing-URL identities leave the URL before
     * enrichment; recognition runs before each chunk is stored; triggers see the goals and the
     * customers. A next stage (segment membership, the connector outbox) is a class of its own and a
     * line here.
     */
    public static Pipeline of(Enricher enricher, Recognition recognition, GoalRegistry goals, TriggerEngine triggers) {
        return new Pipeline(
                new StripLandingTokens(),
                new Enrich(enricher),
                new RecogniseCustomers(recognition),
                new MatchGoals(goals),
                new FireTriggers(triggers));
    }

    /** Runs one chunk of hits through every stage. */
    Chunk run(List<Hit> hits, List<JournalPosition> recordAt) {
        Chunk chunk = Chunk.of(hits, recordAt);
        for (int i = 0; i < stages.size(); i++) {
            chunk = stages.get(i).apply(chunk);
        }
        return chunk;
    }

    /** Readies every stage, on the loader's thread before its first chunk. */
    void warmUp() {
        for (Stage stage : stages) {
            stage.warmUp();
        }
    }
}
