package dev.speck.report;

import java.time.LocalDateTime;
import java.util.List;

/** The queries behind the goals report; dimensions and intervals come from enums, never from input text. */
public interface GoalReports {

    /** Unique visitors and the achievements of every goal in the range. */
    Totals totals(ReportQuery q);

    /** Per bucket: unique visitors and achievements; buckets without events are left out. */
    List<SeriesPoint> series(ReportQuery q, Interval interval);

    /** Totals and series together: what the report page shows, in one pass where the store can. */
    default Overview overview(ReportQuery q, Interval interval) {
        return new Overview(totals(q), series(q, interval));
    }

    /** Per value of the dimension (most visitors first, at most limit rows): visitors and achievements. */
    List<BreakdownRow> breakdown(ReportQuery q, Dimension dimension, int limit);

    /** The goal's achievements (each visitor's first only, when onlyFirst) credited to a touch in the lookback window. */
    List<AttributionRow> attribution(ReportQuery q, String goal, boolean onlyFirst, boolean lastTouch, int lookbackDays);

    /** The hits of the range that are not people (whatever the query's traffic), by verdict. */
    default SetApart setApart(ReportQuery q) {
        return SetApart.NONE;
    }

    record Totals(long visitors, List<GoalCounts> goals) {
    }

    record Overview(Totals totals, List<SeriesPoint> series) {
    }

    record SeriesPoint(LocalDateTime bucket, long visitors, List<GoalCounts> goals) {
    }

    record BreakdownRow(String value, long visitors, List<GoalCounts> goals) {
    }

    /** Null channel means no touch was found in the window. */
    record AttributionRow(String channel, String source, String campaign, long achievements, java.math.BigDecimal value) {
    }
}
