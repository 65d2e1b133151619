package dev.speck.triggers;

import dev.speck.goals.GlobPattern;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.goals.Glob;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's compiled form of the triggers (rules with shared conditions, globs split once and grouped
 * by prefix and conditions, an index changed one trigger at a time) against the plain rule, over
 * generated triggers, customers and hits.
 */
class CompiledTriggersTest {

    private final TriggerEngineTest.Store store = new TriggerEngineTest.Store();
    private final Map<String, CustomerLookup.Known> known = new HashMap<>();
    private final List<Firing> sent = new ArrayList<>();

    private TriggerEngine engine() {
        return new TriggerEngine(store, visitors -> {
            Map<String, CustomerLookup.Known> out = new HashMap<>();
            visitors.forEach(v -> {
                if (known.containsKey(v)) {
                    out.put(v, known.get(v));
                }
            });
            return out;
        }, sent::addAll);
    }

    @Test
    void aSplitGlobMatchesExactlyAsGlobDoes() {
        Random r = new Random(16);
        String alphabet = "ab/-*";
        for (int n = 0; n < 20_000; n++) {
            String pattern = random(r, alphabet, 6);
            String subject = random(r, "ab/-", 8);
            assertThat(new GlobPattern(pattern).matches(subject)).as("%s on %s", pattern, subject)
                    .isEqualTo(Glob.matches(pattern, subject));
        }
    }

    @Test
    void theEngineFiresExactlyWhatTheRuleSaysForCustomersAndSharedConditions() {
        Random random = new Random(11);
        List<Trigger> all = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            Trigger t = TriggerMatchTest.trigger(random, n);
            all.add(new Trigger(t.id(), t.pixel(), t.name(), t.enabled(), t.when(), null, t.who(), t.conditions(),
                    new Limits(null, Limits.MAX_PER_MINUTE), t.action(), Instant.ofEpochSecond(n), t.updated()));
        }
        store.triggers.addAll(all);
        TriggerEngine engine = engine();
        List<Event> events = new ArrayList<>();
        List<Achievement> achievements = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            TriggerMatchTest.Generated g = TriggerMatchTest.generated(random);
            events.add(g.event());
            for (Achievement a : g.achieved()) {
                achievements.add(new Achievement(i, a.goalId(), a.goalVersion(), a.value(), a.currency()));
            }
            if (g.event().visitorId() != null && g.customer() != null && !known.containsKey(g.event().visitorId())) {
                // some visitors recognised by this very hit
                long since = g.recognised() ? g.event().hit().receivedAt() : 1L;
                known.put(g.event().visitorId(), new CustomerLookup.Known(g.customer(), since));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            int index = i;
            Event e = events.get(i);
            List<Achievement> mine = achievements.stream().filter(a -> a.eventIndex() == index).toList();
            CustomerLookup.Known k = e.visitorId() == null ? null : known.get(e.visitorId());
            Customer customer = k == null ? null : k.customer();
            boolean recognised = k != null && k.since() == e.hit().receivedAt();
            for (Trigger t : all) {
                if (t.live() && TriggerMatch.fires(t, e, mine, customer, recognised)) {
                    expected.add(t.id() + ":" + i);
                }
            }
        }

        engine.fire(events, achievements, Integer::toString);

        assertThat(expected).hasSizeGreaterThan(200);
        assertThat(sent).extracting(Firing::key).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aHitsFiringsKeepTheTriggersOrderAcrossGlobGroups() {
        // three globs on one prefix with different conditions: three groups, one hit fires all three
        for (int n = 0; n < 3; n++) {
            List<Condition> conditions = n == 1 ? List.of(new Condition("path", Condition.Op.STARTS_WITH, List.of("/blog")))
                    : n == 2 ? List.of(new Condition("country", Condition.Op.IS_NOT, List.of("AQ"))) : List.of();
            store.triggers.add(new Trigger("tr_" + (char) ('c' - n), "px", "t" + n, true,
                    new When(When.Kind.PAGE, n == 0 ? "/blog/*" : "/blog/*s*", null, null), null, Trigger.Who.ANYONE,
                    conditions, new Limits(null, 600), TriggerMatchTest.webhook(), Instant.ofEpochSecond(n), Instant.EPOCH));
        }
        TriggerEngine engine = engine();
        Event view = TriggerMatchTest.event(dev.speck.hit.Hit.of(1_000L, dev.speck.hit.HitKind.PAGE_VIEW, "px")
                .page(new dev.speck.hit.Hit.Page("https://s.example/blog/posts", null, null)).build(), "v1",
                dev.speck.enrich.TrafficQuality.HUMAN);

        engine.fire(List.of(view), List.of(), i -> "h");

        assertThat(sent).extracting(Firing::key).containsExactly("tr_c:h", "tr_b:h", "tr_a:h");
    }

    @Test
    void changingOneTriggerAtATimeJudgesAsReadingThemAllAgain() {
        Random random = new Random(3);
        TriggerEngine incremental = engine();
        for (int step = 0; step < 300; step++) {
            int n = random.nextInt(120);
            String id = "tr_" + n;
            store.triggers.removeIf(t -> t.id().equals(id));
            if (random.nextInt(4) != 0) { // created or changed (maybe disabled, maybe moved to the other pixel)
                Trigger t = TriggerMatchTest.trigger(random, n);
                store.triggers.add(new Trigger(t.id(), t.pixel(), t.name(), t.enabled(), t.when(), null, Trigger.Who.ANYONE,
                        t.conditions().stream().filter(c -> !c.onCustomer()).toList(), new Limits(null, Limits.MAX_PER_MINUTE),
                        t.action(), Instant.ofEpochSecond(n), t.updated()));
            } // else deleted
            incremental.changed(id);
        }
        store.triggers.sort(java.util.Comparator.comparing(Trigger::created).thenComparing(Trigger::id));
        List<Event> events = new ArrayList<>();
        List<Achievement> achievements = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            TriggerMatchTest.Generated g = TriggerMatchTest.generated(random);
            events.add(g.event());
            for (Achievement a : g.achieved()) {
                achievements.add(new Achievement(i, a.goalId(), a.goalVersion(), a.value(), a.currency()));
            }
        }

        incremental.fire(events, achievements, Integer::toString);
        List<String> byChanges = sent.stream().map(Firing::key).toList();
        sent.clear();
        TriggerEngine fresh = engine();
        fresh.fire(events, achievements, Integer::toString);

        assertThat(byChanges).hasSizeGreaterThan(50).containsExactlyElementsOf(sent.stream().map(Firing::key).toList());
        assertThat(incremental.active()).isEqualTo(fresh.active());
    }

    @Test
    void aChunksOncePerLimitsAreClaimedInOneWriteWithTheSameAnswers() {
        store.triggers.add(new Trigger("tr_buy", "px", "Buy", true, new When(When.Kind.EVENT, "buy", null, null), null,
                Trigger.Who.ANYONE, List.of(), new Limits(java.time.Duration.ofDays(1), 600), TriggerMatchTest.webhook(),
                Instant.EPOCH, Instant.EPOCH));
        int[] writes = new int[2];
        TriggerStore counting = new TriggerStore() {
            public List<Trigger> all() { return store.all(); }
            public Trigger find(String id) { return store.find(id); }
            public void save(Trigger t) { store.save(t); }
            public boolean delete(String id) { return store.delete(id); }
            public boolean claim(String t, String s, String k, Instant at, java.time.Duration p) {
                writes[0]++;
                return store.claim(t, s, k, at, p);
            }
            public boolean[] claimAll(List<Claim> claims) {
                writes[1]++;
                return TriggerStore.super.claimAll(claims);
            }
            public void forgetSubject(String s) { store.forgetSubject(s); }
        };
        TriggerEngine engine = new TriggerEngine(counting, v -> Map.of(), sent::addAll);
        List<Event> events = new ArrayList<>();
        for (String visitor : List.of("v1", "v2", "v1", "v3", "v2")) {
            events.add(TriggerMatchTest.event(dev.speck.hit.Hit.of(1_000L + events.size(), dev.speck.hit.HitKind.EVENT, "px")
                    .name("buy").page(new dev.speck.hit.Hit.Page("https://s.example/", null, null)).build(), visitor,
                    dev.speck.enrich.TrafficQuality.HUMAN));
        }

        engine.fire(events, List.of(), i -> "c." + i);

        assertThat(sent).extracting(Firing::key).containsExactly("tr_buy:c.0", "tr_buy:c.1", "tr_buy:c.3");
        assertThat(engine.limited()).isEqualTo(2);
        assertThat(writes[1]).isEqualTo(1); // one write for the chunk's five claims
    }

    private static String random(Random r, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(maxLength + 1); i > 0; i--) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
