package dev.speck.store.duckdb;

import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A busy pixel's day rolled up within DuckDB's memory limit (issue 25): in chunks of visitors, with
 * the same rows as one query, and reports exact while a day is half rolled.
 */
class LargeDayRollupTest {

    private static final String PIXEL = "big";

    @TempDir
    Path dir;

    /**
     * 300,000 events with 100,000 visitors in one day, at a 64 MB limit: one query over the day
     * failed there with DuckDB's out-of-memory error (as 1.1 million did at 256 MB), which
     * left the day unrolled for good. The proportions of the 5 million events at 256 MB that
     * bench/rollup.sh runs.
     */
    @Test
    void aDayOf300000EventsRollsUpUnderA64MegabyteLimit() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "1GB", 2)) {
            LargeDay.fill(db, PIXEL, day, 300_000);
        }
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "64MB", 2)) {
            assertThat(new VisitorRollup(db, 60_000, () -> 0).runOnce()).as("pixel-days rolled").isEqualTo(1);

            assertThat(count(db, "SELECT count(*) FROM rolled_days WHERE pixel = 'big'")).isEqualTo(1);
            assertThat(count(db, "SELECT count(*) FROM visitor_days")).as("every person's visitor of the day")
                    .isEqualTo(count(db, "SELECT count(DISTINCT visitor_id) FROM events WHERE " + TrafficSql.HUMAN));
            assertThat(count(db, "SELECT sum(hits) FROM set_apart_days")).as("every hit set apart counted")
                    .isEqualTo(count(db, "SELECT count(*) FROM events WHERE NOT " + TrafficSql.HUMAN));
        }
    }

    @Test
    void aDayRolledInChunksHasTheSameRowsAsOneRolledAtOnce() throws Exception {
        LocalDate day = LocalDate.of(2026, 3, 14);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 2); Connection c = db.connect()) {
            long through = LargeDay.fill(db, PIXEL, day, 30_000);
            try (Statement st = c.createStatement()) {
                // goal hits without a visitor id, and one person's hit past midnight, belong to their day only
                st.execute("INSERT INTO goal_achievements VALUES (" + (through + 1) + ", TIMESTAMP '" + day + " 12:00:00', 'big',"
                        + " 'g_purchase', 1, NULL, 5.50, 'EUR'), (" + (through + 2) + ", TIMESTAMP '" + day + " 13:00:00', 'big',"
                        + " 'g_purchase', 1, NULL, NULL, NULL)");
                st.execute("INSERT INTO events (seq, time, pixel, kind, visitor_id, path) VALUES (" + (through + 3)
                        + ", TIMESTAMP '" + day.plusDays(1) + " 00:00:01', 'big', 'page_view', 'someone', '/next-day')");
            }
            DayRollup rollup = DayRollup.on(c);

            rollup.roll(PIXEL, day, through + 3, new DayRollup.Chunks(1, 1));
            List<String> atOnce = rolledRows(c);
            rollup.roll(PIXEL, day, through + 3, new DayRollup.Chunks(7, 3));
            List<String> inChunks = rolledRows(c);

            assertThat(atOnce).as("rows of a 30,000-event day").hasSizeGreaterThan(15_000);
            assertThat(inChunks).isEqualTo(atOnce);
            assertThat(count(db, "SELECT count(*) FROM rolled_days")).isEqualTo(1);
        }
    }

    /**
     * What a crash between two chunks leaves: the day out of rolled_days with some of its visitors.
     * Reports read the day's events meanwhile, and the next run rolls the whole day again.
     */
    @Test
    void aDayLeftHalfRolledIsReportedFromItsEventsAndRolledAgainInFull() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 2); Connection c = db.connect()) {
            LargeDay.fill(db, PIXEL, day, 20_000);
            DuckDbGoalReports reports = new DuckDbGoalReports(db);
            ReportQuery query = new ReportQuery(PIXEL, day, day, Map.of(), false);
            Object fromEvents = reports.overview(query, Interval.DAY);
            VisitorRollup rollup = new VisitorRollup(db, 60_000, () -> 0);
            rollup.runOnce();
            List<String> whole = rolledRows(c);
            assertThat(reports.overview(query, Interval.DAY)).as("rolled up, same report").isEqualTo(fromEvents);

            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM rolled_days");
                st.execute("DELETE FROM visitor_days WHERE hash(visitor_id) % 3 <> 0");
                st.execute("DELETE FROM goal_visitor_days WHERE hash(visitor_id) % 3 <> 0");
                st.execute("DELETE FROM set_apart_days");
            }
            assertThat(reports.overview(query, Interval.DAY)).as("half rolled: read from the events").isEqualTo(fromEvents);

            assertThat(rollup.runOnce()).isEqualTo(1);
            assertThat(rolledRows(c)).isEqualTo(whole);
            assertThat(reports.overview(query, Interval.DAY)).isEqualTo(fromEvents);
        }
    }

    private static List<String> rolledRows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (String table : List.of("visitor_days", "goal_visitor_days", "set_apart_days", "rolled_days")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT CAST(t AS VARCHAR) AS r FROM " + table + " t ORDER BY r")) {
                while (rs.next()) {
                    rows.add(table + " " + rs.getString(1));
                }
            }
        }
        return rows;
    }

    private static long count(DuckDbDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
