package dev.speck.goals;

import dev.speck.hit.Hit;

import java.math.BigDecimal;

/** What one achievement of a goal is worth, in the goal's currency or in points: an exact decimal. */
public sealed interface GoalValue {

    /** The value of an achievement by this hit, or null when it has none. */
    BigDecimal of(Hit hit, String goalCurrency);

    /** Counts, carries no value. */
    record None() implements GoalValue {
        @Override
        public BigDecimal of(Hit hit, String goalCurrency) {
            return null;
        }
    }

    /** The same amount every time, whatever the hit says. */
    record Fixed(BigDecimal amount) implements GoalValue {
        @Override
        public BigDecimal of(Hit hit, String goalCurrency) {
            return amount;
        }
    }

    /**
     * The hit's own value (an order total), clamped to [min, max]: the bounds stop one mistyped
     * total from swamping a report, yet the achievement still counts. A hit without a value, or
     * with a currency other than the goal's, achieves the goal with no value: Speck does not convert currencies.
     */
    record FromHit(BigDecimal min, BigDecimal max) implements GoalValue {
        @Override
        public BigDecimal of(Hit hit, String goalCurrency) {
            BigDecimal amount = hit.value().amount();
            if (amount == null) {
                return null;
            }
            if (hit.value().currency() != null && goalCurrency != null && !hit.value().currency().equals(goalCurrency)) {
                return null;
            }
            return amount.max(min).min(max);
        }
    }
}
