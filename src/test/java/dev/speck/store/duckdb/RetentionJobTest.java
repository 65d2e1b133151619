package dev.speck.store.duckdb;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.enrich.Event;
import dev.speck.journal.JournalPosition;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.Pixel;
import dev.speck.privacy.VisitorPrivacy;
import dev.speck.privacy.AccountSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention against the store itself: rows in the file and rows the loader still holds in memory. */
class RetentionJobTest {

    @TempDir
    Path dir;

    private static Event event(Instant at, String name) {
        Hit hit = Hit.of(at.toEpochMilli(), HitKind.EVENT, "p1").name(name)
                .page(new Hit.Page("https://a.example/x", null, null))
                .client(new Hit.Client("203.0.113.9", "ua", Map.of(), "en", null, null, null)).build();
        return new Event(hit, "visitor", "203.0.113.0", null, null, null, null, null, "203.0.113.9");
    }

    @Test
    void retentionCutsOldRowsInTheFileAndInMemoryAndClearsRawIpsInBoth() throws Exception {
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(40));
        Pixel pixel = new Pixel("p1", "p1", true, List.of(), now, new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 30));
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            store.append(List.of(event(old, "old-moved"), event(now, "new-moved")), List.of(new JournalPosition("lane-0", 1, 1)));
            store.moveNow();
            store.append(List.of(event(old, "old-in-memory"), event(now, "new-in-memory")), List.of(new JournalPosition("lane-0", 1, 2)));

            RetentionJob.Deleted deleted = new RetentionJob(db, () -> List.of(pixel), () -> AccountSettings.DEFAULTS,
                    new SpeckMetrics(), 3_600_000).runOnce(now);

            assertThat(deleted.events()).isEqualTo(2);
            assertThat(names(db, "visible.events")).isEqualTo("new-moved,new-in-memory");
            assertThat(count(db, "SELECT count(raw_ip) FROM visible.events")).as("raw IPs not kept by default").isZero();
            store.moveNow();
            assertThat(names(db, "events")).as("no move brought the old row back").isEqualTo("new-moved,new-in-memory");
        }
    }

    private static String names(DuckDbDatabase db, String table) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(name, ',' ORDER BY seq) FROM " + table)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(DuckDbDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
