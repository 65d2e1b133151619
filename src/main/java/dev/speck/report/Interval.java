package dev.speck.report;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The buckets of a report's time series, in UTC; weeks start on Monday (ISO). */
public enum Interval {
    HOUR, DAY, WEEK, MONTH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public LocalDateTime start(LocalDateTime t) {
        return switch (this) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    }

    public LocalDateTime next(LocalDateTime bucket) {
        return switch (this) {
            case HOUR -> bucket.plusHours(1);
            case DAY -> bucket.plusDays(1);
            case WEEK -> bucket.plusWeeks(1);
            case MONTH -> bucket.plusMonths(1);
        };
    }

    public static Interval fromWireName(String s) {
        for (Interval i : values()) {
            if (i.wireName().equals(s)) {
                return i;
            }
        }
        return null;
    }
}
