package dev.speck.goals;

import java.time.Instant;

/**
 * A targeted action of a pixel: the rule a hit must meet, what an achievement is worth, and how
 * achievements count. The version goes up whenever rule, value, currency or counting change;
 * achievements keep the version they were made under, so an edit never rewrites history.
 *
 * @param currency an ISO 4217 code when the value is money; null when it is points
 */
public record Goal(String id, String pixel, String name, GoalRule rule, GoalValue value, String currency,
                   Counting counting, int version, Instant created, Instant updated) {

    /** True when the rule or worth differs, which makes an edit a new version. */
    boolean differsInMeaning(GoalRule r, GoalValue v, String cur, Counting c) {
        return !rule.equals(r) || !value.equals(v) || !java.util.Objects.equals(currency, cur) || counting != c;
    }
}
