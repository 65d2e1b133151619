package dev.speck.report;

/**
 * Achievements of one goal, all versions together (version null) or of one version. The first*
 * figures count each visitor's first achievement in the range only, for goals counted once per visitor.
 */
public record GoalCounts(String goal, Integer version, long achievements, long firstAchievements, long achievers,
                         double value, double firstValue, String currency) {
}
