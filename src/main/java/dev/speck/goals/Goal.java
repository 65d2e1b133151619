package dev.speck.goals;

import java.time.Instant;

/**
 * A targeted action of a pixel: the rule a hit must meet, what an achievement is worth, and how
 * achievements count. The version goes up whenever rule, value, currency, counting or the refund
 * rule change; achievements keep the version they were made under, so an edit never rewrites history.
 *
 * @param currency      an ISO 4217 code when the value is money; null when it is points
 * @param allowNegative whether a hit meeting this goal may carry a value below zero (a refund);
 *                      without it such a value is refused at collection
 */
public record Goal(String id, String pixel, String name, GoalRule rule, GoalValue value, String currency,
                   Counting counting, boolean allowNegative, int version, Instant created, Instant updated) {

    /** True when the rule or worth differs, which makes an edit a new version. */
    boolean differsInMeaning(GoalDraft d) {
        return !rule.equals(d.rule()) || !value.equals(d.value()) || !java.util.Objects.equals(currency, d.currency())
                || counting != d.counting() || allowNegative != d.allowNegative();
    }
}
