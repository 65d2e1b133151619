package dev.speck.store.duckdb;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Erasure against the store itself: rows in the file and rows the loader still holds in memory. */
class DuckDbCustomerDataTest {

    @TempDir
    Path dir;

    private static Event event(String visitor, String name) {
        Hit hit = Hit.of(1_700_000_000_000L, HitKind.EVENT, "p1").name(name)
                .page(new Hit.Page("https://a.example/x", null, null))
                .client(new Hit.Client("203.0.113.9", "ua", Map.of(), "en", null, null, null)).build();
        return new Event(hit, visitor, "203.0.113.0", null, null, null, null, null);
    }

    @Test
    void erasingAVisitorDeletesTheirRowsInTheFileAndInMemoryAndNoLaterMoveBringsThemBack() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            store.append(List.of(event("ada", "moved"), event("bob", "moved")), List.of(new JournalPosition("lane-0", 1, 1)));
            store.moveNow(); // these two into the file
            store.append(List.of(event("ada", "in-memory"), event("bob", "in-memory")),
                    List.of(new Achievement(0, "g1", 1, null, null)), List.of(new JournalPosition("lane-0", 1, 2)));
            assertThat(count(db, "SELECT count(*) FROM events")).isEqualTo(2);

            Map<String, Long> deleted = new DuckDbCustomerData(db, new DuckDbCustomerRepository(db)).eraseVisitor("ada");

            assertThat(deleted).containsEntry("events", 2L).containsEntry("goal_achievements", 1L);
            assertThat(count(db, "SELECT count(*) FROM visible.events WHERE visitor_id = 'ada'")).isZero();
            assertThat(count(db, "SELECT count(*) FROM visible.goal_achievements")).isZero();
            store.moveNow(); // the in-memory rows move into the file: bob's only
            assertThat(count(db, "SELECT count(*) FROM events WHERE visitor_id = 'ada'")).isZero();
            assertThat(count(db, "SELECT count(*) FROM events WHERE visitor_id = 'bob'")).isEqualTo(2);
        }
    }

    @Test
    void aProfileTakesDevicesAndPlacesFromPeopleOnlyNotFromAMailProxyOpeningTheirEmail() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            Hit open = Hit.of(1_700_000_000_000L, HitKind.EMAIL_OPEN, "p1").email(new Hit.Email("news", "rcpt-ada")).build();
            Event person = new Event(open, "v-phone", "81.2.69.0", new dev.speck.enrich.GeoLocation("GB", null, "London",
                    null, null, null, null), new dev.speck.enrich.Device("Phone", "Apple", "Safari", "17", "iOS", "17", false),
                    null, null, null, null, "Mozilla/5.0 (iPhone)", dev.speck.enrich.TrafficQuality.HUMAN);
            Event proxy = new Event(open, "v-proxy", "66.249.84.0", new dev.speck.enrich.GeoLocation("US", null, "Mountain View",
                    null, null, null, null), new dev.speck.enrich.Device("Desktop", null, "Firefox", "11", "Windows NT", "5", false),
                    null, null, null, null, "GoogleImageProxy", new dev.speck.enrich.TrafficQuality(
                    dev.speck.enrich.Verdict.EMAIL_PROXY, List.of("email-proxy:gmail")));
            store.append(List.of(person, proxy), List.of(new JournalPosition("lane-0", 1, 1)));
            dev.speck.customers.Customer ada = new dev.speck.customers.Customer("c_ada", null, null, "Ada", Map.of(),
                    List.of("rcpt-ada"), java.time.Instant.EPOCH, java.time.Instant.EPOCH);

            Map<String, Object> profile = new DuckDbCustomerData(db, new DuckDbCustomerRepository(db)).profile(ada);

            assertThat(profile.get("events")).isEqualTo(2L); // both opens are hers
            assertThat((List<?>) profile.get("devices")).hasSize(1).first().asString().contains("Phone");
            assertThat((List<?>) profile.get("locations")).hasSize(1).first().asString().contains("GB");
        }
    }

    private static long count(DuckDbDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
