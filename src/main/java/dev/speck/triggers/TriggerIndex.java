package dev.speck.triggers;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.HitKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pixel's live triggers filed by what starts them, so that a hit looks only at the triggers it
 * could start: a goal's by goal id, an event's and a page's by exact name or path (globs in a short
 * list of their own), recognised ones apart. With a thousand triggers on a pixel a hit then costs a
 * few map lookups, not a thousand rule checks.
 */
final class TriggerIndex {

    private final Map<String, List<Trigger>> byGoal = new HashMap<>();
    private final Map<String, List<Trigger>> byEventName = new HashMap<>();
    private final List<Trigger> eventGlobs = new ArrayList<>();
    private final Map<String, List<Trigger>> byPath = new HashMap<>();
    /** Path globs with the literal text before their first star: only those a path starts with are tried. */
    private final List<Map.Entry<String, Trigger>> pathGlobs = new ArrayList<>();
    private final List<Trigger> recognised = new ArrayList<>();

    TriggerIndex(List<Trigger> triggers) {
        for (Trigger t : triggers) {
            String target = t.when().target();
            boolean glob = target != null && target.indexOf('*') >= 0;
            switch (t.when().kind()) {
                case GOAL -> byGoal.computeIfAbsent(target, k -> new ArrayList<>()).add(t);
                case EVENT -> {
                    if (glob) {
                        eventGlobs.add(t);
                    } else {
                        byEventName.computeIfAbsent(target, k -> new ArrayList<>()).add(t);
                    }
                }
                case PAGE -> {
                    if (glob) {
                        pathGlobs.add(Map.entry(target.substring(0, target.indexOf('*')), t));
                    } else {
                        byPath.computeIfAbsent(target, k -> new ArrayList<>()).add(t);
                    }
                }
                case RECOGNISED -> recognised.add(t);
            }
        }
    }

    /** The triggers this event may start (the rule itself is judged by {@link TriggerMatch}); adds to {@code out}. */
    void candidates(Event e, List<Achievement> achieved, List<Trigger> out) {
        HitKind kind = e.hit().kind();
        for (Achievement a : achieved) {
            out.addAll(byGoal.getOrDefault(a.goalId(), List.of()));
        }
        if ((kind == HitKind.EVENT || kind == HitKind.GOAL) && e.hit().name() != null) {
            out.addAll(byEventName.getOrDefault(e.hit().name(), List.of()));
            out.addAll(eventGlobs);
        }
        if (kind == HitKind.PAGE_VIEW && (!byPath.isEmpty() || !pathGlobs.isEmpty())) {
            String path = TriggerMatch.path(e.hit().page().url());
            out.addAll(byPath.getOrDefault(path, List.of()));
            for (Map.Entry<String, Trigger> g : pathGlobs) {
                if (path.startsWith(g.getKey())) {
                    out.add(g.getValue());
                }
            }
        }
        out.addAll(recognised);
    }
}
