package dev.speck.segments;

import dev.speck.triggers.Condition;
import dev.speck.triggers.Trigger;

import java.util.List;

/**
 * Who belongs to a rule segment: the people (a customer over all their linked visitors, else one
 * visitor) seen in the last {@code days} whose history meets every {@link Criterion} and whose
 * latest hit in that time (and customer record) meets every {@link Condition}.
 *
 * @param who        customers only, or anyone (visitors not known as customers too)
 * @param days       the window: people with a human hit in the last this many days (1-365)
 * @param criteria   what they did or did not do, each within its own days (at most {@code days})
 * @param conditions on the latest hit's attributes (country, device, channel, campaign ...) and on
 *                   the customer's ({@code customer.<attribute>}); the same language as triggers'
 */
public record SegmentRule(Trigger.Who who, int days, List<Criterion> criteria, List<Condition> conditions) {

    public SegmentRule {
        criteria = List.copyOf(criteria);
        conditions = List.copyOf(conditions);
    }

    /** The hit fields the conditions read from the latest hit, each once, in order. */
    public List<String> hitFields() {
        return conditions.stream().map(Condition::field).filter(f -> !f.startsWith(Condition.CUSTOMER_PREFIX))
                .distinct().toList();
    }

    /** Whether judging needs the customer record (for who = customers, or a customer attribute). */
    public boolean needsCustomer() {
        return who == Trigger.Who.CUSTOMERS
                || conditions.stream().anyMatch(c -> c.field().startsWith(Condition.CUSTOMER_PREFIX));
    }
}
