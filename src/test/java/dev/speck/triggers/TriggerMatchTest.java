package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Device;
import dev.speck.enrich.Event;
import dev.speck.enrich.GeoLocation;
import dev.speck.enrich.TrafficQuality;
import dev.speck.enrich.TrafficSource;
import dev.speck.enrich.Verdict;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Signals;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trigger rule against an evaluation written here independently (a table of field values, globs
 * as regular expressions), over generated events, achievements, customers and triggers.
 */
class TriggerMatchTest {

    private static final List<String> PATHS = List.of("/", "/pricing", "/pricing/team", "/blog/a", "/cart", "/checkout/done");
    private static final List<String> NAMES = List.of("add_to_cart", "add_to_wishlist", "signup", "video_play");
    private static final List<String> COUNTRIES = List.of("DE", "FR", "US", "GB");
    private static final List<String> DEVICES = List.of("Desktop", "Phone", "Tablet");
    private static final List<String> CHANNELS = List.of("direct", "search", "email", "paid_social");
    private static final List<String> GOALS = List.of("g_signup", "g_purchase");
    private static final List<String> CURRENCIES = List.of("EUR", "USD");

    record Generated(Event event, List<Achievement> achieved, Customer customer, boolean recognised) {
    }

    @Test
    void theRuleAgreesWithAnIndependentEvaluationOverGeneratedHistories() {
        Random random = new Random(20);
        int fired = 0;
        int cases = 0;
        for (int t = 0; t < 300; t++) {
            Trigger trigger = trigger(random, t);
            for (int e = 0; e < 100; e++) {
                Generated g = generated(random);
                boolean actual = TriggerMatch.fires(trigger, g.event, g.achieved, g.customer, g.recognised);
                boolean expected = expected(trigger, g);
                assertThat(actual).as("trigger %s on %s", trigger, g).isEqualTo(expected);
                fired += actual ? 1 : 0;
                cases++;
            }
        }
        // the generator must exercise both answers, or agreement says nothing
        assertThat(fired).isBetween(cases / 50, cases / 2);
    }

    @Test
    void nonHumanAndAnonymisedHitsNeverFire() {
        Trigger pageTrigger = new Trigger("tr_1", "px", "pricing", true, new When(When.Kind.PAGE, "/pricing*", null, null), null,
                Trigger.Who.ANYONE, List.of(), new Limits(null, 600), webhook(), Instant.EPOCH, Instant.EPOCH);
        Hit hit = Hit.of(1_000L, HitKind.PAGE_VIEW, "px").page(new Hit.Page("https://shop.example/pricing", null, null)).build();

        assertThat(TriggerMatch.fires(pageTrigger, event(hit, "v1", TrafficQuality.HUMAN), List.of(), null, false)).isTrue();
        assertThat(TriggerMatch.fires(pageTrigger, event(hit, "v1", new TrafficQuality(Verdict.BOT, List.of("crawler-list"))),
                List.of(), null, false)).isFalse();
        assertThat(TriggerMatch.fires(pageTrigger, event(hit, null, TrafficQuality.HUMAN), List.of(), null, false)).isFalse();
        assertThat(TriggerMatch.fires(pageTrigger, event(hit.withSignal(Signals.ANONYMOUS, "1"), "v1", TrafficQuality.HUMAN),
                List.of(), null, false)).isFalse();
    }

    private static boolean expected(Trigger t, Generated g) {
        Event e = g.event;
        if (!t.enabled() || !t.pixel().equals(e.hit().pixel())) {
            return false;
        }
        if (e.quality().verdict() != Verdict.HUMAN || e.visitorId() == null || e.hit().signals().containsKey(Signals.ANONYMOUS)) {
            return false;
        }
        if (t.who() == Trigger.Who.CUSTOMERS && g.customer == null) {
            return false;
        }
        When w = t.when();
        boolean starts = switch (w.kind()) {
            case GOAL -> g.achieved.stream().anyMatch(a -> a.goalId().equals(w.target())
                    && (w.currency() == null || w.currency().equals(a.currency()))
                    && (w.minValue() == null || (a.value() != null && a.value().subtract(w.minValue()).signum() >= 0)));
            case EVENT -> e.hit().kind() != HitKind.PAGE_VIEW && e.hit().name() != null && glob(w.target()).matcher(e.hit().name()).matches();
            case PAGE -> e.hit().kind() == HitKind.PAGE_VIEW
                    && glob(w.target()).matcher(e.hit().page().url().replaceFirst("^https://[^/]+", "")).matches();
            case RECOGNISED -> g.recognised;
            case SEGMENT_ENTERED, SEGMENT_LEFT -> false; // never on a hit
        };
        if (!starts) {
            return false;
        }
        Map<String, String> fields = new HashMap<>();
        fields.put("country", e.geo().country());
        fields.put("device", e.device().deviceClass());
        fields.put("channel", e.source().channel());
        fields.put("path", e.hit().page().url() == null ? "" : e.hit().page().url().replaceFirst("^https://[^/]+", ""));
        if (g.customer != null) {
            fields.put("customer.plan", g.customer.attributes().get("plan"));
        }
        for (Condition c : t.conditions()) {
            String v = fields.get(c.field());
            String lower = v == null ? null : v.toLowerCase(Locale.ROOT);
            boolean in = lower != null && c.values().contains(lower);
            boolean ok = switch (c.op()) {
                case IS, IN -> in;
                case IS_NOT, NOT_IN -> !in;
                case CONTAINS -> lower != null && lower.indexOf(c.values().get(0)) >= 0;
                case STARTS_WITH -> lower != null && lower.indexOf(c.values().get(0)) == 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (String piece : glob.split("\\*", -1)) {
            if (re.length() > 0 || glob.startsWith("*")) {
                re.append(".*");
            }
            re.append(Pattern.quote(piece));
        }
        return Pattern.compile(glob.startsWith("*") ? re.substring(2) : re.toString(), Pattern.DOTALL);
    }

    static Trigger trigger(Random r, int n) {
        When when = switch (r.nextInt(4)) {
            case 0 -> new When(When.Kind.GOAL, pick(r, GOALS), r.nextBoolean() ? new BigDecimal(r.nextInt(100) + ".50") : null,
                    r.nextInt(3) == 0 ? pick(r, CURRENCIES) : null);
            case 1 -> new When(When.Kind.EVENT, pick(r, List.of("add_to_*", "signup", "*", "video_*")), null, null);
            case 2 -> new When(When.Kind.PAGE, pick(r, List.of("/pricing*", "/pricing", "/blog/*", "/*/done", "/")), null, null);
            default -> new When(When.Kind.RECOGNISED, null, null, null);
        };
        List<Condition> conditions = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            String field = pick(r, List.of("country", "device", "channel", "path", "customer.plan"));
            List<String> pool = switch (field) {
                case "country" -> COUNTRIES;
                case "device" -> DEVICES;
                case "channel" -> CHANNELS;
                case "path" -> PATHS;
                default -> List.of("free", "pro", "Team");
            };
            Condition.Op op = pick(r, List.of(Condition.Op.values()));
            List<String> values = op == Condition.Op.IN || op == Condition.Op.NOT_IN
                    ? List.of(pick(r, pool), pick(r, pool))
                    : op == Condition.Op.CONTAINS || op == Condition.Op.STARTS_WITH
                    ? List.of(prefix(pick(r, pool), 1 + r.nextInt(2)))
                    : List.of(r.nextBoolean() ? pick(r, pool).toUpperCase(Locale.ROOT) : pick(r, pool));
            conditions.add(new Condition(field, op, values));
        }
        Trigger.Who who = r.nextBoolean() ? Trigger.Who.ANYONE : Trigger.Who.CUSTOMERS;
        return new Trigger("tr_" + n, r.nextInt(10) == 0 ? "px_other" : "px", "t" + n, r.nextInt(20) != 0, when, null, who,
                conditions, new Limits(Duration.ofDays(1), 600), webhook(), Instant.EPOCH, Instant.EPOCH);
    }

    static Generated generated(Random r) {
        HitKind kind = pick(r, List.of(HitKind.PAGE_VIEW, HitKind.PAGE_VIEW, HitKind.EVENT, HitKind.GOAL));
        String url = "https://shop.example" + pick(r, PATHS);
        Hit.Builder b = Hit.of(1_700_000_000_000L + r.nextInt(1000), kind, "px").page(new Hit.Page(url, null, "T"));
        if (kind != HitKind.PAGE_VIEW) {
            b.name(pick(r, NAMES));
        }
        Hit hit = b.build();
        if (r.nextInt(15) == 0) {
            hit = hit.withSignal(Signals.ANONYMOUS, "1");
        }
        TrafficQuality quality = r.nextInt(8) == 0 ? new TrafficQuality(Verdict.BOT, List.of("crawler-list")) : TrafficQuality.HUMAN;
        Event event = new Event(hit, r.nextInt(20) == 0 ? null : "v" + r.nextInt(50), null,
                new GeoLocation(r.nextInt(10) == 0 ? null : pick(r, COUNTRIES), null, null, null, null, null, null),
                new Device(pick(r, DEVICES), null, "Chrome", null, "Linux", null, false),
                new TrafficSource(pick(r, CHANNELS), null, null, null, null, null, null, null, null, null),
                "UTC", 12, null, null, quality);
        List<Achievement> achieved = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            achieved.add(new Achievement(0, pick(r, GOALS), 1, r.nextInt(5) == 0 ? null : new BigDecimal(r.nextInt(200) + ".25"),
                    pick(r, CURRENCIES)));
        }
        Customer customer = r.nextInt(3) == 0 ? null : new Customer("c_" + r.nextInt(9), null, "a@b.example", null,
                r.nextInt(4) == 0 ? Map.of() : Map.of("plan", pick(r, List.of("free", "pro", "team"))), List.of(),
                Instant.EPOCH, Instant.EPOCH);
        return new Generated(event, achieved, customer, customer != null && r.nextInt(4) == 0);
    }

    static Event event(Hit hit, String visitor, TrafficQuality quality) {
        return new Event(hit, visitor, null, GeoLocation.UNKNOWN, Device.UNKNOWN, TrafficSource.DIRECT, null, null, null,
                null, quality);
    }

    static Action webhook() {
        return new Action(Action.Type.WEBHOOK, "https://hooks.example/speck", null, null, Map.of());
    }

    private static String prefix(String s, int n) {
        return s.substring(0, Math.min(n, s.length()));
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
