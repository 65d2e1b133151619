package dev.speck.report;

import java.math.BigDecimal;

/**
 * Achievements of one goal, all versions together (version null) or of one version. The first*
 * figures count each visitor's first achievement in the range only, for goals counted once per visitor.
 * Values are exact decimal sums (money), never binary fractions.
 */
public record GoalCounts(String goal, Integer version, long achievements, long firstAchievements, long achievers,
                         BigDecimal value, BigDecimal firstValue, String currency) {
}
