package dev.speck.goals;

import dev.speck.hit.Hit;

/** What one achievement of a goal is worth, in the goal's currency or in points. */
public sealed interface GoalValue {

    /** The value of an achievement by this hit, or null when it has none. */
    Double of(Hit hit, String goalCurrency);

    /** Counts, carries no value. */
    record None() implements GoalValue {
        @Override
        public Double of(Hit hit, String goalCurrency) {
            return null;
        }
    }

    /** The same amount every time, whatever the hit says. */
    record Fixed(double amount) implements GoalValue {
        @Override
        public Double of(Hit hit, String goalCurrency) {
            return amount;
        }
    }

    /**
     * The hit's own value (an order total), clamped to [min, max]: the bounds stop one mistyped
     * total from swamping a report, yet the achievement still counts. A hit without a value, or
     * with a currency other than the goal's, achieves the goal with no value: Speck does not convert currencies.
     */
    record FromHit(double min, double max) implements GoalValue {
        @Override
        public Double of(Hit hit, String goalCurrency) {
            if (hit.value().amount() == null || hit.value().amount().isNaN()) {
                return null;
            }
            if (hit.value().currency() != null && goalCurrency != null && !hit.value().currency().equals(goalCurrency)) {
                return null;
            }
            return Math.max(min, Math.min(max, hit.value().amount()));
        }
    }
}
