package dev.speck.store.duckdb;

import dev.speck.report.Dimension;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A goals report that reads a busy day from its events (today, or a day not rolled up yet) within
 * DuckDB's memory limit (issue 25): in chunks of the day's visitors, with the figures of one query.
 */
class LargeDayReportTest {

    private static final String PIXEL = "big";

    @TempDir
    Path dir;

    /**
     * 600,000 events with 200,000 visitors in one day not rolled up, at a 32 MB limit: a breakdown
     * and a filtered report read in one query each failed there with DuckDB's out-of-memory error
     * (as a breakdown of 5 million events did at 256 MB). Read in chunks, they are the reports read
     * in one query under a limit that holds them.
     */
    @Test
    void aBusyDayNotRolledUpIsBrokenDownAndFilteredUnderA32MegabyteLimit() {
        LocalDate day = LocalDate.of(2026, 3, 14);
        ReportQuery all = new ReportQuery(PIXEL, day, day, Map.of(), false);
        ReportQuery fromSearch = new ReportQuery(PIXEL, day, day, Map.of(Dimension.CHANNEL, "search"), false);
        Read atOnce;
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "1GB", 2)) {
            LargeDay.fill(db, PIXEL, day, 600_000);
            atOnce = reports(new DuckDbGoalReports(db), all, fromSearch);
        }
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "32MB", 2)) {
            Read inChunks = reports(new DuckDbGoalReports(db), all, fromSearch);

            assertThat(inChunks).isEqualTo(atOnce);
        }
        GoalReports.BreakdownRow search = atOnce.byChannel().stream()
                .filter(r -> r.value().equals("search")).findFirst().orElseThrow();
        assertThat(search.visitors()).as("visitors who came from search").isGreaterThan(5_000);
        assertThat(search.goals()).as("their goals").isNotEmpty();
    }

    private record Read(List<GoalReports.BreakdownRow> byChannel, GoalReports.Overview fromSearch) {
    }

    private static Read reports(GoalReports reports, ReportQuery all, ReportQuery fromSearch) {
        return new Read(reports.breakdown(all, Dimension.CHANNEL, 100), reports.overview(fromSearch, Interval.DAY));
    }
}
