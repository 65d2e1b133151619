package dev.speck.store.duckdb;

import dev.speck.enrich.Device;
import dev.speck.enrich.Event;
import dev.speck.enrich.GeoLocation;
import dev.speck.enrich.TrafficQuality;
import dev.speck.enrich.TrafficSource;
import dev.speck.enrich.Verdict;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.http.ApiJson;
import dev.speck.journal.JournalPosition;
import dev.speck.segments.Member;
import dev.speck.segments.Segment;
import dev.speck.segments.SegmentChange;
import dev.speck.segments.SegmentJob;
import dev.speck.segments.SegmentJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule segments over a generated history (goals with values in two currencies, windows, negations,
 * conditions on the latest hit and on customers, visitors linked to customers, bots), judged three
 * ways: by an evaluation written here from the rules' words, by the live job run as the history is
 * stored day by day, and by a backfill at the end. All three must agree at every step.
 */
class SegmentRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] PATHS = {"/pricing", "/pricing/team", "/about", "/blog/a", "/"};
    private static final String[] COUNTRIES = {"GB", "DE", "FR"};
    private static final String[] DEVICES = {"Desktop", "Mobile"};
    private static final String[] CHANNELS = {"direct", "search", "social"};

    @TempDir
    Path dir;

    /** One generated hit, as the evaluation here reads it. */
    record Gen(String visitor, Instant at, HitKind kind, String name, String path, String goal, BigDecimal value,
               String currency, String country, String device, String channel, boolean human) {
    }

    /** The rules under test, with what each means, written plainly. */
    private static final List<String> RULES = List.of(
            // 1: looked at pricing 3 times in 7 days, no signup in 14
            "{\"who\":\"anyone\",\"days\":14,\"criteria\":[{\"did\":\"page\",\"path\":\"/pricing*\",\"times\":3,\"days\":7},"
                    + "{\"did\":\"goal\",\"goal\":\"g_signup\",\"not\":true}]}",
            // 2: customers who spent at least 200 EUR in 30 days
            "{\"who\":\"customers\",\"days\":30,\"criteria\":[{\"did\":\"goal\",\"goal\":\"g_purchase\",\"total\":\"200\",\"currency\":\"EUR\"}]}",
            // 3: latest hit in the last 7 days from Germany or France, on a phone
            "{\"who\":\"anyone\",\"days\":7,\"conditions\":[{\"field\":\"country\",\"op\":\"in\",\"values\":[\"de\",\"fr\"]},"
                    + "{\"field\":\"device\",\"op\":\"is\",\"values\":[\"mobile\"]}]}",
            // 4: pro customers with a cart in 3 days and no purchase in 3 days
            "{\"who\":\"customers\",\"days\":21,\"criteria\":[{\"did\":\"event\",\"name\":\"add_to_cart\",\"days\":3},"
                    + "{\"did\":\"goal\",\"goal\":\"g_purchase\",\"days\":3,\"not\":true}],"
                    + "\"conditions\":[{\"field\":\"customer.plan\",\"op\":\"is\",\"values\":[\"pro\"]}]}",
            // 5: two purchases of at least 100 USD each within 10 days
            "{\"who\":\"anyone\",\"days\":10,\"criteria\":[{\"did\":\"goal\",\"goal\":\"*\",\"times\":2,\"minValue\":\"100\",\"currency\":\"USD\"}]}",
            // 6: seen in 5 days, never on /about in them, latest channel not social
            "{\"who\":\"anyone\",\"days\":5,\"criteria\":[{\"did\":\"page\",\"path\":\"/about\",\"not\":true}],"
                    + "\"conditions\":[{\"field\":\"channel\",\"op\":\"not_in\",\"values\":[\"social\"]}]}");

    @Test
    void liveUpdatesABackfillAndAnIndependentEvaluationAgreeOnEveryRuleAtEveryStep() throws Exception {
        Random random = new Random(20261207);
        List<Gen> history = new ArrayList<>(generate(random, 21));
        // a link is made on a hit (a signed identify): each linked visitor's, at the link's time
        Instant linkedAt = T0.plus(Duration.ofDays(4)).plus(Duration.ofHours(8));
        for (int v = 0; v < 40; v += 2) {
            Instant at = v <= 2 ? linkedAt.plusSeconds(60) : linkedAt;
            history.add(new Gen("vis" + v, at, HitKind.PAGE_VIEW, null, "/account", null, null, null, "GB", "Desktop", "direct", true));
        }
        history.sort(Comparator.comparing(Gen::at));
        Map<String, String> customerOf = new HashMap<>(); // visitor -> customer (the last link wins)
        Map<String, String> plans = new HashMap<>();
        MutableClock clock = new MutableClock(T0);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            for (int c = 0; c < 12; c++) {
                plans.put("c_" + c, c % 3 == 0 ? "pro" : "free");
                customer(db, "c_" + c, plans.get("c_" + c));
            }
            DuckDbSegments segments = new DuckDbSegments(db);
            List<SegmentChange> handed = new ArrayList<>();
            SegmentJob job = new SegmentJob(segments, handed::addAll, clock);
            List<Segment> made = new ArrayList<>();
            for (int i = 0; i < RULES.size(); i++) {
                Segment s = segment("sg_" + i, RULES.get(i));
                segments.save(s);
                job.backfill(s);
                made.add(s);
            }
            job.runOnce(); // the watermark's first run

            long position = 1;
            for (int day = 0; day < 21; day++) {
                Instant dayStart = T0.plus(Duration.ofDays(day));
                List<Gen> today = history.stream().filter(g -> !g.at().isBefore(dayStart)
                        && g.at().isBefore(dayStart.plus(Duration.ofDays(1)))).toList();
                // three chunks a day, each stored and then judged, as the loader and the job would
                for (int part = 0; part < 3; part++) {
                    Instant from = dayStart.plus(Duration.ofHours(8L * part));
                    Instant to = from.plus(Duration.ofHours(8));
                    List<Gen> chunk = today.stream().filter(g -> !g.at().isBefore(from) && g.at().isBefore(to)).toList();
                    if (day == 4 && part == 1) { // customers get recognised over time: links made mid-history
                        link(db, customerOf, random, from);
                    }
                    append(store, chunk, position++);
                    clock.set(to.minusSeconds(1));
                    job.runOnce();
                    for (int i = 0; i < RULES.size(); i++) {
                        assertThat(members(segments, made.get(i)))
                                .as("rule %d after day %d part %d", i + 1, day, part)
                                .isEqualTo(expected(RULES_JUDGES.get(i), history, customerOf, plans, clock.instant()));
                    }
                }
            }
            // time alone: nothing stored for four more days, people leave (and some enter "did not" rules)
            for (int extra = 1; extra <= 4; extra++) {
                clock.set(T0.plus(Duration.ofDays(21 + extra)));
                job.runOnce();
                for (int i = 0; i < RULES.size(); i++) {
                    assertThat(members(segments, made.get(i))).as("rule %d, %d days after the last hit", i + 1, extra)
                            .isEqualTo(expected(RULES_JUDGES.get(i), history, customerOf, plans, clock.instant()));
                }
            }
            // and a backfill of the same rules gives the same members as the live updates did
            clock.set(T0.plus(Duration.ofDays(25)));
            for (int i = 0; i < RULES.size(); i++) {
                Segment copy = segment("sg_copy_" + i, RULES.get(i));
                segments.save(copy);
                job.backfill(copy);
                assertThat(members(segments, copy)).isEqualTo(members(segments, made.get(i)));
            }
            // every member that entered was handed to triggers once, and every exit too
            assertThat(handed).extracting(SegmentChange::id).doesNotHaveDuplicates();
            assertThat(handed).anyMatch(SegmentChange::entered).anyMatch(c -> !c.entered());
            assertThat(segments.undispatched(10)).isEmpty();
            // the rules select someone and not everyone: the test means something
            int someone = 0;
            for (int day = 1; day < 21; day++) {
                for (int i = 0; i < RULES.size(); i++) {
                    Set<String> m = expected(RULES_JUDGES.get(i), history, customerOf, plans, T0.plus(Duration.ofDays(day)));
                    someone += m.isEmpty() ? 0 : 1;
                }
            }
            assertThat(someone).as("rule-days with members").isGreaterThan(60);
        }
    }

    // ---- the evaluation written from the rules' words -------------------------------------------

    /** A person's facts at a moment: their human hits in a window. */
    record Person(String key, boolean customer, List<Gen> hits) {
        long count(Predicate<Gen> p, Instant now, int days) {
            return hits.stream().filter(g -> g.at().isAfter(now.minus(Duration.ofDays(days)))).filter(p).count();
        }

        BigDecimal sum(Predicate<Gen> p, Instant now, int days) {
            return hits.stream().filter(g -> g.at().isAfter(now.minus(Duration.ofDays(days)))).filter(p)
                    .map(Gen::value).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        Gen latest() {
            return hits.stream().max(Comparator.comparing(Gen::at)).orElseThrow();
        }
    }

    interface Judge {
        int days();

        boolean member(Person p, Map<String, String> plans, Instant now);

        interface Rule {
            boolean test(Person p, Map<String, String> plans, Instant now);
        }
    }

    private static Judge judge(int days, Judge.Rule rule) {
        return new Judge() {
            public int days() {
                return days;
            }

            public boolean member(Person p, Map<String, String> plans, Instant now) {
                return rule.test(p, plans, now);
            }
        };
    }

    private static final List<Judge> RULES_JUDGES = List.of(
            judge(14, (p, plans, now) -> p.count(g -> g.kind() == HitKind.PAGE_VIEW && g.path().startsWith("/pricing"), now, 7) >= 3
                    && p.count(g -> "g_signup".equals(g.goal()), now, 14) < 1),
            judge(30, (p, plans, now) -> p.customer()
                    && p.count(g -> "g_purchase".equals(g.goal()) && "EUR".equals(g.currency()), now, 30) >= 1
                    && p.sum(g -> "g_purchase".equals(g.goal()) && "EUR".equals(g.currency()), now, 30)
                    .compareTo(new BigDecimal("200")) >= 0),
            judge(7, (p, plans, now) -> Set.of("DE", "FR").contains(p.latest().country()) && "Mobile".equals(p.latest().device())),
            judge(21, (p, plans, now) -> p.customer() && "pro".equals(plans.get(p.key()))
                    && p.count(g -> "add_to_cart".equals(g.name()) && g.kind() == HitKind.EVENT, now, 3) >= 1
                    && p.count(g -> "g_purchase".equals(g.goal()), now, 3) < 1),
            judge(10, (p, plans, now) -> p.count(g -> g.goal() != null && "USD".equals(g.currency())
                    && g.value().compareTo(new BigDecimal("100")) >= 0, now, 10) >= 2),
            judge(5, (p, plans, now) -> p.count(g -> g.kind() == HitKind.PAGE_VIEW && "/about".equals(g.path()), now, 5) < 1
                    && !"social".equals(p.latest().channel())));

    private static Set<String> expected(Judge judge, List<Gen> history, Map<String, String> customerOf,
                                        Map<String, String> plans, Instant now) {
        Map<String, List<Gen>> byPerson = new HashMap<>();
        for (Gen g : history) {
            if (!g.human() || g.at().isAfter(now) || !g.at().isAfter(now.minus(Duration.ofDays(judge.days())))) {
                continue;
            }
            String c = customerOf.get(g.visitor());
            byPerson.computeIfAbsent(c != null ? c : "v:" + g.visitor(), k -> new ArrayList<>()).add(g);
        }
        Set<String> out = new TreeSet<>();
        byPerson.forEach((key, hits) -> {
            if (judge.member(new Person(key, !key.startsWith("v:"), hits), plans, now)) {
                out.add(key);
            }
        });
        return out;
    }

    // ---- generated history and the store ---------------------------------------------------------

    private static List<Gen> generate(Random r, int days) {
        List<Gen> out = new ArrayList<>();
        for (int v = 0; v < 40; v++) {
            String visitor = "vis" + v;
            String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
            String device = DEVICES[r.nextInt(DEVICES.length)];
            for (int day = 0; day < days; day++) {
                if (r.nextInt(3) != 0) {
                    continue;
                }
                int hits = 1 + r.nextInt(5);
                for (int h = 0; h < hits; h++) {
                    Instant at = T0.plus(Duration.ofDays(day)).plusSeconds(r.nextInt(86_000) + 60);
                    String channel = CHANNELS[r.nextInt(CHANNELS.length)];
                    if (r.nextInt(10) == 0) {
                        country = COUNTRIES[r.nextInt(COUNTRIES.length)]; // people travel
                    }
                    boolean human = r.nextInt(15) != 0;
                    int what = r.nextInt(10);
                    if (what < 6) {
                        out.add(new Gen(visitor, at, HitKind.PAGE_VIEW, null, PATHS[r.nextInt(PATHS.length)], null, null, null,
                                country, device, channel, human));
                    } else if (what < 8) {
                        out.add(new Gen(visitor, at, HitKind.EVENT, "add_to_cart", "/cart", null, null, null, country, device,
                                channel, human));
                    } else if (what == 8) {
                        out.add(new Gen(visitor, at, HitKind.GOAL, "signup", "/welcome", "g_signup", null, null, country, device,
                                channel, human));
                    } else {
                        BigDecimal value = BigDecimal.valueOf(1000 + r.nextInt(29_000), 2);
                        out.add(new Gen(visitor, at, HitKind.GOAL, "purchase", "/thanks", "g_purchase", value,
                                r.nextBoolean() ? "EUR" : "USD", country, device, channel, human));
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Gen::at));
        return out;
    }

    private static void append(DuckDbEventStore store, List<Gen> chunk, long position) {
        List<Event> events = new ArrayList<>();
        List<Achievement> achievements = new ArrayList<>();
        for (Gen g : chunk) {
            if (g.goal() != null) {
                achievements.add(new Achievement(events.size(), g.goal(), 1, g.value(), g.currency()));
            }
            Hit hit = Hit.of(g.at().toEpochMilli(), g.kind(), "px").name(g.name())
                    .page(new Hit.Page("https://shop.example" + g.path(), null, "Shop")).build();
            events.add(new Event(hit, g.visitor(), "81.2.69.0", new GeoLocation(g.country(), null, null, null, null, null, null),
                    new Device(g.device(), null, "Chrome", null, "Linux", null, false),
                    new TrafficSource(g.channel(), null, null, null, null, null, null, null, null, null), "UTC", 9, null, null,
                    g.human() ? TrafficQuality.HUMAN : new TrafficQuality(Verdict.BOT, List.of("test"))));
        }
        store.append(events, achievements, List.of(new JournalPosition("lane-0", 1, position)));
    }

    private static void customer(DuckDbDatabase db, String id, String plan) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, external_id, email,"
                + " name, attributes, aliases, created, updated) VALUES (?, ?, ?, ?, ?, [], ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, "ext-" + id);
            ps.setString(3, id + "@example.com");
            ps.setString(4, "Customer " + id);
            ps.setString(5, "{\"plan\":\"" + plan + "\"}");
            ps.setObject(6, LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
            ps.setObject(7, LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** Links about half of the visitors to the 12 customers (two visitors to two customers: the later link wins). */
    private static void link(DuckDbDatabase db, Map<String, String> customerOf, Random r, Instant at) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO identity_links (customer_id,"
                + " visitor_id, pixel, source, first_seen) VALUES (?, ?, 'px', 'identify', ?)")) {
            for (int v = 0; v < 40; v += 2) {
                String customer = "c_" + (v / 2 % 12);
                ps.setString(1, customer);
                ps.setString(2, "vis" + v);
                ps.setObject(3, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
                ps.executeUpdate();
                customerOf.put("vis" + v, customer);
            }
            for (int v : new int[]{0, 2}) { // shared visitors: linked again later to another customer
                ps.setString(1, "c_11");
                ps.setString(2, "vis" + v);
                ps.setObject(3, LocalDateTime.ofInstant(at.plusSeconds(60), ZoneOffset.UTC));
                ps.executeUpdate();
                customerOf.put("vis" + v, "c_11");
            }
        }
    }

    private static Segment segment(String id, String rule) throws Exception {
        return SegmentJson.read(ApiJson.MAPPER.readTree("{\"name\":\"" + id + "\",\"rule\":" + rule + "}"), id, "px", T0, T0,
                goal -> true);
    }

    private static Set<String> members(DuckDbSegments segments, Segment s) {
        Set<String> out = new TreeSet<>();
        String after = null;
        List<Member> page;
        do {
            page = segments.members(s.id(), after, 7);
            page.forEach(m -> out.add(m.person()));
            after = page.isEmpty() ? null : page.get(page.size() - 1).person();
        } while (page.size() == 7);
        return out;
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
