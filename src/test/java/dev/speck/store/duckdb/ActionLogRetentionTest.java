package dev.speck.store.duckdb;

import dev.speck.deliver.Attempt;
import dev.speck.deliver.Delivery;
import dev.speck.http.ApiJson;
import dev.speck.triggers.TriggerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActionLogRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    private static void save(DuckDbTriggers triggers, String id, String limits) throws Exception {
        triggers.save(TriggerJson.read(ApiJson.MAPPER.readTree("""
                {"name": "%s", "when": {"kind": "page", "path": "/pricing"}, "who": "anyone", %s
                 "action": {"type": "webhook", "url": "https://hooks.example/%s"}}""".formatted(id, limits, id)),
                id, "px", NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(100)), goal -> true));
    }

    @Test
    void firingsOlderThanTheHorizonGoButNeverOneInsideItsTriggersOncePerPeriod() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            DuckDbTriggers triggers = new DuckDbTriggers(db);
            save(triggers, "tr_quarterly", "\"limits\": {\"oncePer\": \"90d\"},");
            save(triggers, "tr_daily", "\"limits\": {\"oncePer\": \"1d\"},");
            save(triggers, "tr_always", "");
            for (String t : new String[] {"tr_quarterly", "tr_daily", "tr_always"}) {
                Duration oncePer = t.equals("tr_quarterly") ? Duration.ofDays(90) : t.equals("tr_daily") ? DAY : null;
                assertThat(triggers.claim(t, "c_ada", t + ":old", NOW.minus(Duration.ofDays(40)), oncePer)).isTrue();
                assertThat(triggers.claim(t, "c_bob", t + ":recent", NOW.minus(Duration.ofDays(10)), oncePer)).isTrue();
            }
            ActionLogRetention retention = new ActionLogRetention(triggers, new DuckDbOutbox(db), Duration.ofDays(30),
                    3_600_000, Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(retention.runOnce(NOW).firings()).isEqualTo(2); // tr_daily's and tr_always's 40-day-old ones

            // the quarterly trigger still remembers Ada's firing: its limit holds
            assertThat(triggers.claim("tr_quarterly", "c_ada", "tr_quarterly:new", NOW, Duration.ofDays(90))).isFalse();
            // the firings pruned were outside their limits: a hit read again would claim its key anew
            assertThat(triggers.claim("tr_daily", "c_ada", "tr_daily:new", NOW, DAY)).isTrue();
            assertThat(retention.runOnce(NOW).firings()).isZero();
            // 60 days on, the quarterly one's firing of 100 days ago goes too (90 days and a day for late hits)
            assertThat(retention.runOnce(NOW.plus(Duration.ofDays(60))).firings()).isEqualTo(4);
        }
    }

    @Test
    void finishedDeliveriesAndTheirAttemptsGoAfterTheHorizonPendingOnesNever() {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            DuckDbOutbox outbox = new DuckDbOutbox(db);
            Instant longAgo = NOW.minus(Duration.ofDays(45));
            finish(outbox, "tr_1:old-delivered", longAgo, Delivery.Status.DELIVERED);
            finish(outbox, "tr_1:old-dead", longAgo, Delivery.Status.DEAD);
            finish(outbox, "tr_1:recent-delivered", NOW.minus(Duration.ofDays(2)), Delivery.Status.DELIVERED);
            outbox.enqueue(Delivery.of("tr_1:old-pending", "tr_1", null, "https://hooks.example/x", "POST", Map.of(), "{}",
                    longAgo)); // a target down for weeks (re-delivered by hand): still due, never pruned
            ActionLogRetention retention = new ActionLogRetention(new DuckDbTriggers(db), outbox, Duration.ofDays(30),
                    3_600_000, Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(retention.runOnce(NOW).deliveries()).isEqualTo(2);

            assertThat(outbox.get("tr_1:old-delivered")).isEmpty();
            assertThat(outbox.attempts("tr_1:old-delivered")).isEmpty();
            assertThat(outbox.get("tr_1:old-dead")).isEmpty();
            assertThat(outbox.get("tr_1:recent-delivered")).isPresent();
            assertThat(outbox.attempts("tr_1:recent-delivered")).hasSize(1);
            assertThat(outbox.get("tr_1:old-pending")).get().extracting(Delivery::status).isEqualTo(Delivery.Status.PENDING);
        }
    }

    private static void finish(DuckDbOutbox outbox, String key, Instant at, Delivery.Status status) {
        outbox.enqueue(Delivery.of(key, "tr_1", null, "https://hooks.example/x", "POST", Map.of(), "{}", at));
        int n = outbox.claim(key, at, at.plusSeconds(30)).orElseThrow();
        outbox.record(key, new Attempt(n, at, status == Delivery.Status.DELIVERED ? Attempt.Outcome.DELIVERED
                : Attempt.Outcome.REFUSED, 200, null, 5L, "ok", null), status, at.plusMillis(5));
    }
}
