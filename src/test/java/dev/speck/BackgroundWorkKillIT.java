package dev.speck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.Responses;
import dev.speck.testing.RawHttp;
import dev.speck.testing.ServingSpeck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 while the background work runs: the visitor rollup over many past days, a retention run
 * over backdated data, and a move of loaded events into the file with its checkpoint. Each kill
 * comes when the log or the metrics say the work has begun (never after a sleep); after the
 * restart every acknowledged hit is stored once, reports read from the rollup agree with reports
 * read from the raw events, retention left each day whole or gone, and the store opens.
 */
class BackgroundWorkKillIT {

    private static final int PIXELS = 3;
    private static final int DAYS = 24;
    private static final int VISITORS = 4;
    /** Per visitor and day: two page views and one purchase event. */
    private static final int HITS_PER_VISITOR = 3;
    private static final String PRICE = "12.34";
    private static final String TOKEN = "backfill-token-for-the-test";
    private static final int[] RETENTION_TRIES = {16, 10, 5};
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/12%d.0.0.0 Safari/537.36";

    @TempDir
    Path dir;
    private ServingSpeck speck;

    @AfterEach
    void killLeftovers() {
        if (speck != null) {
            speck.process.destroyForcibly();
        }
    }

    @Test
    void killNineDuringTheRollupARetentionRunAndAMoveLeavesEveryHitOnceAndReportsExact() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("speck.log");
        String[] settings = {"collect.backfill-token=" + TOKEN, "journal.segment-size=1MB"};
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        speck = ServingSpeck.start(data, log, settings);
        List<String> pixels = new ArrayList<>();
        for (int p = 0; p < PIXELS; p++) {
            pixels.add(speck.createPixel("shop-" + p));
        }
        backfill(pixels, today);
        ServingSpeck running = speck;
        ServingSpeck.await(() -> running.metric("speck_journal_backlog_bytes") == 0, () -> "the backfill to be stored");
        speck.stop();
        // As a reclassification or an upgrade leaves them: every past day waits for the rollup.
        sql(data, "INSERT INTO rollup_pending SELECT DISTINCT pixel, CAST(time AS DATE) FROM events",
                "DELETE FROM rolled_days");

        // The rollup at start rolls PIXELS * DAYS pixel-days, one transaction each: killed midway.
        speck = ServingSpeck.launch(data, log, settings);
        speck.awaitLog("pixel-days to roll");
        speck.kill();
        assertThat(speck.log()).as("killed before the rollup ended").doesNotContain("pixel-days rolled in");

        speck = ServingSpeck.start(data, log, settings);
        speck.awaitLog("pixel-days rolled in");
        for (String pixel : pixels) {
            assertRollupAgreesWithRawEvents(pixel, today.minusDays(DAYS), today.minusDays(1), DAYS);
        }

        // Retention over backdated data, killed midway; tried with a shorter period until a kill lands in a run.
        int retention = 0;
        boolean landed = false;
        for (int days : RETENTION_TRIES) {
            retention = days;
            for (String pixel : pixels) {
                speck.api("PATCH", "/api/pixels/" + pixel, "{\"privacy\":{\"retentionDays\":" + days + "}}", 200);
            }
            speck.stop();
            speck = ServingSpeck.launch(data, log, settings); // the first run begins before Speck serves
            speck.awaitLog("retention: run started");
            speck.kill();
            landed = !speck.log().contains("retention: run done");
            speck = ServingSpeck.start(data, log, settings);
            if (landed) {
                break;
            }
        }
        assertThat(landed).as("a kill landed in a retention run").isTrue();
        speck.awaitLog("retention: run done");
        for (String pixel : pixels) {
            assertRollupAgreesWithRawEvents(pixel, today.minusDays(DAYS), today.minusDays(1), retention);
        }

        // A move of loaded events into the file, and its checkpoint: killed as the rows leave memory.
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        liveHits(pixels.get(0), 3000, sent, acknowledged);
        ServingSpeck moving = speck;
        ServingSpeck.await(() -> moving.metric("speck_store_events_in_memory") > 0, () -> "the hits to be loaded");
        ServingSpeck.await(() -> moving.metric("speck_store_events_in_memory") == 0, () -> "the idle move to begin");
        speck.kill();
        speck = ServingSpeck.start(data, log, settings);
        ServingSpeck restarted = speck;
        ServingSpeck.await(() -> restarted.metric("speck_journal_backlog_bytes") == 0, () -> "the replay");
        speck.stop();

        assertDaysWholeOrGone(data, today, retention);
        Map<String, Integer> stored = liveIds(data);
        assertThat(acknowledged.stream().filter(id -> !stored.containsKey(id)).toList()).as("acknowledged hits lost").isEmpty();
        assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("hits stored twice").isEmpty();
        assertThat(sent).containsAll(stored.keySet());
    }

    /**
     * The goals report of people (past days read from the rollup) is the report of all traffic (read
     * from the raw events: every hit here is a person's), and both count what was sent on the days kept.
     */
    private void assertRollupAgreesWithRawEvents(String pixel, LocalDate from, LocalDate to, int daysKept) throws Exception {
        String range = "/api/pixels/" + pixel + "/report?from=" + from + "&to=" + to + "&interval=day&traffic=";
        JsonNode people = speck.api("GET", range + "human", null, 200);
        JsonNode all = speck.api("GET", range + "all", null, 200);
        for (String part : List.of("visitors", "goals", "series")) {
            assertThat(people.get(part)).as(part + " of " + pixel + " from the rollup and from the events").isEqualTo(all.get(part));
        }
        long hits = 0;
        for (JsonNode goal : people.get("goals")) {
            hits += goal.get("achievements").asLong();
        }
        assertThat(hits).as("purchases of " + pixel).isEqualTo((long) VISITORS * daysKept);
    }

    /** Each pixel's backfilled days: whole (every event, visitor row and goal row) or gone, as retention decides. */
    private static void assertDaysWholeOrGone(Path data, LocalDate today, int retention) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + data.resolve("speck.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT e.pixel, e.day, e.n, coalesce(v.n, 0), coalesce(g.n, 0), g.value,"
                     + " r.day IS NOT NULL, e.visitors FROM (SELECT pixel, CAST(time AS DATE) AS day, count(*) AS n,"
                     + " count(DISTINCT visitor_id) AS visitors FROM events"
                     + " WHERE props['id'] IS NULL GROUP BY ALL) e"
                     + " LEFT JOIN (SELECT pixel, day, count(*) AS n FROM visitor_days GROUP BY ALL) v USING (pixel, day)"
                     + " LEFT JOIN (SELECT pixel, day, sum(achievements) AS n, sum(value) AS value FROM goal_visitor_days"
                     + " GROUP BY ALL) g USING (pixel, day) LEFT JOIN rolled_days r USING (pixel, day)")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                LocalDate day = rs.getObject(2, LocalDate.class);
                String where = rs.getString(1) + " " + day;
                assertThat(day).as("a day retention deletes, still there: " + where)
                        .isAfterOrEqualTo(today.minusDays(retention + 1)); // +1: the date may have changed since
                assertThat(rs.getLong(3)).as("events of " + where).isEqualTo((long) VISITORS * HITS_PER_VISITOR);
                assertThat(rs.getLong(4)).as("rolled-up visitors of " + where).isEqualTo(rs.getLong(8));
                assertThat(rs.getLong(5)).as("rolled-up purchases of " + where).isEqualTo(VISITORS);
                assertThat(rs.getBigDecimal(6)).as("rolled-up value of " + where)
                        .isEqualByComparingTo(new BigDecimal(PRICE).multiply(BigDecimal.valueOf(VISITORS)));
                assertThat(rs.getBoolean(7)).as(where + " rolled").isTrue();
            }
            assertThat(rows).as("days kept").isBetween(PIXELS * (retention - 1), PIXELS * retention);
            try (ResultSet left = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM visitor_days WHERE day < "
                    + "DATE '" + today.minusDays(retention + 1) + "') + (SELECT count(*) FROM rolled_days WHERE day < DATE '"
                    + today.minusDays(retention + 1) + "') + (SELECT count(*) FROM goal_visitor_days WHERE day < DATE '"
                    + today.minusDays(retention + 1) + "')")) {
                left.next();
                assertThat(left.getLong(1)).as("rolled-up rows of deleted days").isZero();
            }
        }
    }

    /** Every pixel, every one of the DAYS days before today: VISITORS browsers, each two page views and a purchase. */
    private void backfill(List<String> pixels, LocalDate today) throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int v = 0; v < VISITORS; v++) {
            String agent = "User-Agent: " + String.format(AGENT, v) + "\r\nX-Speck-Backfill: " + TOKEN + "\r\n";
            int visitor = v;
            threads.add(Thread.ofPlatform().start(() -> {
                try (RawHttp http = new RawHttp(speck.port)) {
                    for (String pixel : pixels) {
                        for (int d = 1; d <= DAYS; d++) {
                            long at = today.minusDays(d).atTime(10, visitor).toInstant(ZoneOffset.UTC).toEpochMilli();
                            for (String hit : List.of("k=page_view&u=https%3A%2F%2Fshop.example%2F",
                                    "k=page_view&u=https%3A%2F%2Fshop.example%2Fcart",
                                    "k=event&n=purchase&v=" + PRICE + "&cur=EUR")) {
                                RawHttp.Response r = http.send("GET", "/p/" + pixel + ".gif?" + hit + "&ts=" + at, agent, null);
                                if (r.status() != 200) {
                                    throw new AssertionError("answer " + r.status() + " " + r.text());
                                }
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(300_000);
        }
        assertThat(failures).as("backfill").isEmpty();
    }

    /** {@code count} hits with unique ids at the time they are sent, then nothing: the loader goes idle and moves them. */
    private void liveHits(String pixel, int count, Set<String> sent, Set<String> acknowledged) throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            String prefix = "live-" + t + "-";
            threads.add(Thread.ofPlatform().start(() -> {
                try (RawHttp http = new RawHttp(speck.port)) {
                    for (int n = 0; n < count / 3; n++) {
                        String id = prefix + n;
                        sent.add(id);
                        RawHttp.Response r = http.send("GET", "/p/" + pixel + ".gif?k=event&n=live&p.id=" + id,
                                "User-Agent: " + String.format(AGENT, 9) + "\r\n", null);
                        if (r.status() == 200 && java.util.Arrays.equals(r.body(), Responses.GIF)) {
                            acknowledged.add(id);
                        }
                    }
                } catch (Exception e) {
                    failed.set(true);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(300_000);
        }
        assertThat(failed).as("live hits answered").isFalse();
    }

    private static Map<String, Integer> liveIds(Path data) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + data.resolve("speck.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT props['id'] AS id, count(*) FROM events WHERE props['id'] IS NOT NULL GROUP BY id")) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getInt(2));
            }
        }
        return ids;
    }

    private static void sql(Path data, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + data.resolve("speck.duckdb"));
             Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
