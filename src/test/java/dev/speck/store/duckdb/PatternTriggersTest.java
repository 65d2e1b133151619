package dev.speck.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.enrich.Device;
import dev.speck.enrich.Event;
import dev.speck.enrich.GeoLocation;
import dev.speck.enrich.TrafficQuality;
import dev.speck.enrich.TrafficSource;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.http.ApiJson;
import dev.speck.journal.JournalPosition;
import dev.speck.triggers.Firing;
import dev.speck.triggers.PatternJob;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerEngine;
import dev.speck.triggers.TriggerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pattern triggers over a real store: repeated starts without the goal, and starts that lapse without it. */
class PatternTriggersTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;

    private final List<Firing> sent = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Achievement> achievements = new ArrayList<>();

    private void page(String visitor, Instant at, String path) {
        events.add(event(visitor, at, HitKind.PAGE_VIEW, null, "https://shop.example" + path));
    }

    private void did(String visitor, Instant at, String name, String goal) {
        if (goal != null) {
            achievements.add(new Achievement(events.size(), goal, 1, null, null));
        }
        events.add(event(visitor, at, goal == null ? HitKind.EVENT : HitKind.GOAL, name, "https://shop.example/cart"));
    }

    private static Event event(String visitor, Instant at, HitKind kind, String name, String url) {
        Hit hit = Hit.of(at.toEpochMilli(), kind, "px").name(name).page(new Hit.Page(url, null, "Shop")).build();
        return new Event(hit, visitor, "81.2.69.0", new GeoLocation("GB", null, "London", null, null, null, null),
                new Device("Desktop", null, "Chrome", null, "Linux", null, false),
                new TrafficSource("direct", null, null, null, null, null, null, null, null, null), "UTC", 9, null, null,
                TrafficQuality.HUMAN);
    }

    private Trigger trigger(DuckDbTriggers triggers, String json) throws Exception {
        JsonNode body = ApiJson.MAPPER.readTree(json);
        Trigger t = TriggerJson.read(body, "tg_" + triggers.all().size(), "px", T0, T0, goal -> true);
        triggers.save(t);
        return t;
    }

    private PatternJob job(DuckDbDatabase db, DuckDbTriggers triggers) {
        TriggerEngine engine = new TriggerEngine(triggers, new DuckDbCustomerLookup(db), sent::addAll);
        return new PatternJob(engine, new DuckDbTriggerHistory(db));
    }

    @Test
    void threeVisitsToPricingInAWeekWithoutSignupFiresOnceForThatPersonOnly() throws Exception {
        for (int day = 0; day < 3; day++) {
            page("v-ann", T0.plus(Duration.ofDays(day)), "/pricing");
            page("v-ben", T0.plus(Duration.ofDays(day)), "/pricing/team");
        }
        did("v-ben", T0.plus(Duration.ofDays(2)).plusSeconds(60), "signup", "g_signup");
        page("v-cat", T0, "/pricing");
        page("v-cat", T0.plusSeconds(3600), "/pricing");
        page("v-cat", T0.plusSeconds(7200), "/about");
        page("v-old", T0.minus(Duration.ofDays(9)), "/pricing"); // outside the window
        page("v-old", T0.minus(Duration.ofDays(8)), "/pricing");
        page("v-old", T0, "/pricing");
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            store.append(events, achievements, List.of(new JournalPosition("lane-0", 1, 1)));
            DuckDbTriggers triggers = new DuckDbTriggers(db);
            trigger(triggers, "{\"name\":\"Pricing, no signup\",\"who\":\"anyone\",\"when\":{\"kind\":\"page\",\"path\":\"/pricing*\"},"
                    + "\"pattern\":{\"times\":3,\"within\":\"7d\",\"unless\":{\"goal\":\"g_signup\"}},"
                    + "\"action\":{\"type\":\"webhook\",\"url\":\"https://hooks.example/p\"}}");
            PatternJob job = job(db, triggers);
            Instant now = T0.plus(Duration.ofDays(3));

            job.runOnce(now);
            job.runOnce(now.plusSeconds(15)); // the same latest start: nothing new
            job(db, triggers).runOnce(now.plusSeconds(30)); // after a restart: the same key again (the outbox keeps one)

            assertThat(sent).hasSize(2);
            assertThat(sent.get(0).key()).isEqualTo(sent.get(1).key());
            assertThat(new String(sent.get(0).body())).contains("/pricing").doesNotContain("v-ann");
            assertThat(sent.get(0).key()).startsWith("tg_0:r.v").endsWith("." + T0.plus(Duration.ofDays(2)).toEpochMilli());
        }
    }

    @Test
    void aCartWithoutAPurchaseWithinTwoHoursFiresOnceTheTwoHoursHavePassed() throws Exception {
        did("v-ann", T0, "add_to_cart", null);
        did("v-ann", T0.plus(Duration.ofHours(1)), "purchase", "g_purchase");   // bought in time
        did("v-ben", T0, "add_to_cart", null);                                  // never bought
        did("v-cat", T0, "add_to_cart", null);
        did("v-cat", T0.plus(Duration.ofHours(3)), "purchase", "g_purchase");   // bought too late
        did("v-dan", T0, "add_to_wishlist", null);                              // another start
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            store.append(events, achievements, List.of(new JournalPosition("lane-0", 1, 1)));
            DuckDbTriggers triggers = new DuckDbTriggers(db);
            trigger(triggers, "{\"name\":\"Abandoned cart\",\"who\":\"anyone\",\"when\":{\"kind\":\"event\",\"name\":\"add_to_cart\"},"
                    + "\"pattern\":{\"after\":\"2h\",\"unless\":{\"goal\":\"g_purchase\"}},"
                    + "\"action\":{\"type\":\"webhook\",\"url\":\"https://hooks.example/cart\"}}");
            PatternJob job = job(db, triggers);

            job.runOnce(T0.plus(Duration.ofHours(1)));
            assertThat(sent).isEmpty();
            job.runOnce(T0.plus(Duration.ofHours(4)));
            job.runOnce(T0.plus(Duration.ofHours(5)));

            assertThat(sent).hasSize(2);
            assertThat(sent).extracting(Firing::key).allMatch(k -> k.startsWith("tg_0:a.v") && k.endsWith("." + T0.toEpochMilli()))
                    .doesNotHaveDuplicates();
        }
    }
}
