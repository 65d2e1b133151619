package dev.speck.store.duckdb;

import dev.speck.report.Traffic;

/**
 * The SQL of traffic quality over the events table: a row's verdict, and which rows a report's
 * {@link Traffic} lets through. Rows stored before verdicts existed read as human unless is_bot.
 */
final class TrafficSql {

    /** The verdict of an event row, old rows included. */
    static final String VERDICT = "coalesce(verdict, CASE WHEN is_bot THEN 'bot' ELSE 'human' END)";

    /** True for the rows of people. */
    static final String HUMAN = "(verdict = 'human' OR (verdict IS NULL AND is_bot IS NOT TRUE))";

    private TrafficSql() {
    }

    /** A condition on event rows; " AND ..." or empty for all traffic. */
    static String and(Traffic traffic) {
        return switch (traffic) {
            case HUMAN -> " AND " + HUMAN;
            case NON_HUMAN -> " AND NOT " + HUMAN;
            case ALL -> "";
        };
    }

    /**
     * A condition on goal_achievements rows (which hold no verdict: their event's counts), given the
     * WHERE that bounds the events to look at (its values bound once more); empty for all traffic.
     */
    static String achievements(Traffic traffic, String eventsWhere) {
        return switch (traffic) {
            case HUMAN -> " AND seq NOT IN (SELECT seq FROM " + DuckDbDatabase.VISIBLE_EVENTS + " WHERE " + eventsWhere
                    + " AND NOT " + HUMAN + ")";
            case NON_HUMAN -> " AND seq IN (SELECT seq FROM " + DuckDbDatabase.VISIBLE_EVENTS + " WHERE " + eventsWhere
                    + " AND NOT " + HUMAN + ")";
            case ALL -> "";
        };
    }

    /** How many times a WHERE bound by {@link #achievements} is bound in all: once more unless all traffic. */
    static int achievementBinds(Traffic traffic) {
        return traffic == Traffic.ALL ? 1 : 2;
    }
}
