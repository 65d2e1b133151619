package dev.speck.segments;

import dev.speck.goals.GlobPattern;
import dev.speck.triggers.Condition;
import dev.speck.triggers.Trigger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a person belongs to a rule segment, judged in the JVM over their hits: what a live run
 * does for the few thousand people whose hits changed, for every segment, in milliseconds. It says
 * what {@code SegmentSql} says over the whole store (a backfill); SegmentRulesTest holds both to an
 * evaluation written from the rules' words.
 */
public final class SegmentJudge {

    private final SegmentRule rule;
    /** Each page or event criterion's glob, split once (null for goals). */
    private final GlobPattern[] globs;

    private SegmentJudge(SegmentRule rule) {
        this.rule = rule;
        this.globs = new GlobPattern[rule.criteria().size()];
        for (int i = 0; i < globs.length; i++) {
            Criterion c = rule.criteria().get(i);
            globs[i] = c.did() == Criterion.Did.GOAL ? null : new GlobPattern(c.target());
        }
    }

    /** The rule made ready to judge many people. */
    public static SegmentJudge of(SegmentRule rule) {
        return new SegmentJudge(rule);
    }

    public boolean member(Instant now, PersonHits p) {
        return member(now, p, new java.util.HashMap<>());
    }

    /**
     * @param shared what other segments already found for this person in this run (counts of the same
     *               criterion, latest values of the same field and window): 200 segments built from a
     *               few kinds of rule count each thing once per person
     */
    public boolean member(Instant now, PersonHits p, java.util.Map<String, Object> shared) {
        Instant from = now.minus(Duration.ofDays(rule.days()));
        PersonHits.Hit latest = null;
        for (PersonHits.Hit h : p.hits()) {
            if (h.time().isAfter(from) && !h.time().isAfter(now)) {
                latest = h; // oldest first: the last in the window is the latest
            }
        }
        if (latest == null) {
            return false; // not seen in the window
        }
        if (rule.who() == Trigger.Who.CUSTOMERS && p.customer() == null) {
            return false;
        }
        for (int i = 0; i < globs.length; i++) {
            Criterion c = rule.criteria().get(i);
            GlobPattern glob = globs[i];
            Object[] tally = (Object[]) shared.computeIfAbsent(c.did() + "\u0000" + c.target() + "\u0000" + c.days() + "\u0000"
                    + c.minValue() + "\u0000" + c.currency(), k -> tally(c, glob, now, p));
            if (!c.holds((Long) tally[0], (BigDecimal) tally[1])) {
                return false;
            }
        }
        for (Condition c : rule.conditions()) {
            String value;
            if (c.field().startsWith(Condition.CUSTOMER_PREFIX)) {
                value = Condition.customerValue(c.field(), p.customer());
            } else {
                Object known = shared.computeIfAbsent("f\u0000" + c.field() + "\u0000" + rule.days(),
                        k -> java.util.Optional.ofNullable(latestKnown(p, c.field(), from, now)));
                value = ((java.util.Optional<?>) known).map(String.class::cast).orElse(null);
            }
            if (!c.holds(value)) {
                return false;
            }
        }
        return true;
    }

    /** The field's value on the latest hit in the window that has one (as SQL's arg_max, which passes over NULLs). */
    private static String latestKnown(PersonHits p, String field, Instant from, Instant now) {
        List<PersonHits.Hit> hits = p.hits();
        for (int i = hits.size() - 1; i >= 0; i--) { // oldest first: walk back from the latest
            PersonHits.Hit h = hits.get(i);
            if (!h.time().isAfter(from)) {
                return null;
            }
            if (!h.time().isAfter(now) && h.fields().get(field) != null) {
                return h.fields().get(field);
            }
        }
        return null;
    }

    /** How often the person did it in its days, and the sum of the counted values: {count, sum}. */
    private static Object[] tally(Criterion c, GlobPattern glob, Instant now, PersonHits p) {
        Instant since = now.minus(Duration.ofDays(c.days()));
        long count = 0;
        BigDecimal sum = BigDecimal.ZERO;
        if (c.did() == Criterion.Did.GOAL) {
            for (PersonHits.Goal g : p.goals()) {
                if (!g.time().isAfter(since) || g.time().isAfter(now)
                        || (!"*".equals(c.target()) && !c.target().equals(g.goal()))
                        || (c.minValue() != null && (g.value() == null || g.value().compareTo(c.minValue()) < 0))
                        || (c.currency() != null && !c.currency().equals(g.currency()))) {
                    continue;
                }
                count++;
                if (g.value() != null) {
                    sum = sum.add(g.value());
                }
            }
        } else {
            List<PersonHits.Hit> hits = p.hits();
            for (PersonHits.Hit h : hits) {
                if (!h.time().isAfter(since) || h.time().isAfter(now)) {
                    continue;
                }
                boolean kind = c.did() == Criterion.Did.PAGE ? "page_view".equals(h.kind())
                        : "event".equals(h.kind()) || "goal".equals(h.kind());
                String subject = c.did() == Criterion.Did.PAGE ? h.path() : h.name();
                if (kind && subject != null && glob.matches(subject)) {
                    count++;
                }
            }
        }
        return new Object[]{count, sum};
    }
}
