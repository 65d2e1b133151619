package dev.speck.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.enrich.TrafficQuality;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.http.ApiJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerEngineTest {

    /** The store's claim rule, in memory. */
    static final class Store implements TriggerStore {
        final List<Trigger> triggers = new ArrayList<>();
        final Map<String, String[]> firings = new HashMap<>(); // key -> trigger, subject, epoch second

        @Override
        public List<Trigger> all() {
            return triggers;
        }

        @Override
        public Trigger find(String id) {
            return triggers.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
        }

        @Override
        public void save(Trigger trigger) {
            triggers.add(trigger);
        }

        @Override
        public boolean delete(String id) {
            return triggers.removeIf(t -> t.id().equals(id));
        }

        @Override
        public boolean claim(String triggerId, String subject, String key, Instant at, Duration oncePer) {
            if (firings.containsKey(key)) {
                return true;
            }
            for (String[] f : firings.values()) {
                long then = Long.parseLong(f[2]);
                if (f[0].equals(triggerId) && f[1].equals(subject) && then > at.minus(oncePer).getEpochSecond()
                        && then <= at.getEpochSecond()) {
                    return false;
                }
            }
            firings.put(key, new String[] {triggerId, subject, Long.toString(at.getEpochSecond())});
            return true;
        }

        @Override
        public void forgetSubject(String subject) {
            firings.values().removeIf(f -> f[1].equals(subject));
        }
    }

    private final Store store = new Store();
    private final Map<String, CustomerLookup.Known> known = new HashMap<>();
    private final List<Firing> sent = new ArrayList<>();
    private final Customer ada = new Customer("c_ada", "u-17", "ada@example.com", "Ada", Map.of("plan", "pro"), List.of(),
            Instant.EPOCH, Instant.EPOCH);

    private TriggerEngine engine(Trigger... triggers) {
        store.triggers.addAll(List.of(triggers));
        CustomerLookup lookup = (Collection<String> visitors) -> {
            Map<String, CustomerLookup.Known> out = new HashMap<>();
            visitors.forEach(v -> {
                if (known.containsKey(v)) {
                    out.put(v, known.get(v));
                }
            });
            return out;
        };
        return new TriggerEngine(store, lookup, sent::addAll);
    }

    private static Trigger purchase(Trigger.Who who, Action action, Duration oncePer, int perMinute) {
        return new Trigger("tr_buy", "px", "Big purchase", true, new When(When.Kind.GOAL, "g_buy", new BigDecimal("50"), "EUR"), null,
                who, List.of(), new Limits(oncePer, perMinute), action, Instant.EPOCH, Instant.EPOCH);
    }

    private static Event goalHit(String visitor, long at, String url) {
        Hit hit = Hit.of(at, HitKind.GOAL, "px").name("purchase").page(new Hit.Page(url, null, "Thanks")).build();
        return TriggerMatchTest.event(hit, visitor, TrafficQuality.HUMAN);
    }

    private static Achievement bought(int index, String value) {
        return new Achievement(index, "g_buy", 1, new BigDecimal(value), "EUR");
    }

    @Test
    void aGoalWorthEnoughFiresOnceForItsCustomerWithTheExactValueInTheWebhook() throws Exception {
        known.put("v1", new CustomerLookup.Known(ada, 1L));
        TriggerEngine engine = engine(purchase(Trigger.Who.CUSTOMERS, TriggerMatchTest.webhook(), null, 600));

        engine.fire(List.of(goalHit("v1", 1_000, "https://shop.example/thanks?order=9"), goalHit("v1", 2_000, "https://shop.example/x")),
                List.of(bought(0, "120.10"), bought(1, "49.99")), i -> "0.1." + (i * 100));

        assertThat(sent).hasSize(1);
        Firing f = sent.get(0);
        assertThat(f.key()).isEqualTo("tr_buy:0.1.0");
        assertThat(f.subject()).isEqualTo("c_ada");
        JsonNode body = ApiJson.MAPPER.readTree(f.body());
        assertThat(body.path("goal").path("value").decimalValue()).isEqualByComparingTo("120.10");
        assertThat(new String(f.body())).contains("\"value\":120.1,"); // a plain decimal, never a float's noise
        assertThat(body.path("customer").path("email").asText()).isEqualTo("ada@example.com");
        assertThat(body.path("event").path("url").asText()).isEqualTo("https://shop.example/thanks?order=9");
    }

    @Test
    void forAnyoneThePayloadHoldsNoPersonalData() throws Exception {
        known.put("v1", new CustomerLookup.Known(ada, 1L));
        TriggerEngine engine = engine(purchase(Trigger.Who.ANYONE, TriggerMatchTest.webhook(), null, 600));

        engine.fire(List.of(goalHit("v1", 1_000, "https://shop.example/thanks?email=ada@example.com")),
                List.of(bought(0, "80")), i -> "0.1.0");

        JsonNode body = ApiJson.MAPPER.readTree(sent.get(0).body());
        assertThat(body.has("customer")).isFalse();
        assertThat(sent.get(0).subject()).isNull();
        assertThat(new String(sent.get(0).body())).doesNotContain("ada").doesNotContain("v1");
        assertThat(body.path("event").path("url").asText()).isEqualTo("https://shop.example/thanks");
    }

    @Test
    void oncePerPeriodHoldsPerCustomerAndAHitReadAgainKeepsItsKey() {
        known.put("v1", new CustomerLookup.Known(ada, 1L));
        known.put("v2", new CustomerLookup.Known(ada, 1L)); // Ada's phone
        TriggerEngine engine = engine(purchase(Trigger.Who.CUSTOMERS, TriggerMatchTest.webhook(), Duration.ofDays(1), 600));
        long day = 86_400_000L;

        engine.fire(List.of(goalHit("v1", day, "https://s.example/"), goalHit("v2", day + 3_600_000, "https://s.example/")),
                List.of(bought(0, "60"), bought(1, "70")), i -> "a.1." + i);
        // the same chunk read again after a crash: the same key, so the outbox keeps one delivery
        engine.fire(List.of(goalHit("v1", day, "https://s.example/")), List.of(bought(0, "60")), i -> "a.1." + i);
        // a day and a bit later it may fire again
        engine.fire(List.of(goalHit("v2", 2 * day + 1, "https://s.example/")), List.of(bought(0, "55")), i -> "a.2." + i);

        assertThat(sent).extracting(Firing::key).containsExactly("tr_buy:a.1.0", "tr_buy:a.1.0", "tr_buy:a.2.0");
        assertThat(engine.limited()).isEqualTo(1);
    }

    @Test
    void aListmonkNewsletterIsATransactionalMessageToTheCustomersEmail() throws Exception {
        known.put("v1", new CustomerLookup.Known(ada, 1L));
        Action listmonk = new Action(Action.Type.NEWSLETTER, "https://lists.example/api/tx", "listmonk", "7",
                Map.of("Authorization", "token speck:secret"));
        TriggerEngine engine = engine(purchase(Trigger.Who.CUSTOMERS, listmonk, null, 600));

        engine.fire(List.of(goalHit("v1", 1_000, "https://shop.example/thanks")), List.of(bought(0, "99.90")), i -> "0.1.0");

        JsonNode body = ApiJson.MAPPER.readTree(sent.get(0).body());
        assertThat(body.path("subscriber_email").asText()).isEqualTo("ada@example.com");
        assertThat(body.path("template_id").asLong()).isEqualTo(7);
        assertThat(body.path("data").path("goal").path("value").decimalValue()).isEqualByComparingTo("99.90");
        assertThat(body.path("data").path("external_id").asText()).isEqualTo("u-17");
        assertThat(sent.get(0).headers()).containsEntry("Authorization", "token speck:secret");
    }

    @Test
    void aTriggersRatePerMinuteSkipsTheRestAndCountsThem() {
        TriggerEngine engine = engine(purchase(Trigger.Who.ANYONE, TriggerMatchTest.webhook(), null, 2));
        List<Event> events = new ArrayList<>();
        List<Achievement> achieved = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(goalHit("v" + i, 1_000 + i, "https://shop.example/"));
            achieved.add(bought(i, "100"));
        }

        engine.fire(events, achieved, i -> "0.1." + i);

        assertThat(sent).hasSize(2);
        assertThat(engine.rateLimited()).isEqualTo(3);
    }

    @Test
    void aRecognisedTriggerFiresOnTheHitThatMadeTheLinkOnly() {
        known.put("v1", new CustomerLookup.Known(ada, 5_000L));
        TriggerEngine engine = engine(new Trigger("tr_hi", "px", "Welcome back", true, new When(When.Kind.RECOGNISED, null, null, null), null,
                Trigger.Who.CUSTOMERS, List.of(), new Limits(null, 600), TriggerMatchTest.webhook(), Instant.EPOCH, Instant.EPOCH));
        Hit before = Hit.of(4_000L, HitKind.PAGE_VIEW, "px").page(new Hit.Page("https://s.example/", null, null)).build();
        Hit linking = Hit.of(5_000L, HitKind.PAGE_VIEW, "px").page(new Hit.Page("https://s.example/login", null, null)).build();

        engine.fire(List.of(TriggerMatchTest.event(before, "v1", TrafficQuality.HUMAN),
                TriggerMatchTest.event(linking, "v1", TrafficQuality.HUMAN)), List.of(), i -> "0.1." + i);

        assertThat(sent).extracting(Firing::key).containsExactly("tr_hi:0.1.1");
    }

    @Test
    void theIndexFindsExactlyWhatJudgingEveryTriggerFinds() {
        java.util.Random random = new java.util.Random(7);
        List<Trigger> all = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            Trigger t = TriggerMatchTest.trigger(random, n);
            all.add(new Trigger(t.id(), t.pixel(), t.name(), t.enabled(), t.when(), null, Trigger.Who.ANYONE,
                    t.conditions().stream().filter(c -> !c.onCustomer()).toList(), new Limits(null, Limits.MAX_PER_MINUTE),
                    t.action(), t.created(), t.updated()));
        }
        TriggerEngine engine = engine(all.toArray(Trigger[]::new));
        List<Event> events = new ArrayList<>();
        List<Achievement> achievements = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            TriggerMatchTest.Generated g = TriggerMatchTest.generated(random);
            events.add(g.event());
            for (Achievement a : g.achieved()) {
                achievements.add(new Achievement(i, a.goalId(), a.goalVersion(), a.value(), a.currency()));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            int index = i;
            List<Achievement> mine = achievements.stream().filter(a -> a.eventIndex() == index).toList();
            for (Trigger t : all) {
                if (TriggerMatch.fires(t, events.get(i), mine, null, false)) {
                    expected.add(t.id() + ":" + i);
                }
            }
        }

        engine.fire(events, achievements, Integer::toString);

        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(sent).extracting(Firing::key).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void withoutTriggersAChunkCostsNoLookup() {
        CustomerLookup failing = visitors -> {
            throw new AssertionError("looked up");
        };
        TriggerEngine engine = new TriggerEngine(store, failing, sent::addAll);

        engine.fire(List.of(goalHit("v1", 1_000, "https://s.example/")), List.of(bought(0, "60")), i -> "k");

        assertThat(sent).isEmpty();
    }
}
