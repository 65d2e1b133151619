package dev.speck.triggers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class TestSampleTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    /** A history that replays the given events, each with its achievements and customer. */
    private static TriggerHistory history(List<TriggerHistory.Replayed> stored) {
        return new TriggerHistory() {
            @Override
            public int replay(String pixel, When when, Instant from, Instant to, int max, Consumer<Replayed> each) {
                stored.forEach(each);
                return stored.size();
            }

            @Override
            public void repeated(Trigger trigger, Instant now, int max, Consumer<Replayed> each) {
            }

            @Override
            public void lapsed(Trigger trigger, Instant from, Instant to, int max, Consumer<Replayed> each) {
            }
        };
    }

    private static Trigger goalTrigger(Action action) {
        return new Trigger("tg_1", "px", "Big purchase", false, new When(When.Kind.GOAL, "g_buy", new BigDecimal("50"), "EUR"),
                null, Trigger.Who.CUSTOMERS, List.of(), new Limits(null, 600), action, NOW, NOW);
    }

    private static TriggerHistory.Replayed purchase(long at, String value, Customer c) {
        Event e = new Event(Hit.of(at, HitKind.GOAL, "px").name("purchase").build(), "v1", null, null, null, null, null, null);
        return new TriggerHistory.Replayed(e, List.of(new Achievement(0, "g_buy", 1, new BigDecimal(value), "EUR")), c, false,
                Long.toString(at));
    }

    private static JsonNode json(TestSample s) throws Exception {
        return JSON.readTree(new String(s.body(), StandardCharsets.UTF_8));
    }

    @Test
    void theLastStoredHitThatFiresADisabledTriggerIsTheSampleWithItsExactValue() throws Exception {
        Customer ada = new Customer("c_ada", "u-ada", "ada@example.com", "Ada", Map.of(), List.of(), NOW, NOW);
        Customer bob = new Customer("c_bob", "u-bob", null, "Bob", Map.of(), List.of(), NOW, NOW);
        Trigger t = goalTrigger(new Action(Action.Type.WEBHOOK, "https://hooks.example/x", null, null, Map.of()));

        TestSample s = TestSample.of(t, history(List.of(purchase(1_000, "80.10", ada), purchase(2_000, "120.50", bob),
                purchase(3_000, "20", ada))), "test:1", NOW, true);

        assertThat(s.synthetic()).isFalse();
        assertThat(s.hitTime()).isEqualTo(Instant.ofEpochMilli(2_000));
        assertThat(s.customerId()).isEqualTo("c_bob");
        JsonNode body = json(s);
        assertThat(new String(s.body(), StandardCharsets.UTF_8)).startsWith("{\"test\":true,\"type\":\"trigger.fired\"");
        assertThat(body.get("goal").get("value").decimalValue()).isEqualTo(new BigDecimal("120.5"));
        assertThat(body.get("id").asText()).isEqualTo("test:1");
    }

    @Test
    void aNewsletterTestSkipsCustomersWithoutAnEmailAndElseGoesToTheMadeUpCustomer() throws Exception {
        Customer bob = new Customer("c_bob", "u-bob", null, "Bob", Map.of(), List.of(), NOW, NOW);
        Trigger t = goalTrigger(new Action(Action.Type.NEWSLETTER, "https://lists.example/api/tx", "listmonk", "7", Map.of()));

        TestSample s = TestSample.of(t, history(List.of(purchase(2_000, "120.50", bob))), "test:2", NOW, true);

        assertThat(s.synthetic()).isTrue();
        assertThat(s.customerId()).isNull();
        JsonNode body = json(s);
        assertThat(body.get("test").asBoolean()).isTrue();
        assertThat(body.get("subscriber_email").asText()).isEqualTo(TestSample.TEST_EMAIL);
        assertThat(body.get("template_id").asLong()).isEqualTo(7);
        assertThat(body.get("data").get("goal").get("value").decimalValue()).isEqualTo(new BigDecimal("50"));
    }

    @Test
    void askedForAMadeUpSampleItReadsNoHistory() throws Exception {
        Trigger t = new Trigger("tg_2", "px", "Signup", true, new When(When.Kind.EVENT, "sign*up", null, null), null,
                Trigger.Who.ANYONE, List.of(), new Limits(null, 600),
                new Action(Action.Type.WEBHOOK, "https://hooks.example/x", null, null, Map.of()), NOW, NOW);
        TriggerHistory none = history(List.of());

        JsonNode body = json(TestSample.of(t, new TriggerHistory() {
            @Override
            public int replay(String pixel, When when, Instant from, Instant to, int max, Consumer<Replayed> each) {
                throw new AssertionError("read the history");
            }

            @Override
            public void repeated(Trigger trigger, Instant now, int max, Consumer<Replayed> each) {
                none.repeated(trigger, now, max, each);
            }

            @Override
            public void lapsed(Trigger trigger, Instant from, Instant to, int max, Consumer<Replayed> each) {
                none.lapsed(trigger, from, to, max, each);
            }
        }, "test:3", NOW, false));

        assertThat(body.get("event").get("kind").asText()).isEqualTo("event");
        assertThat(body.get("event").get("name").asText()).isEqualTo("signup");
        assertThat(body.has("customer")).isFalse();
    }
}
