package dev.speck.bench;

import dev.speck.report.Dimension;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbGoalReports;
import dev.speck.store.duckdb.VisitorRollup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the goals report on a store filled with synthetic but shaped-like-real events: one busy
 * pixel, 90 days, ~25,000 visitors a day with ~4.4 events each, 80% page views, a few percent goal
 * hits achieving five goals. Filling uses DuckDB's generate_series (a minute or so for 10 million).
 *
 * <pre>java -cp ... dev.speck.bench.ReportBenchmark [events=10000000] [dir] [memory=256MB] [threads=2] [runs=7]</pre>
 * A store filled before is reused when the event count matches.
 */
public final class ReportBenchmark {

    static final String PIXEL = "bench";
    static final int DAYS = 90;
    static final LocalDate FIRST = LocalDate.of(2026, 1, 1);

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("speck-report-bench");
        String memory = args.length > 2 ? args[2] : "256MB";
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 7;
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, memory, threads)) {
            fill(db, events);
            try (var c = db.connect(); var st = c.createStatement()) {
                for (String table : List.of("visitor_days", "goal_visitor_days", "rolled_days", "rollup_state")) {
                    st.execute("DELETE FROM " + table); // roll everything up again, timed
                }
            }
            long rollStart = System.nanoTime();
            int rolled = new VisitorRollup(db, 60_000, () -> 0).runOnce(); // what the running server does every minute
            System.out.printf("rolled up %d pixel-days in %.1f s%n", rolled, (System.nanoTime() - rollStart) / 1e9);
            GoalReports reports = new DuckDbGoalReports(db);
            LocalDate last = FIRST.plusDays(DAYS - 1);
            ReportQuery all = new ReportQuery(PIXEL, FIRST, last, Map.of(), false);
            ReportQuery month = new ReportQuery(PIXEL, last.minusDays(29), last, Map.of(), false);
            ReportQuery filtered = new ReportQuery(PIXEL, last.minusDays(29), last,
                    Map.of(Dimension.CHANNEL, "search", Dimension.DEVICE_CLASS, "Phone"), false);
            System.out.printf("store: %s, memory_limit=%s, threads=%d, %d runs each, median (min..max) ms%n",
                    dir, memory, threads, runs);
            time("report totals, 30 days", runs, () -> reports.totals(month));
            // what GET /api/pixels/{id}/report?interval=day&compare=previous runs
            time("whole report (overview + previous), 30 days", runs, () -> List.of(reports.overview(month, Interval.DAY),
                    reports.totals(month.previous())));
            time("whole report (overview + previous), 90 days = all", runs, () -> List.of(reports.overview(all, Interval.DAY),
                    reports.totals(all.previous())));
            time("whole report by week, 90 days = all", runs, () -> reports.overview(all, Interval.WEEK));
            time("whole report, 30 days, 2 filters", runs, () -> List.of(reports.overview(filtered, Interval.DAY),
                    reports.totals(filtered.previous())));
            time("breakdown by channel, 30 days", runs, () -> reports.breakdown(month, Dimension.CHANNEL, 100));
            time("breakdown by landing_page, 90 days", runs, () -> reports.breakdown(all, Dimension.LANDING_PAGE, 100));
            time("attribution last touch, 30 days", runs, () -> reports.attribution(month, "g_purchase", false, true, 30));
            time("report series by hour, 7 days", runs, () -> reports.series(
                    new ReportQuery(PIXEL, last.minusDays(6), last, Map.of(), false), Interval.HOUR));
            // days not rolled up yet (today, or a day with a late backfill) are read from the events
            try (var c = db.connect(); var st = c.createStatement()) {
                for (String table : List.of("visitor_days", "goal_visitor_days", "rolled_days", "rollup_state")) {
                    st.execute("DELETE FROM " + table);
                }
            }
            ReportQuery oneDay = new ReportQuery(PIXEL, last, last, Map.of(), false);
            time("whole report, 1 day not rolled up (like today)", runs, () -> List.of(reports.overview(oneDay, Interval.HOUR),
                    reports.totals(oneDay.previous())));
            try {
                time("whole report, 30 days none rolled up", 3, () -> List.of(reports.overview(month, Interval.DAY),
                        reports.totals(month.previous())));
            } catch (RuntimeException e) {
                System.out.println("whole report, 30 days none rolled up: " + e.getMessage().split("\n")[0]);
            }
        }
    }

    static void time(String what, int runs, Supplier<Object> query) {
        query.get(); // warm: the first run reads the file into DuckDB's buffer pool
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            query.get();
            ms.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(ms);
        System.out.printf("%-52s %7.1f  (%.1f..%.1f)%n", what, ms.get(ms.size() / 2), ms.get(0), ms.get(ms.size() - 1));
    }

    static void fill(DuckDbDatabase db, long n) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                if (rs.getLong(1) == n) {
                    System.out.println("reusing " + n + " events");
                    return;
                }
            }
            for (String table : List.of("events", "goal_achievements")) {
                st.execute("DELETE FROM " + table);
            }
            long perDay = n / DAYS;
            long visitorsPerDay = Math.max(1, perDay * 10 / 44);
            long start = System.nanoTime();
            // i runs in time order, as the loader appends; a visitor's events are spread over its day
            st.execute("""
                    INSERT INTO events (seq, time, pixel, kind, name, url, host, path, referrer, channel, source,
                                        utm_source, utm_medium, utm_campaign, visitor_id, ip_prefix, country,
                                        device_class, browser, os, value, currency)
                    SELECT i, TIMESTAMP '%s' + to_microseconds(CAST(i * (86400000000.0 * %d / %d) AS BIGINT)),
                           '%s', kind, name, 'https://shop.example.com' || path, 'shop.example.com', path, NULL,
                           channel, source, NULL, medium, campaign,
                           substr(md5(CAST(visitor AS VARCHAR)), 1, 22), '203.0.113.0', country,
                           device, browser, os,
                           CASE WHEN name = 'purchase' THEN 10 + (i %% 190) END,
                           CASE WHEN name = 'purchase' THEN 'EUR' END
                    FROM (
                        SELECT i, visitor, entry, r,
                               CASE WHEN r < 80 THEN 'page_view' WHEN r < 92 THEN 'event' WHEN r < 97 THEN 'goal'
                                    ELSE 'link_click' END AS kind,
                               CASE WHEN r < 80 THEN NULL WHEN r < 86 THEN 'video_play' WHEN r < 90 THEN 'signup'
                                    WHEN r < 92 THEN 'newsletter' WHEN r < 95 THEN 'add_to_cart' WHEN r < 97 THEN 'purchase'
                                    ELSE NULL END AS name,
                               CASE WHEN i %% 50 = 0 THEN '/thanks' ELSE '/' || ['', 'pricing', 'blog/post-' || (i %% 40),
                                       'product/' || (i %% 300), 'checkout', 'about'][1 + (i %% 6)] END AS path,
                               CASE WHEN entry THEN ['search', 'direct', 'social', 'email', 'paid', 'referral'][1 + visitor %% 6]
                                    ELSE 'internal' END AS channel,
                               CASE WHEN entry THEN ['Google', NULL, 'Facebook', 'newsletter', 'google', 'news.example'][1 + visitor %% 6] END AS source,
                               CASE WHEN entry AND visitor %% 6 IN (3, 4) THEN ['email', 'cpc'][visitor %% 6 - 2] END AS medium,
                               CASE WHEN entry AND visitor %% 6 IN (3, 4) THEN 'campaign-' || (visitor %% 12) END AS campaign,
                               ['DE', 'CH', 'FR', 'US', 'GB', NULL][1 + visitor %% 6] AS country,
                               ['Desktop', 'Phone', 'Phone', 'Tablet'][1 + (visitor // 7) %% 4] AS device,
                               ['Chrome', 'Safari', 'Firefox', 'Edge'][1 + (visitor // 5) %% 4] AS browser,
                               ['Windows NT', 'iOS', 'Android', 'Mac OS'][1 + (visitor // 11) %% 4] AS os
                        FROM (
                            SELECT i, (i // %d) * %d + (i * 7919) %% %d AS visitor,
                                   hash(i * 31) %% 5 = 0 AS entry,
                                   hash(i) %% 100 AS r
                            FROM generate_series(1, %d) t(i)
                        )
                    )
                    """.formatted(FIRST, DAYS, n, PIXEL, perDay, visitorsPerDay, visitorsPerDay, n));
            st.execute("""
                    INSERT INTO goal_achievements (seq, time, pixel, goal_id, goal_version, visitor_id, value, currency)
                    SELECT seq, time, pixel, 'g_' || name, 1, visitor_id, value, currency FROM events
                    WHERE kind IN ('event', 'goal') AND name IN ('signup', 'newsletter', 'add_to_cart', 'purchase')
                    UNION ALL
                    SELECT seq, time, pixel, 'g_thanks', 1, visitor_id, NULL, NULL FROM events
                    WHERE kind = 'page_view' AND path = '/thanks'
                    """);
            st.execute("CHECKPOINT");
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM goal_achievements), "
                    + "(SELECT count(DISTINCT visitor_id) FROM events)")) {
                rs.next();
                System.out.printf("filled %d events, %d achievements, %d visitors in %.1f s%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
