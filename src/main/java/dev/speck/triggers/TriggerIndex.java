package dev.speck.triggers;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.HitKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pixel's live triggers, made {@link Rule}s and filed by what starts them, so that a hit looks
 * only at the triggers it could start: a goal's by goal id, an event's and a page's by exact name or
 * path, globs by the literal text before their first star (each distinct prefix tested once per hit),
 * recognised ones apart. With a thousand triggers on a pixel a hit then costs a few map lookups and
 * prefix tests, not a thousand rule checks. Immutable once built: a change builds the pixel's index again.
 */
final class TriggerIndex {

    private final List<Rule> rules = new ArrayList<>();
    private final SharedConditions conditions = new SharedConditions();
    private final Map<String, List<Rule>> byGoal = new HashMap<>();
    private final Map<String, List<Rule>> byEventName = new HashMap<>();
    private final Globs eventGlobs = new Globs();
    private final Map<String, List<Rule>> byPath = new HashMap<>();
    private final Globs pathGlobs = new Globs();
    private final List<Rule> recognised = new ArrayList<>();

    /** @param triggers the pixel's enabled live triggers, in the order their firings are handed on */
    TriggerIndex(List<Trigger> triggers) {
        for (Trigger t : triggers) {
            Rule r = Rule.of(t, rules.size(), conditions);
            rules.add(r);
            String target = t.when().target();
            switch (t.when().kind()) {
                case GOAL -> byGoal.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
                case EVENT -> {
                    if (r.start().isGlob()) {
                        eventGlobs.add(r);
                    } else {
                        byEventName.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
                    }
                }
                case PAGE -> {
                    if (r.start().isGlob()) {
                        pathGlobs.add(r);
                    } else {
                        byPath.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
                    }
                }
                case RECOGNISED -> recognised.add(r);
            }
        }
    }

    int size() {
        return rules.size();
    }

    /** A scratch state for judging hits against this index on one thread. */
    Scratch scratch() {
        return new Scratch(conditions.judgements(), new int[rules.size()], new boolean[Math.max(eventGlobs.prefixes(),
                pathGlobs.prefixes())]);
    }

    /**
     * The rules this event may start, each once, in the index's order by kind (the rule itself is
     * judged by {@link Rule}; a glob group whose shared conditions on the hit fail is left out); adds
     * to {@code out}. Starts a new hit in {@code scratch}'s judgements.
     */
    void candidates(Event e, List<Achievement> achieved, Scratch scratch, List<Rule> out) {
        scratch.event++;
        scratch.judged.next();
        HitKind kind = e.hit().kind();
        for (Achievement a : achieved) {
            List<Rule> goal = byGoal.get(a.goalId());
            if (goal != null) {
                for (Rule r : goal) {
                    if (scratch.seen[r.ordinal()] != scratch.event) { // two achievements of one goal: judged once
                        scratch.seen[r.ordinal()] = scratch.event;
                        out.add(r);
                    }
                }
            }
        }
        if ((kind == HitKind.EVENT || kind == HitKind.GOAL) && e.hit().name() != null) {
            out.addAll(byEventName.getOrDefault(e.hit().name(), List.of()));
            eventGlobs.candidates(e.hit().name(), e, scratch, out);
        }
        if (kind == HitKind.PAGE_VIEW && (!byPath.isEmpty() || !pathGlobs.isEmpty())) {
            String path = TriggerMatch.path(e.hit().page().url());
            out.addAll(byPath.getOrDefault(path, List.of()));
            pathGlobs.candidates(path, e, scratch, out);
        }
        out.addAll(recognised);
    }

    /** Per thread: what the current hit's shared conditions came to, and which rules it already has. */
    static final class Scratch {

        final SharedConditions.Judgements judged;
        private final int[] seen;
        private final boolean[] prefixOk;
        private int event;

        private Scratch(SharedConditions.Judgements judged, int[] seen, boolean[] prefixOk) {
            this.judged = judged;
            this.seen = seen;
            this.prefixOk = prefixOk;
        }
    }

    /**
     * Glob rules grouped by their literal prefix and their conditions on the hit: a subject tests each
     * distinct prefix once, and a group whose prefix it starts with and whose (shared) conditions hold
     * gives its rules as candidates, in index order. A thousand glob triggers held back by the same
     * conditions cost a page view a few prefix tests and one test of each condition.
     */
    private static final class Globs {

        private final List<String> prefixes = new ArrayList<>();
        private final Map<String, Integer> prefixIds = new HashMap<>();
        private final Map<List<Integer>, Integer> groupIds = new HashMap<>();
        private final List<Integer> groupPrefix = new ArrayList<>();
        private final List<int[]> groupConditions = new ArrayList<>();
        private final List<List<Rule>> groupRules = new ArrayList<>();

        void add(Rule r) {
            int prefix = prefixIds.computeIfAbsent(r.start().prefix(), p -> {
                prefixes.add(p);
                return prefixes.size() - 1;
            });
            List<Integer> key = new ArrayList<>();
            key.add(prefix);
            Arrays.stream(r.hitConditions()).sorted().distinct().forEach(key::add);
            int group = groupIds.computeIfAbsent(key, k -> {
                groupPrefix.add(prefix);
                groupConditions.add(k.subList(1, k.size()).stream().mapToInt(Integer::intValue).toArray());
                groupRules.add(new ArrayList<>());
                return groupRules.size() - 1;
            });
            groupRules.get(group).add(r);
        }

        boolean isEmpty() {
            return groupRules.isEmpty();
        }

        int prefixes() {
            return prefixes.size();
        }

        void candidates(String subject, Event e, Scratch scratch, List<Rule> out) {
            if (groupRules.isEmpty()) {
                return;
            }
            boolean[] prefixOk = scratch.prefixOk;
            for (int p = 0; p < prefixes.size(); p++) {
                prefixOk[p] = subject.startsWith(prefixes.get(p));
            }
            int from = out.size();
            int groups = 0;
            for (int g = 0; g < groupRules.size(); g++) {
                if (prefixOk[groupPrefix.get(g)] && hold(groupConditions.get(g), e, scratch)) {
                    out.addAll(groupRules.get(g));
                    groups++;
                }
            }
            if (groups > 1) {
                out.subList(from, out.size()).sort(Comparator.comparingInt(Rule::ordinal));
            }
        }

        private static boolean hold(int[] conditions, Event e, Scratch scratch) {
            for (int id : conditions) {
                if (!scratch.judged.holds(id, e, null)) {
                    return false;
                }
            }
            return true;
        }
    }
}
