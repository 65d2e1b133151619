package dev.speck.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The queries behind the read API; the goals report builds on this seam. */
public interface Reports {

    /** Per UTC day from {@code from} to {@code to} inclusive, people only; days without events are left out. */
    default List<DailyCount> daily(String pixel, LocalDate from, LocalDate to) {
        return daily(pixel, from, to, Traffic.HUMAN);
    }

    /** As {@link #daily(String, LocalDate, LocalDate)}, of the hits of this traffic. */
    List<DailyCount> daily(String pixel, LocalDate from, LocalDate to, Traffic traffic);

    /**
     * Per local hour of day (the visitor's clock) over the UTC days {@code from} to {@code to} inclusive;
     * hours without events and events whose zone is unknown are left out.
     */
    default List<HourlyCount> hours(String pixel, LocalDate from, LocalDate to) {
        return hours(pixel, from, to, Traffic.HUMAN);
    }

    /** As {@link #hours(String, LocalDate, LocalDate)}, of the hits of this traffic. */
    List<HourlyCount> hours(String pixel, LocalDate from, LocalDate to, Traffic traffic);

    /** The newest stored events of a pixel, newest first, before {@code beforeSeq} when given. */
    List<Map<String, Object>> events(String pixel, Long beforeSeq, int limit);
}
