package dev.speck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.store.duckdb.RetentionJob;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's clock jumping back an hour and forward a day (an NTP step, a VM restored from a
 * snapshot): hits are stored once each with the time the clock gave them, the rollup and retention
 * run without failing, retention deletes nothing recent, and a day the rollup took for past while
 * the clock ran ahead is read from its events again once the clock is back, so reports stay exact.
 */
class ClockJumpIT {

    private static final int HITS = 40;

    @TempDir
    Path dir;

    /** The system clock plus an offset a test moves. */
    static final class JumpingClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return zone.equals(ZoneOffset.UTC) ? this : Clock.offset(Clock.system(zone), offset);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @Test
    void hitsWhileTheClockJumpsBackAndForwardAreStoredOnceWithTheirTimesAndReportsStayExact() throws Exception {
        JumpingClock clock = new JumpingClock();
        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of(), clock)) {
            speck.awaitLoaderWarm();
            String pixel = speck.createPixel("clock", List.of()).id();
            HttpResponse<String> patched = speck.request("PATCH", "/api/pixels/" + pixel,
                    "{\"privacy\":{\"retentionDays\":30}}", "Content-Type", "application/json");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            Map<String, long[]> windows = new HashMap<>();

            hits(speck, pixel, "now", clock, Duration.ZERO, windows);
            hits(speck, pixel, "back", clock, Duration.ofHours(-1), windows);
            hits(speck, pixel, "ahead", clock, Duration.ofDays(1), windows);
            speck.app().rollup().runOnce(); // today, by the real calendar, is a past day now: rolled up
            RetentionJob.Deleted deleted = speck.app().retention().runOnce(clock.instant());
            assertThat(deleted.events()).as("retention a day ahead, 30 days kept: nothing recent deleted").isZero();
            assertThat(deleted.visitorDays()).isZero();

            hits(speck, pixel, "again", clock, Duration.ZERO, windows);
            speck.app().rollup().runOnce();
            assertThat(speck.app().rollup().runOnce()).as("nothing rolled again and again").isZero();

            Map<String, Long> times = new HashMap<>();
            Map<String, Integer> copies = new HashMap<>();
            try (Connection c = speck.app().database().connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT props['id'], epoch_ms(time) FROM visible.events WHERE pixel = '"
                         + pixel + "'")) {
                while (rs.next()) {
                    times.put(rs.getString(1), rs.getLong(2));
                    copies.merge(rs.getString(1), 1, Integer::sum);
                }
            }
            assertThat(copies).as("every hit stored once").hasSize(4 * HITS).allSatisfy((id, n) -> assertThat(n).isOne());
            times.forEach((id, time) -> {
                long[] window = windows.get(id.substring(0, id.indexOf('-')));
                assertThat(time).as(id + "'s time, by the clock when it came").isBetween(window[0], window[1]);
            });

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            String range = "/api/pixels/" + pixel + "/report?from=" + today.minusDays(1) + "&to=" + today.plusDays(1)
                    + "&interval=day&traffic=";
            JsonNode people = RunningSpeck.JSON.readTree(speck.get(range + "human").body());
            JsonNode all = RunningSpeck.JSON.readTree(speck.get(range + "all").body());
            for (String part : List.of("visitors", "goals", "series")) {
                assertThat(people.get(part)).as(part + ": rolled-up days and raw events agree").isEqualTo(all.get(part));
            }
            long achievements = 0;
            for (JsonNode goal : people.get("goals")) {
                achievements += goal.get("achievements").asLong();
            }
            assertThat(achievements).as("every hit in the report").isEqualTo(4L * HITS);
        }
    }

    /** HITS hits with the clock moved by {@code offset}; waits until they are stored. */
    private static void hits(RunningSpeck speck, String pixel, String phase, JumpingClock clock, Duration offset,
                             Map<String, long[]> windows) throws Exception {
        clock.offset = offset;
        long from = clock.millis();
        try (RawHttp http = new RawHttp(speck.app().port())) {
            for (int i = 0; i < HITS; i++) {
                RawHttp.Response r = http.send("GET", "/p/" + pixel + ".gif?k=event&n=tick&p.id=" + phase + "-" + i,
                        "User-Agent: " + RunningSpeck.BROWSER + "\r\n", null);
                assertThat(r.status()).isEqualTo(200);
            }
        }
        windows.put(phase, new long[]{from, clock.millis()});
        RunningSpeck.await(() -> {
            try {
                return speck.count("SELECT count(*) FROM visible.events WHERE props['id'] LIKE '" + phase + "-%'") == HITS;
            } catch (java.sql.SQLException e) {
                return false;
            }
        }, "the " + phase + " hits to be stored");
    }
}
