package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.ReportQuery;
import dev.speck.report.SetApart;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many hits of a report's range were not people, by verdict: from set_apart_days for the days
 * rolled up, from the events for the others, so a long range reads one row per day and verdict.
 */
final class SetApartCounts {

    private SetApartCounts() {
    }

    static SetApart of(Connection c, ReportQuery q, RollupCoverage coverage) throws SQLException {
        ReportSql sql = new ReportSql(coverage).add("SELECT verdict, sum(hits) AS n FROM (SELECT verdict, hits FROM set_apart_days"
                + " WHERE pixel = ? AND (").bind(q.pixel());
        ranges(sql, "day >= ? AND day <= ?", coverage.rolled(), false);
        sql.add(") UNION ALL SELECT " + TrafficSql.VERDICT + " AS verdict, count(*) AS hits FROM " + VISIBLE_EVENTS
                + " WHERE pixel = ? AND (").bind(q.pixel());
        ranges(sql, "time >= ? AND time < ?", coverage.unrolled(), true);
        sql.add(")" + TrafficSql.and(dev.speck.report.Traffic.NON_HUMAN) + " GROUP BY 1) GROUP BY verdict ORDER BY n DESC, verdict");
        Map<String, Long> byVerdict = new LinkedHashMap<>();
        long total = 0;
        for (Object[] row : sql.query(c, rs -> new Object[]{rs.getString(1), rs.getLong(2)})) {
            byVerdict.put((String) row[0], (Long) row[1]);
            total += (Long) row[1];
        }
        return new SetApart(total, byVerdict);
    }

    private static void ranges(ReportSql sql, String condition, List<LocalDate[]> ranges, boolean asTimes) {
        if (ranges.isEmpty()) {
            sql.add("FALSE");
        }
        String glue = "";
        for (LocalDate[] r : ranges) {
            sql.add(glue + "(" + condition + ")");
            sql.bind(asTimes ? r[0].atStartOfDay() : r[0]);
            sql.bind(asTimes ? r[1].plusDays(1).atStartOfDay() : r[1]);
            glue = " OR ";
        }
    }
}
