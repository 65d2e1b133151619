package dev.speck.bench;

import dev.speck.http.ApiJson;
import dev.speck.segments.Segment;
import dev.speck.segments.SegmentJson;
import dev.speck.segments.SegmentStore;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbSegments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Segments over a month of a busy pixel (issue 20): fills D days of events (large-day.sql per day;
 * the same visitor numbers each day, so people return across days) with a twentieth of the visitors
 * linked to customers, then at the memory limit given times (1) the backfill of five kinds of rule
 * over all of it and (2) the live job's work for 200 rule segments when a run finds K visitors with
 * new hits: one rejudge per segment restricted to those visitors' people.
 *
 * <pre>bench/segments.sh [events=10000000] [days=30] [dir] [memory=256MB] [threads=2] [touched=5000]</pre>
 */
public final class SegmentBenchmark {

    static final String PIXEL = "big";
    static final List<String> RULES = List.of(
            "{\"who\":\"anyone\",\"days\":14,\"criteria\":[{\"did\":\"page\",\"path\":\"/pricing*\",\"times\":3,\"days\":7},"
                    + "{\"did\":\"goal\",\"goal\":\"g_signup\",\"not\":true}]}",
            "{\"who\":\"anyone\",\"days\":30,\"criteria\":[{\"did\":\"goal\",\"goal\":\"g_purchase\",\"total\":\"500\",\"currency\":\"EUR\"}]}",
            "{\"who\":\"anyone\",\"days\":7,\"conditions\":[{\"field\":\"country\",\"op\":\"in\",\"values\":[\"de\",\"at\",\"ch\"]},"
                    + "{\"field\":\"device\",\"op\":\"is\",\"values\":[\"phone\"]}]}",
            "{\"who\":\"customers\",\"days\":30,\"criteria\":[{\"did\":\"event\",\"name\":\"add_to_cart\",\"days\":3},"
                    + "{\"did\":\"goal\",\"goal\":\"g_purchase\",\"days\":3,\"not\":true}]}",
            "{\"who\":\"anyone\",\"days\":30,\"criteria\":[{\"did\":\"page\",\"path\":\"/blog/*\",\"times\":5}],"
                    + "\"conditions\":[{\"field\":\"channel\",\"op\":\"is\",\"values\":[\"search\"]}]}");

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = args.length > 2 && !args[2].isEmpty() ? Path.of(args[2]) : Files.createTempDirectory("speck-segment-bench");
        String memory = args.length > 3 ? args[3] : "256MB";
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int touched = args.length > 5 ? Integer.parseInt(args[5]) : 5_000;
        LocalDate first = LocalDate.of(2026, 11, 1);
        Path sql = Path.of(System.getProperty("speck.root", ".")).resolve("src/test/resources/dev/speck/store/duckdb/large-day.sql");
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "1GB", threads)) {
            fill(db, Files.readString(sql, StandardCharsets.UTF_8), events, days, first);
        }
        Instant now = first.plusDays(days).atStartOfDay().toInstant(ZoneOffset.UTC);
        System.out.printf("store: %s, %d events over %d days, memory_limit=%s, threads=%d%n", dir, events, days, memory, threads);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, memory, threads)) {
            RollupBenchmark.execute(db, "DELETE FROM segments", "DELETE FROM segment_members", "DELETE FROM segment_changes");
            DuckDbSegments store = new DuckDbSegments(db);
            List<Segment> five = new ArrayList<>();
            for (int i = 0; i < RULES.size(); i++) {
                Segment s = segment("sg_b" + i, RULES.get(i));
                store.save(s);
                five.add(s);
                RollupBenchmark.step(db, "backfill of rule " + (i + 1), () -> {
                    SegmentStore.Changed c = store.rejudge(s, now);
                    return c.entered() + " members";
                });
            }
            // 200 live segments: the five rules with varied numbers, as a site would have them
            List<Segment> live = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String rule = RULES.get(i % RULES.size()).replace("\"times\":3", "\"times\":" + (2 + i % 4))
                        .replace("\"total\":\"500\"", "\"total\":\"" + (100 + 10 * i) + "\"");
                Segment s = segment("sg_l" + i, rule);
                store.save(s);
                live.add(s);
            }
            List<String> candidates = visitors(db, touched);
            RollupBenchmark.step(db, "first live run (members as of now)", () ->
                    store.rejudge(PIXEL, live, now, candidates).values().stream().mapToInt(c -> c.entered() + c.left()).sum() + " changes");
            for (int run = 1; run <= 3; run++) {
                Instant later = now.plusSeconds(5L * run);
                RollupBenchmark.step(db, "live run: 200 segments, " + candidates.size() + " visitors", () -> {
                    return store.rejudge(PIXEL, live, later, candidates).values().stream()
                            .mapToInt(c -> c.entered() + c.left()).sum() + " changes";
                });
            }
        }
        System.out.println("process peak RSS (VmHWM, JVM included): " + Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).map(l -> l.replaceAll("\\D+", "")).findFirst()
                .map(k -> Long.parseLong(k) / 1024 + " MB").orElse("?"));
    }

    static Segment segment(String id, String rule) throws Exception {
        return SegmentJson.read(ApiJson.MAPPER.readTree("{\"name\":\"" + id + "\",\"rule\":" + rule + "}"), id, PIXEL,
                Instant.now(), Instant.now(), goal -> true);
    }

    /** The visitors of the last hits stored: who a live run would judge again. */
    static List<String> visitors(DuckDbDatabase db, int n) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT DISTINCT visitor_id FROM (SELECT visitor_id FROM events ORDER BY seq DESC LIMIT " + (n * 3) + ") LIMIT " + n)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void fill(DuckDbDatabase db, String sql, long events, int days, LocalDate first) throws Exception {
        if (RollupBenchmark.count(db, "SELECT count(*) FROM events") == events) {
            System.out.println("reusing " + events + " events");
            return;
        }
        RollupBenchmark.execute(db, "DELETE FROM events", "DELETE FROM goal_achievements", "DELETE FROM identity_links",
                "DELETE FROM customers");
        long start = System.nanoTime();
        long perDay = events / days;
        for (int d = 0; d < days; d++) {
            String day = sql;
            Map<String, String> values = Map.of("events", Long.toString(perDay), "seq0", Long.toString(d * perDay),
                    "day", first.plusDays(d).toString(), "pixel", PIXEL);
            for (var v : values.entrySet()) {
                day = day.replace("${" + v.getKey() + "}", v.getValue());
            }
            RollupBenchmark.execute(db, day.replaceAll("(?m)--.*$", "").split(";"));
        }
        // a twentieth of the visitors are known customers
        RollupBenchmark.execute(db, "INSERT INTO customers (id, external_id, email, name, attributes, aliases, created, updated)"
                        + " SELECT 'c_' || v, 'crm-' || v, 'p' || v || '@example.com', 'P ' || v, '{}', [], now(), now()"
                        + " FROM (SELECT DISTINCT visitor_id AS v FROM events WHERE hash(visitor_id) % 20 = 0)",
                "INSERT INTO identity_links (customer_id, visitor_id, pixel, source, first_seen)"
                        + " SELECT 'c_' || visitor_id, visitor_id, '" + PIXEL + "', 'identify', min(time) FROM events"
                        + " WHERE hash(visitor_id) % 20 = 0 GROUP BY visitor_id",
                "CHECKPOINT");
        System.out.printf("filled %d events (%d visitors, %d customers) in %.1f s%n",
                RollupBenchmark.count(db, "SELECT count(*) FROM events"),
                RollupBenchmark.count(db, "SELECT count(DISTINCT visitor_id) FROM events"),
                RollupBenchmark.count(db, "SELECT count(*) FROM customers"), (System.nanoTime() - start) / 1e9);
    }
}
