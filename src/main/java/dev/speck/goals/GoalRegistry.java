package dev.speck.goals;

import dev.speck.enrich.Event;
import dev.speck.hit.Hit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pixels' current goals, held in memory as immutable snapshots so the loader tests each event
 * against them without a query or a lock. Writes go through to the repository first.
 */
public final class GoalRegistry {

    /** The most goals one pixel may have. */
    public static final int MAX_GOALS_PER_PIXEL = 100;

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final GoalRepository repository;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, List<Goal>> byPixel;

    public GoalRegistry(GoalRepository repository) {
        this.repository = repository;
        Map<String, List<Goal>> m = new HashMap<>();
        for (Goal g : repository.loadGoals()) {
            m.computeIfAbsent(g.pixel(), p -> new ArrayList<>()).add(g);
        }
        byPixel = freeze(m);
    }

    /** The pixel's goals, oldest first. */
    public List<Goal> goals(String pixel) {
        return byPixel.getOrDefault(pixel, List.of());
    }

    public Goal goal(String pixel, String id) {
        for (Goal g : goals(pixel)) {
            if (g.id().equals(id)) {
                return g;
            }
        }
        return null;
    }

    /** Throws IllegalStateException when the pixel already has the most goals it may have. */
    public synchronized Goal create(String pixel, GoalDraft d) {
        if (goals(pixel).size() >= MAX_GOALS_PER_PIXEL) {
            throw new IllegalStateException("a pixel has at most " + MAX_GOALS_PER_PIXEL + " goals");
        }
        String id;
        do {
            id = randomId();
        } while (goal(pixel, id) != null);
        Instant now = Instant.now();
        Goal goal = new Goal(id, pixel, d.name(), d.rule(), d.value(), d.currency(), d.counting(), d.allowNegative(),
                1, now, now);
        repository.save(goal);
        return replace(pixel, goal, null);
    }

    /** A new version when the rule or worth changed; a renamed goal keeps its version. */
    public synchronized Goal update(Goal old, GoalDraft d) {
        int version = old.differsInMeaning(d) ? old.version() + 1 : old.version();
        Goal goal = new Goal(old.id(), old.pixel(), d.name(), d.rule(), d.value(), d.currency(), d.counting(),
                d.allowNegative(), version, old.created(), Instant.now());
        repository.save(goal);
        return replace(old.pixel(), goal, old.id());
    }

    public synchronized void delete(Goal goal) {
        repository.delete(goal.id());
        replace(goal.pixel(), null, goal.id());
    }

    /** Removes every goal of a deleted pixel. */
    public synchronized void deletePixel(String pixel) {
        for (Goal g : goals(pixel)) {
            delete(g);
        }
    }

    /**
     * The goals the events of a batch achieve, against the goals current now: one entry per
     * (event, goal), so a hit that meets several goals records each.
     */
    public List<Achievement> achievements(List<Event> events) {
        Map<String, List<Goal>> snapshot = byPixel;
        if (snapshot.isEmpty()) {
            return List.of();
        }
        List<Achievement> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            for (Goal g : snapshot.getOrDefault(e.hit().pixel(), List.of())) {
                if (g.rule().matches(e.hit())) {
                    out.add(new Achievement(i, g.id(), g.version(), g.value().of(e.hit(), g.currency()), g.currency()));
                }
            }
        }
        return out;
    }

    /**
     * Whether a goal of the hit's pixel that the hit meets takes refunds (allowNegative): asked by
     * the collector, on the event loop, only for a hit whose value is below zero. Rules are cheap to
     * test (globs, no regular expressions) and a pixel has at most {@link #MAX_GOALS_PER_PIXEL}.
     */
    public boolean takesRefunds(Hit hit) {
        for (Goal g : byPixel.getOrDefault(hit.pixel(), List.of())) {
            if (g.allowNegative() && g.rule().matches(hit)) {
                return true;
            }
        }
        return false;
    }

    private Goal replace(String pixel, Goal goal, String removedId) {
        Map<String, List<Goal>> next = new HashMap<>(byPixel);
        List<Goal> list = new ArrayList<>(next.getOrDefault(pixel, List.of()));
        if (removedId != null) {
            list.removeIf(g -> g.id().equals(removedId));
        }
        if (goal != null) {
            list.add(goal);
        }
        next.put(pixel, list);
        byPixel = freeze(next);
        return goal;
    }

    private static Map<String, List<Goal>> freeze(Map<String, List<Goal>> m) {
        Map<String, List<Goal>> out = new HashMap<>();
        m.forEach((pixel, goals) -> {
            if (!goals.isEmpty()) {
                out.put(pixel, goals.stream().sorted(Comparator.comparing(Goal::created).thenComparing(Goal::id)).toList());
            }
        });
        return Map.copyOf(out);
    }

    private String randomId() {
        char[] out = new char[8];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
