package dev.speck.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.customers.CustomerDraft;
import dev.speck.customers.IdentityClaim;
import dev.speck.http.ApiJson;
import dev.speck.triggers.CustomerLookup;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DuckDbTriggersTest {

    @TempDir
    Path dir;

    private static Trigger trigger(String json) throws Exception {
        JsonNode body = ApiJson.MAPPER.readTree(json);
        return TriggerJson.read(body, "tr_1", "px", Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                goal -> goal.equals("g_buy"));
    }

    @Test
    void aTriggerComesBackAsSavedHeaderValuesIncludedAfterAReopen() throws Exception {
        Trigger saved = trigger("""
                {"name": "Big purchase", "when": {"kind": "goal", "goal": "g_buy", "minValue": "49.99", "currency": "eur"},
                 "who": "customers", "conditions": [{"field": "country", "op": "in", "values": ["DE", "AT"]},
                 {"field": "customer.plan", "op": "is", "values": ["pro"]}], "limits": {"oncePer": "30d", "maxPerMinute": 60},
                 "action": {"type": "newsletter", "platform": "listmonk", "template": "7", "url": "https://lists.example/api/tx",
                 "headers": {"Authorization": "token speck:secret"}}}""");
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            new DuckDbTriggers(db).save(saved);
        }
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            Trigger read = new DuckDbTriggers(db).find("tr_1");
            assertThat(read).isEqualTo(saved);
            assertThat(read.when().minValue()).isEqualByComparingTo("49.99");
            assertThat(read.limits().oncePer()).isEqualTo(Duration.ofDays(30));
            assertThat(read.action().headers()).containsEntry("Authorization", "token speck:secret");
            assertThat(TriggerJson.write(read).toString()).doesNotContain("secret");
        }
    }

    @Test
    void aClaimHoldsOncePerPeriodPerSubjectAndTheSameKeyIsAlwaysAnsweredYes() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            DuckDbTriggers triggers = new DuckDbTriggers(db);
            Duration day = Duration.ofDays(1);

            assertThat(triggers.claim("tr_1", "c_ada", "tr_1:a.1.0", t0, day)).isTrue();
            assertThat(triggers.claim("tr_1", "c_ada", "tr_1:a.1.0", t0, day)).isTrue(); // read again after a crash
            assertThat(triggers.claim("tr_1", "c_ada", "tr_1:a.1.9", t0.plusSeconds(3600), day)).isFalse();
            assertThat(triggers.claim("tr_1", "c_bob", "tr_1:a.1.10", t0.plusSeconds(3600), day)).isTrue();
            assertThat(triggers.claim("tr_2", "c_ada", "tr_2:a.1.9", t0.plusSeconds(3600), day)).isTrue();
            assertThat(triggers.claim("tr_1", "c_ada", "tr_1:a.2.0", t0.plus(day).plusSeconds(1), day)).isTrue();

            triggers.forgetSubject("c_ada");
            assertThat(triggers.claim("tr_1", "c_ada", "tr_1:a.2.5", t0.plus(day).plusSeconds(2), day)).isTrue();
        }
    }

    @Test
    void visitorsAreLookedUpToTheirCustomersWithTheTimeOfTheirLink() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            DuckDbCustomerRepository customers = new DuckDbCustomerRepository(db);
            customers.upsert(List.of(new CustomerDraft("u-17", "ada@example.com", "Ada", Map.of("plan", "pro"), List.of())));
            customers.link(List.of(new IdentityClaim("u-17", "v-laptop", "px", "identify", 1_700_000_000_000L, true)));

            Map<String, CustomerLookup.Known> known = new DuckDbCustomerLookup(db).customersOf(List.of("v-laptop", "v-stranger"));

            assertThat(known).containsOnlyKeys("v-laptop");
            assertThat(known.get("v-laptop").customer().email()).isEqualTo("ada@example.com");
            assertThat(known.get("v-laptop").customer().attributes()).containsEntry("plan", "pro");
            assertThat(known.get("v-laptop").since()).isEqualTo(1_700_000_000_000L);
        }
    }
}
