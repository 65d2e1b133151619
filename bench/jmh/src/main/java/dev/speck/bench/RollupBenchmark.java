package dev.speck.bench;

import dev.speck.enrich.TrafficRule;
import dev.speck.enrich.Verdict;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.Pixel;
import dev.speck.privacy.AccountSettings;
import dev.speck.privacy.VisitorPrivacy;
import dev.speck.report.Dimension;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbGoalReports;
import dev.speck.store.duckdb.RetentionJob;
import dev.speck.store.duckdb.TrafficHistory;
import dev.speck.store.duckdb.VisitorRollup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The background jobs over one very busy day (issue 25): fills one pixel's day with N events
 * (src/test/resources/.../large-day.sql, as LargeDayRollupTest does), then, at the memory limit
 * given, times the visitor rollup of that pixel-day with DuckDB's peak memory, the goals report
 * over the day rolled up and from its events (also filtered, by landing page), a traffic rule reclassifying a quarter of the day
 * (and the rollup again), and retention deleting the day. Each step prints ok or DuckDB's error.
 *
 * <pre>bench/rollup.sh [events=5000000] [dir] [memory=256MB] [threads=2]</pre>
 * The last step empties the store, so the next run fills it again (one that stopped before is reused).
 */
public final class RollupBenchmark {

    static final String PIXEL = "big";
    static final LocalDate DAY = LocalDate.of(2026, 1, 15);

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("speck-rollup-bench");
        String memory = args.length > 2 ? args[2] : "256MB";
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path sql = Path.of(System.getProperty("speck.root", ".")).resolve("src/test/resources/dev/speck/store/duckdb/large-day.sql");
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "1GB", threads)) {
            fill(db, Files.readString(sql, StandardCharsets.UTF_8), events);
        }
        System.out.printf("store: %s, memory_limit=%s, threads=%d%n", dir, memory, threads);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, memory, threads)) {
            execute(db, "DELETE FROM visitor_days", "DELETE FROM goal_visitor_days", "DELETE FROM set_apart_days",
                    "DELETE FROM rolled_days", "DELETE FROM rollup_state");
            VisitorRollup rollup = new VisitorRollup(db, 60_000, () -> 0);
            step(db, "visitor rollup of the pixel-day", rollup::runOnce);
            DuckDbGoalReports reports = new DuckDbGoalReports(db);
            ReportQuery day = new ReportQuery(PIXEL, DAY, DAY, Map.of(), false);
            step(db, "goals report, the day rolled up", () -> List.of(reports.overview(day, Interval.HOUR),
                    reports.breakdown(day, Dimension.CHANNEL, 100)));
            execute(db, "DELETE FROM rolled_days");
            step(db, "goals report, the day from its events", () -> List.of(reports.overview(day, Interval.HOUR),
                    reports.breakdown(day, Dimension.CHANNEL, 100)));
            ReportQuery filtered = new ReportQuery(PIXEL, DAY, DAY, Map.of(Dimension.CHANNEL, "search"), false);
            step(db, "the same filtered (channel), by landing page", () -> List.of(reports.overview(filtered, Interval.HOUR),
                    reports.breakdown(filtered, Dimension.LANDING_PAGE, 100)));
            try (TrafficHistory history = new TrafficHistory(db, rollup)) {
                step(db, "traffic rule on a quarter of the day, rolled again", () -> {
                    history.ruleAdded(new TrafficRule("r1", TrafficRule.Kind.AGENT, "Firefox", Verdict.BOT, "bench", Instant.now()));
                    while (history.completed() < 1) {
                        Thread.sleep(50);
                    }
                    return count(db, "SELECT count(*) FROM events WHERE verdict = 'bot'") + " hits now bots, day rolled: "
                            + count(db, "SELECT count(*) FROM rolled_days");
                });
            }
            Pixel pixel = new Pixel(PIXEL, PIXEL, true, List.of(), Instant.now(), new VisitorPrivacy(
                    VisitorPrivacy.IdentityMode.COOKIELESS, VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 30));
            step(db, "retention deleting the day", () -> new RetentionJob(db, () -> List.of(pixel), () -> AccountSettings.DEFAULTS,
                    new SpeckMetrics(), 3_600_000).runOnce(DAY.plusDays(40).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        System.out.println("process peak RSS (VmHWM, JVM included): " + Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).map(l -> l.replaceAll("\\D+", "")).findFirst().map(k -> Long.parseLong(k) / 1024 + " MB")
                .orElse("?"));
    }

    /** Runs one job, timed, with the most DuckDB's buffer manager held meanwhile (sampled every 20 ms). */
    static void step(DuckDbDatabase db, String what, Callable<Object> job) throws InterruptedException {
        long[] peak = {0};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], db.memoryInUse());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        String outcome;
        try {
            Object result = job.call();
            outcome = "ok" + (result instanceof String || result instanceof Number || result instanceof RetentionJob.Deleted
                    ? " (" + result + ")" : "");
        } catch (Exception e) {
            outcome = "FAILED: " + String.valueOf(e.getMessage()).split("\n")[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        System.out.printf("%-52s %6.1f s, DuckDB peak %4d MB: %s%n", what, seconds, peak[0] >> 20, outcome);
    }

    static void fill(DuckDbDatabase db, String sql, long n) throws Exception {
        if (count(db, "SELECT count(*) FROM events") == n) {
            System.out.println("reusing " + n + " events");
            return;
        }
        execute(db, "DELETE FROM events", "DELETE FROM goal_achievements");
        long start = System.nanoTime();
        Map<String, String> values = Map.of("events", Long.toString(n), "seq0", "0", "day", DAY.toString(), "pixel", PIXEL);
        for (var v : values.entrySet()) {
            sql = sql.replace("${" + v.getKey() + "}", v.getValue());
        }
        execute(db, sql.replaceAll("(?m)--.*$", "").split(";"));
        execute(db, "CHECKPOINT");
        System.out.printf("filled %d events (%d visitors) in %.1f s%n", count(db, "SELECT count(*) FROM events"),
                count(db, "SELECT count(DISTINCT visitor_id) FROM events"), (System.nanoTime() - start) / 1e9);
    }

    static void execute(DuckDbDatabase db, String... statements) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    static long count(DuckDbDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
