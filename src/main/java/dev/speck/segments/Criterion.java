package dev.speck.segments;

import java.math.BigDecimal;

/**
 * One thing a person did (or, negated, did not do) within the last {@code days}.
 *
 * <ul>
 *   <li>goal: reached the goal (id, or {@code *} for any goal) at least {@code times} times, counting
 *       only achievements worth at least {@code minValue} and in {@code currency} when given; with
 *       {@code total}, their values add up to at least that (exact decimal, in {@code currency});</li>
 *   <li>event: sent a custom event (or goal hit) whose name matches the glob;</li>
 *   <li>page: viewed a page whose path matches the glob ({@code *} any run of characters).</li>
 * </ul>
 *
 * @param negated true: the person is a member when this does NOT hold ("no Purchase in 30 days")
 */
public record Criterion(Did did, String target, int days, int times, BigDecimal minValue, BigDecimal total,
                        String currency, boolean negated) {

    public enum Did {
        GOAL("goal"), EVENT("event"), PAGE("page");

        private final String wireName;

        Did(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Did fromWireName(String s) {
            for (Did d : values()) {
                if (d.wireName.equals(s)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** Whether a person's count and total in the window meet it (negation applied). */
    public boolean holds(long count, BigDecimal sum) {
        boolean did = count >= times && (total == null || (sum != null && sum.compareTo(total) >= 0));
        return did != negated;
    }
}
