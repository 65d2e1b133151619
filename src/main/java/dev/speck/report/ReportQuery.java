package dev.speck.report;

import java.time.LocalDate;
import java.util.Map;

/**
 * Which events a goals report covers: one pixel, UTC days from..to inclusive, the visitors the
 * filters let through (all must hold), and where achievements come from.
 *
 * @param implicitGoals true for a pixel without goals: its event, goal, email and link hits
 *                      count as goals of their own, keyed kind:name
 * @param traffic       which hits count, by traffic-quality verdict (people by default)
 * @param segment       a segment's id: only its members' visitors count (as its members are now); null for all
 */
public record ReportQuery(String pixel, LocalDate from, LocalDate to, Map<Dimension, String> filters,
                          boolean implicitGoals, Traffic traffic, String segment) {

    public ReportQuery {
        filters = Map.copyOf(filters);
        traffic = traffic == null ? Traffic.HUMAN : traffic;
    }

    /** A report of everyone the filters and the traffic let through (no segment). */
    public ReportQuery(String pixel, LocalDate from, LocalDate to, Map<Dimension, String> filters, boolean implicitGoals,
                       Traffic traffic) {
        this(pixel, from, to, filters, implicitGoals, traffic, null);
    }

    /** Whether some visitors are left out: by a filter or by a segment (the members' visitors only). */
    public boolean narrowed() {
        return !filters.isEmpty() || segment != null;
    }

    /** A report of people only. */
    public ReportQuery(String pixel, LocalDate from, LocalDate to, Map<Dimension, String> filters, boolean implicitGoals) {
        this(pixel, from, to, filters, implicitGoals, Traffic.HUMAN);
    }

    /** The same query over the equally long period just before. */
    public ReportQuery previous() {
        long days = to.toEpochDay() - from.toEpochDay() + 1;
        return new ReportQuery(pixel, from.minusDays(days), from.minusDays(1), filters, implicitGoals, traffic, segment);
    }
}
