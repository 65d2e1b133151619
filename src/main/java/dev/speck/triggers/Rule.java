package dev.speck.triggers;

import dev.speck.goals.GlobPattern;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.HitKind;

import java.util.List;

/**
 * One live trigger made ready to judge many hits (built once per trigger version, when the pixel's
 * {@link TriggerIndex} is): its start's glob split once, its conditions as ids into the pixel's
 * {@link SharedConditions}. Judges exactly as {@link TriggerMatch#fires} for the enabled live
 * triggers of the hit's pixel and eligible hits the index is asked about, but tests the (shared,
 * usually failing) conditions before the start.
 *
 * @param ordinal       its place in the pixel's index, for telling candidates apart and keeping their order
 * @param needsCustomer whether judging it needs the visitor's customer: for customers, or a customer's
 *                      attribute, or a recognition
 */
record Rule(Trigger trigger, int ordinal, GlobPattern start, int[] hitConditions, int[] customerConditions,
            boolean needsCustomer) {

    static Rule of(Trigger t, int ordinal, SharedConditions shared) {
        GlobPattern start = t.when().target() == null || t.when().kind() == When.Kind.GOAL ? null
                : new GlobPattern(t.when().target());
        int[] onHit = t.conditions().stream().filter(c -> !c.onCustomer()).mapToInt(shared::id).toArray();
        int[] onCustomer = t.conditions().stream().filter(Condition::onCustomer).mapToInt(shared::id).toArray();
        // judging it needs the visitor's customer: for customers, or a customer's attribute, or a recognition
        boolean needsCustomer = t.who() == Trigger.Who.CUSTOMERS || t.when().kind() == When.Kind.RECOGNISED
                || onCustomer.length > 0;
        return new Rule(t, ordinal, start, onHit, onCustomer, needsCustomer);
    }

    /**
     * Whether what the hit alone decides lets it fire: its start (except a recognition) and its
     * conditions on the hit. For a rule that does not {@link #needsCustomer()} this is the whole answer.
     */
    boolean hitAllows(Event e, List<Achievement> achieved, SharedConditions.Judgements judged) {
        for (int id : hitConditions) {
            if (!judged.holds(id, e, null)) {
                return false;
            }
        }
        return trigger.when().kind() == When.Kind.RECOGNISED || starts(e, achieved);
    }

    /**
     * The whole rule, once the hit has passed {@link #hitAllows}: who, a recognition, and the conditions on
     * the customer ({@code judged} must be fresh for this hit and customer).
     */
    boolean customerAllows(Customer customer, boolean recognised, Event e, SharedConditions.Judgements judged) {
        if (trigger.who() == Trigger.Who.CUSTOMERS && customer == null) {
            return false;
        }
        if (trigger.when().kind() == When.Kind.RECOGNISED && !recognised) {
            return false;
        }
        for (int id : customerConditions) {
            if (!judged.holds(id, e, customer)) {
                return false;
            }
        }
        return true;
    }

    private boolean starts(Event e, List<Achievement> achieved) {
        HitKind kind = e.hit().kind();
        return switch (trigger.when().kind()) {
            case GOAL -> TriggerMatch.achievement(trigger.when(), achieved) != null;
            case EVENT -> (kind == HitKind.EVENT || kind == HitKind.GOAL) && e.hit().name() != null
                    && start.matches(e.hit().name());
            case PAGE -> kind == HitKind.PAGE_VIEW && start.matches(TriggerMatch.path(e.hit().page().url()));
            case RECOGNISED -> true;
            case SEGMENT_ENTERED, SEGMENT_LEFT -> false; // judged by the segment job, never on a hit
        };
    }
}
