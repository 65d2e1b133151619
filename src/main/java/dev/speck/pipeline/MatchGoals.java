package dev.speck.pipeline;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.goals.GoalRegistry;

import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Finds the goals each event achieves; they are stored with the chunk, in its transaction. */
final class MatchGoals implements Stage {

    private static final Logger LOG = Logger.getLogger(MatchGoals.class.getName());

    private final Function<List<Event>, List<Achievement>> goals;

    MatchGoals(GoalRegistry goals) {
        this(goals::achievements);
    }

    MatchGoals(Function<List<Event>, List<Achievement>> goals) {
        this.goals = goals;
    }

    /** Goals are tested per chunk; a batch read again after a failure is tested again, against the goals then. */
    @Override
    public Chunk apply(Chunk chunk) {
        try {
            return chunk.withAchievements(goals.apply(chunk.events()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "goal evaluation failed; the chunk is stored without achievements", e);
            return chunk.withAchievements(List.of());
        }
    }
}
