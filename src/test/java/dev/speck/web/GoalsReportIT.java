package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The goals report against an independent count: the test sends a known set of hits from several
 * visitors over several days and computes every figure itself from what it sent.
 */
class GoalsReportIT {

    static final String TOKEN = "backfill-secret";
    static final String SITE = "https://shop.example.com";
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    /** Where a visitor comes from, and what enrichment is expected to make of it. */
    enum Entry {
        SEARCH("https://www.google.com/search?q=shoes", "", "search", "Google", null, null),
        NEWSLETTER(null, "utm_source=newsletter&utm_medium=email&utm_campaign=spring", "email", "newsletter", "spring", "email"),
        ADS(null, "utm_source=google&utm_medium=cpc&utm_campaign=summer", "paid_search", "google", "summer", "cpc"),
        REMINDER(null, "utm_source=crm&utm_medium=email&utm_campaign=reminder", "email", "crm", "reminder", "email"),
        DIRECT(null, "", "direct", null, null, null);

        final String referrer;
        final String query;
        final String channel;
        final String source;
        final String campaign;
        final String medium;

        Entry(String referrer, String query, String channel, String source, String campaign, String medium) {
            this.referrer = referrer;
            this.query = query;
            this.channel = channel;
            this.source = source;
            this.campaign = campaign;
            this.medium = medium;
        }
    }

    /** One hit the test sent, with what it expects Speck to store and which goals it achieves. */
    record Sent(long time, String visitor, String kind, String name, String path, Entry entry, Double value,
                String currency, String device, int phase) {
        LocalDate day() {
            return LocalDate.ofInstant(Instant.ofEpochMilli(time), ZoneOffset.UTC);
        }

        String channel() {
            return entry == null ? "internal" : entry.channel;
        }
    }

    @TempDir
    static Path temp;
    static RunningSpeck speck;
    static Pixel shop;
    static final List<Sent> sent = new ArrayList<>();
    static final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    static final LocalDate from = today.minusDays(10);
    static final LocalDate to = today.minusDays(7);
    static String signup;
    static String purchase;
    static String thanks;
    static String pricing;

    @BeforeAll
    static void start() throws Exception {
        speck = RunningSpeck.start(temp.resolve("data"), Map.of(
                "collect.trusted-proxies", "127.0.0.1/32",
                "collect.backfill-token", TOKEN));
        shop = speck.createPixel("shop", List.of());
        signup = createGoal(shop, """
                {"name":"Signup","rule":{"type":"event","name":"signup"},"value":{"type":"fixed","amount":10}}""");
        purchase = createGoal(shop, """
                {"name":"Purchase","rule":{"type":"event","name":"purchase"},
                 "value":{"type":"from_hit","min":1,"max":500},"currency":"EUR"}""");
        thanks = createGoal(shop, """
                {"name":"Thanks page","rule":{"type":"page_url","match":"equals","value":"/thanks"},
                 "counting":"once_per_visitor"}""");
        pricing = createGoal(shop, """
                {"name":"Pricing","rule":{"type":"page_url","match":"matches","value":"https://shop.example.com/pricing/*"}}""");

        Random random = new Random(42);
        // phase 1 under the first version of Signup; then Signup is edited; phase 2 under version 2
        List<Sent> phase1 = visits(random, 1, from.minusDays(4), from.plusDays(1));
        send(phase1);
        speck.awaitEvents(shop.id(), phase1.size());
        HttpResponse<String> edited = put("/api/pixels/" + shop.id() + "/goals/" + signup, """
                {"name":"Signup","rule":{"type":"event","name":"signup"},"value":{"type":"fixed","amount":20}}""");
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(RunningSpeck.JSON.readTree(edited.body()).get("version").asInt()).isEqualTo(2);
        List<Sent> phase2 = visits(random, 2, from.plusDays(2), to);
        send(phase2);
        speck.awaitEvents(shop.id(), phase1.size() + phase2.size());
        sent.addAll(phase1);
        sent.addAll(phase2);
    }

    @AfterAll
    static void stop() {
        speck.close();
    }

    // ---- the hits ----

    /** Visitors on each day: a landing from an entry, pages, goals; some come back through a second campaign. */
    static List<Sent> visits(Random random, int phase, LocalDate first, LocalDate last) {
        List<Sent> out = new ArrayList<>();
        int n = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            long t = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli() + 3_600_000L * (1 + random.nextInt(3));
            for (int v = 0; v < 7; v++) {
                // visitor 0 is the same person (IP and browser) every day: a new visitor id each day
                String ip = v == 0 ? "198.51.100.1" : "203.0.113." + (10 + n++ % 200) + "";
                String device = random.nextInt(3) == 0 ? "Phone" : "Desktop";
                String visitor = ip + "|" + device + "|" + day;
                Entry entry = List.of(Entry.SEARCH, Entry.NEWSLETTER, Entry.ADS, Entry.DIRECT).get(random.nextInt(4));
                String landing = List.of("/", "/pricing/pro", "/blog/shoes").get(random.nextInt(3));
                t += 1000 + random.nextInt(60_000);
                out.add(new Sent(t, visitor, "page_view", null, landing, entry, null, null, device, phase));
                int actions = 1 + random.nextInt(5);
                for (int a = 0; a < actions; a++) {
                    t += 1000 + random.nextInt(600_000);
                    switch (random.nextInt(6)) {
                        case 0 -> out.add(new Sent(t, visitor, "page_view", null, "/pricing/team", null, null, null, device, phase));
                        case 1 -> out.add(new Sent(t, visitor, "event", "signup", "/signup", null, null, null, device, phase));
                        case 2 -> {
                            int kind = random.nextInt(4);
                            Double value = kind == 0 ? 900.0 : 20.0 + random.nextInt(80);
                            String cur = kind == 1 ? "USD" : "EUR";
                            out.add(new Sent(t, visitor, "goal", "purchase", "/checkout", null, value, cur, device, phase));
                        }
                        case 3 -> {
                            out.add(new Sent(t, visitor, "page_view", null, "/thanks", null, null, null, device, phase));
                            if (random.nextBoolean()) { // a reload: counted once for a once-per-visitor goal
                                t += 1000;
                                out.add(new Sent(t, visitor, "page_view", null, "/thanks", null, null, null, device, phase));
                            }
                        }
                        case 4 -> out.add(new Sent(t, visitor, "page_view", null, "/", Entry.REMINDER, null, null, device, phase));
                        default -> out.add(new Sent(t, visitor, "event", "video_play", "/blog/shoes", null, null, null, device, phase));
                    }
                }
            }
        }
        return out;
    }

    static void send(List<Sent> hits) throws Exception {
        for (Sent s : hits) {
            StringBuilder url = new StringBuilder(SITE + s.path());
            String referrer = SITE + "/previous";
            if (s.entry() != null) {
                if (!s.entry().query.isEmpty()) {
                    url.append('?').append(s.entry().query);
                }
                referrer = s.entry().referrer;
            } else if (s.path().equals("/thanks")) {
                url.append("?order=").append(s.time()); // the query string is not part of the match
            }
            StringBuilder q = new StringBuilder("/p/" + shop.id() + ".gif?ts=" + s.time() + "&u=" + enc(url.toString()));
            if (referrer != null) {
                q.append("&r=").append(enc(referrer));
            }
            if (!s.kind().equals("page_view")) {
                q.append("&k=").append(s.kind()).append("&n=").append(s.name());
            }
            if (s.value() != null) {
                q.append("&v=").append(s.value()).append("&cur=").append(s.currency());
            }
            String[] parts = s.visitor().split("\\|");
            HttpResponse<byte[]> r = speck.getBytes(q.toString(), "User-Agent", parts[1].equals("Phone") ? IPHONE : CHROME,
                    "X-Forwarded-For", parts[0], "X-Speck-Backfill", TOKEN);
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    // ---- the independent count ----

    static boolean inRange(Sent s, LocalDate a, LocalDate b) {
        return !s.day().isBefore(a) && !s.day().isAfter(b);
    }

    /** The goals a sent hit achieves, and its value for each. */
    static Map<String, Double> achieved(Sent s) {
        Map<String, Double> out = new LinkedHashMap<>();
        if ("signup".equals(s.name())) {
            out.put(signup, s.phase() == 1 ? 10.0 : 20.0);
        }
        if ("purchase".equals(s.name())) {
            out.put(purchase, "USD".equals(s.currency()) ? null : Math.max(1, Math.min(500, s.value())));
        }
        if (s.kind().equals("page_view") && s.path().equals("/thanks")) {
            out.put(thanks, null);
        }
        if (s.kind().equals("page_view") && s.path().startsWith("/pricing/")) {
            out.put(pricing, null);
        }
        return out;
    }

    /** The visitor's first non-empty value of an attribute in the range. */
    static Map<String, String> firstValue(List<Sent> hits, Function<Sent, String> attribute) {
        Map<String, String> out = new HashMap<>();
        hits.stream().sorted(Comparator.comparingLong(Sent::time)).forEach(s -> {
            String v = attribute.apply(s);
            out.putIfAbsent(s.visitor(), null);
            if (v != null && out.get(s.visitor()) == null) {
                out.put(s.visitor(), v);
            }
        });
        out.replaceAll((k, v) -> v == null ? "(none)" : v);
        return out;
    }

    record Expected(long achievements, long achievers, double value) {
    }

    static Expected expected(List<Sent> hits, String goal, boolean once) {
        long n = 0;
        double value = 0;
        Set<String> achievers = new HashSet<>();
        for (Sent s : hits.stream().sorted(Comparator.comparingLong(Sent::time)).toList()) {
            Map<String, Double> a = achieved(s);
            if (!a.containsKey(goal) || (once && achievers.contains(s.visitor()))) {
                continue;
            }
            achievers.add(s.visitor());
            n++;
            value += a.get(goal) == null ? 0 : a.get(goal);
        }
        return new Expected(n, achievers.size(), value);
    }

    static List<Sent> between(LocalDate a, LocalDate b, Predicate<Sent> visitorFilter) {
        return sent.stream().filter(s -> inRange(s, a, b)).filter(visitorFilter).toList();
    }

    static boolean once(String goal) {
        return goal.equals(thanks);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = speck.get(path);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return RunningSpeck.JSON.readTree(r.body());
    }

    static String createGoal(Pixel pixel, String body) throws Exception {
        HttpResponse<String> r = speck.post("/api/pixels/" + pixel.id() + "/goals", body, "Content-Type", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return RunningSpeck.JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> put(String path, String body) throws Exception {
        return speck.request("PUT", path, body);
    }

    static JsonNode goalIn(JsonNode goals, String id) {
        for (JsonNode g : goals) {
            if (g.get("goal").asText().equals(id)) {
                return g;
            }
        }
        throw new AssertionError("no goal " + id + " in " + goals);
    }

    // ---- the tests ----

    @Test
    void enrichmentGivesTheChannelsTheExpectationsRestOn() throws Exception {
        List<JsonNode> events = speck.events(shop.id());
        Map<Long, JsonNode> byTime = new HashMap<>();
        events.forEach(e -> byTime.put(Instant.parse(e.get("time").asText()).toEpochMilli(), e));
        for (Sent s : sent) {
            JsonNode e = byTime.get(s.time());
            assertThat(e).as("stored hit at " + s.time()).isNotNull();
            assertThat(e.get("channel").asText()).as(s.toString()).isEqualTo(s.channel());
            assertThat(e.get("device_class").asText()).isEqualTo(s.device());
        }
    }

    @Test
    void reportCountsVisitorsAchievementsValueAndConversionAsSent() throws Exception {
        JsonNode r = getJson("/api/pixels/" + shop.id() + "/report?from=" + from + "&to=" + to + "&interval=day&compare=previous");
        List<Sent> hits = between(from, to, s -> true);
        long visitors = hits.stream().map(Sent::visitor).distinct().count();

        assertThat(r.get("visitorIdentity").asText()).isEqualTo("cookieless-daily");
        assertThat(r.get("visitors").asLong()).isEqualTo(visitors);
        for (String goal : List.of(signup, purchase, thanks, pricing)) {
            Expected e = expected(hits, goal, once(goal));
            JsonNode g = goalIn(r.get("goals"), goal);
            assertThat(g.get("achievements").asLong()).as(goal).isEqualTo(e.achievements());
            assertThat(g.get("achievers").asLong()).as(goal).isEqualTo(e.achievers());
            assertThat(g.get("conversionRate").asDouble()).isCloseTo((double) e.achievers() / visitors, within(1e-9));
            assertThat(g.get("totalValue").asDouble()).as(goal).isCloseTo(e.value(), within(1e-6));
            if (e.achievements() > 0) {
                // an average of money is given to 4 places, a value's own precision
                assertThat(g.get("averageValue").asDouble()).isCloseTo(e.value() / e.achievements(), within(5e-5));
            }
        }
        assertThat(goalIn(r.get("goals"), purchase).get("currency").asText()).isEqualTo("EUR");
        // the data holds what the value rules are about: a total above the bound, a total in another currency
        assertThat(hits).anyMatch(s -> Objects.equals(s.value(), 900.0) && "EUR".equals(s.currency()));
        assertThat(hits).anyMatch(s -> "USD".equals(s.currency()));
        assertThat(hits.stream().filter(s -> s.path().equals("/thanks")).collect(Collectors.groupingBy(Sent::visitor,
                Collectors.counting())).values()).as("someone saw the thanks page twice").anyMatch(n -> n > 1);

        // the previous period of equal length
        LocalDate pFrom = from.minusDays(4);
        LocalDate pTo = from.minusDays(1);
        List<Sent> before = between(pFrom, pTo, s -> true);
        assertThat(r.get("previous").get("from").asText()).isEqualTo(pFrom.toString());
        assertThat(r.get("previous").get("visitors").asLong()).isEqualTo(before.stream().map(Sent::visitor).distinct().count());
        assertThat(goalIn(r.get("previous").get("goals"), signup).get("achievements").asLong())
                .isEqualTo(expected(before, signup, false).achievements());
    }

    @Test
    void timeSeriesHasEveryDayWithItsVisitorsAndAchievements() throws Exception {
        JsonNode r = getJson("/api/pixels/" + shop.id() + "/report?from=" + from + "&to=" + to + "&interval=day");
        JsonNode series = r.get("series");
        assertThat(series.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            LocalDate day = from.plusDays(i);
            List<Sent> hits = between(day, day, s -> true);
            JsonNode point = series.get(i);
            assertThat(point.get("start").asText()).isEqualTo(day + "T00:00:00Z");
            assertThat(point.get("visitors").asLong()).isEqualTo(hits.stream().map(Sent::visitor).distinct().count());
            assertThat(point.get("achievements").get(purchase).asLong()).isEqualTo(expected(hits, purchase, false).achievements());
            assertThat(point.get("achievements").get(thanks).asLong()).isEqualTo(expected(hits, thanks, true).achievements());
        }
    }

    @Test
    void hourlySeriesAddsUpToTheDay() throws Exception {
        JsonNode r = getJson("/api/pixels/" + shop.id() + "/report?from=" + from + "&to=" + from + "&interval=hour");
        assertThat(r.get("series").size()).isEqualTo(24);
        List<Sent> day = between(from, from, s -> true);
        long purchases = 0;
        long visitorHours = 0;
        for (JsonNode point : r.get("series")) {
            purchases += point.get("achievements").get(purchase).asLong();
            int hour = Instant.parse(point.get("start").asText()).atZone(ZoneOffset.UTC).getHour();
            long expected = day.stream().filter(s -> Instant.ofEpochMilli(s.time()).atZone(ZoneOffset.UTC).getHour() == hour)
                    .map(Sent::visitor).distinct().count();
            assertThat(point.get("visitors").asLong()).as("hour " + hour).isEqualTo(expected);
            visitorHours += expected;
        }
        assertThat(visitorHours).isPositive();
        assertThat(purchases).isEqualTo(expected(day, purchase, false).achievements());
    }

    @Test
    void editingAGoalCountsEachAchievementUnderTheVersionItWasMadeWith() throws Exception {
        JsonNode r = getJson("/api/pixels/" + shop.id() + "/report?from=" + from + "&to=" + to);
        List<Sent> hits = between(from, to, s -> true);
        long v1 = hits.stream().filter(s -> "signup".equals(s.name()) && s.phase() == 1).count();
        long v2 = hits.stream().filter(s -> "signup".equals(s.name()) && s.phase() == 2).count();
        assertThat(v1).isPositive();
        assertThat(v2).isPositive();
        Map<Integer, Long> versions = new TreeMap<>();
        goalIn(r.get("goals"), signup).get("ruleVersions").forEach(v -> versions.put(v.get("version").asInt(), v.get("achievements").asLong()));
        assertThat(versions).containsExactly(Map.entry(1, v1), Map.entry(2, v2));
        assertThat(goalIn(r.get("goals"), signup).get("totalValue").asDouble()).isEqualTo(10.0 * v1 + 20.0 * v2);
    }

    @Test
    void filtersKeepOnlyTheVisitorsTheyDescribeAndCombine() throws Exception {
        List<Sent> range = between(from, to, s -> true);
        Map<String, String> channel = firstValue(range, s -> s.entry() == null ? "internal" : s.entry().channel);
        Map<String, String> device = firstValue(range, Sent::device);
        Map<String, String> landing = firstValue(range, s -> s.kind().equals("page_view") ? s.path() : null);

        JsonNode r = getJson("/api/pixels/" + shop.id() + "/report?from=" + from + "&to=" + to
                + "&filter.channel=paid_search&filter.device_class=Desktop");
        List<Sent> kept = between(from, to, s -> channel.get(s.visitor()).equals("paid_search") && device.get(s.visitor()).equals("Desktop"));
        assertThat(r.get("visitors").asLong()).isEqualTo(kept.stream().map(Sent::visitor).distinct().count()).isPositive();
        assertThat(goalIn(r.get("goals"), purchase).get("achievements").asLong()).isEqualTo(expected(kept, purchase, false).achievements());

        JsonNode byLanding = getJson("/api/pixels/" + shop.id() + "/report?from=" + from + "&to=" + to
                + "&filter.landing_page=" + enc("/pricing/pro"));
        List<Sent> landed = between(from, to, s -> landing.get(s.visitor()).equals("/pricing/pro"));
        assertThat(byLanding.get("visitors").asLong()).isEqualTo(landed.stream().map(Sent::visitor).distinct().count());
        assertThat(goalIn(byLanding.get("goals"), thanks).get("achievers").asLong()).isEqualTo(expected(landed, thanks, true).achievers());
    }

    @Test
    void breakdownByChannelSplitsVisitorsAndAchievements() throws Exception {
        List<Sent> range = between(from, to, s -> true);
        Map<String, String> channel = firstValue(range, s -> s.entry() == null ? "internal" : s.entry().channel);
        JsonNode r = getJson("/api/pixels/" + shop.id() + "/report/breakdown?dimension=channel&from=" + from + "&to=" + to);
        Map<String, Long> expectedVisitors = channel.values().stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        Map<String, Long> actualVisitors = new HashMap<>();
        for (JsonNode row : r.get("rows")) {
            String value = row.get("value").asText();
            actualVisitors.put(value, row.get("visitors").asLong());
            List<Sent> of = between(from, to, s -> channel.get(s.visitor()).equals(value));
            for (String goal : List.of(signup, purchase, thanks)) {
                Expected e = expected(of, goal, once(goal));
                JsonNode g = goalIn(row.get("goals"), goal);
                assertThat(g.get("achievements").asLong()).as(value + " " + goal).isEqualTo(e.achievements());
                assertThat(g.get("achievers").asLong()).isEqualTo(e.achievers());
                assertThat(g.get("totalValue").asDouble()).isCloseTo(e.value(), within(1e-6));
                assertThat(g.get("conversionRate").asDouble()).isCloseTo((double) e.achievers() / row.get("visitors").asLong(), within(1e-9));
            }
        }
        assertThat(actualVisitors).isEqualTo(expectedVisitors);
    }

    @Test
    void attributionCreditsTheFirstOrTheLastTouchInTheWindow() throws Exception {
        Map<String, Map<String, double[]>> byModel = new HashMap<>();
        for (String model : List.of("first", "last")) {
            JsonNode r = getJson("/api/pixels/" + shop.id() + "/report/attribution?goal=" + purchase + "&model=" + model
                    + "&lookbackDays=30&from=" + from + "&to=" + to);
            Map<String, double[]> expected = new HashMap<>();
            List<Sent> all = sent.stream().sorted(Comparator.comparingLong(Sent::time)).toList();
            for (Sent s : between(from, to, x -> true)) {
                if (!achieved(s).containsKey(purchase)) {
                    continue;
                }
                List<Sent> touches = all.stream().filter(t -> t.visitor().equals(s.visitor()) && t.entry() != null
                        && t.time() <= s.time() && t.time() >= s.time() - 30L * 86_400_000).toList();
                Sent touch = touches.isEmpty() ? null : model.equals("first") ? touches.get(0) : touches.get(touches.size() - 1);
                String key = touch == null ? "(none)||" : touch.entry().channel + "|" + Objects.toString(touch.entry().source, "")
                        + "|" + Objects.toString(touch.entry().campaign, "");
                double[] sum = expected.computeIfAbsent(key, k -> new double[2]);
                sum[0]++;
                sum[1] += achieved(s).get(purchase) == null ? 0 : achieved(s).get(purchase);
            }
            Map<String, double[]> actual = new HashMap<>();
            for (JsonNode row : r.get("rows")) {
                actual.put(row.get("channel").asText() + "|" + row.path("source").asText("") + "|" + row.path("campaign").asText(""),
                        new double[]{row.get("achievements").asDouble(), row.get("value").asDouble()});
            }
            byModel.put(model, expected);
            assertThat(actual.keySet()).as(model).isEqualTo(expected.keySet());
            expected.forEach((k, v) -> {
                assertThat(actual.get(k)[0]).as(model + " " + k).isEqualTo(v[0]);
                assertThat(actual.get(k)[1]).as(model + " " + k).isCloseTo(v[1], within(1e-6));
            });
        }
        // the data has visitors who came back through a second campaign before buying
        assertThat(byModel.get("first").get("email|crm|reminder")).isNull();
        assertThat(byModel.get("last").get("email|crm|reminder")).isNotNull();
    }

    @Test
    void everyTableAsCsvMatchesItsJson() throws Exception {
        String q = "from=" + from + "&to=" + to;
        JsonNode json = getJson("/api/pixels/" + shop.id() + "/report?" + q);
        HttpResponse<String> csv = speck.get("/api/pixels/" + shop.id() + "/report?format=csv&" + q);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<List<String>> rows = Csv.parse(csv.body());
        assertThat(rows.get(0)).containsExactly("goal", "name", "counting", "currency", "visitors", "achievements",
                "achievers", "conversion_rate", "total_value", "average_value");
        assertThat(rows).hasSize(1 + json.get("goals").size());
        for (List<String> row : rows.subList(1, rows.size())) {
            JsonNode g = goalIn(json.get("goals"), row.get(0));
            assertThat(row.get(1)).isEqualTo(g.get("name").asText());
            assertThat(Long.parseLong(row.get(4))).isEqualTo(json.get("visitors").asLong());
            assertThat(Long.parseLong(row.get(5))).isEqualTo(g.get("achievements").asLong());
            assertThat(Long.parseLong(row.get(6))).isEqualTo(g.get("achievers").asLong());
            assertThat(Double.parseDouble(row.get(7))).isEqualTo(g.get("conversionRate").asDouble());
            assertThat(Double.parseDouble(row.get(8))).isEqualTo(g.get("totalValue").asDouble());
        }

        JsonNode bj = getJson("/api/pixels/" + shop.id() + "/report/breakdown?dimension=landing_page&" + q);
        List<List<String>> bc = Csv.parse(speck.get("/api/pixels/" + shop.id() + "/report/breakdown?dimension=landing_page&format=csv&" + q).body());
        int line = 1;
        for (JsonNode row : bj.get("rows")) {
            for (JsonNode g : row.get("goals")) {
                List<String> c = bc.get(line++);
                assertThat(c.get(0)).isEqualTo(row.get("value").asText());
                assertThat(Long.parseLong(c.get(1))).isEqualTo(row.get("visitors").asLong());
                assertThat(c.get(2)).isEqualTo(g.get("goal").asText());
                assertThat(Long.parseLong(c.get(4))).isEqualTo(g.get("achievements").asLong());
            }
        }
        assertThat(bc).hasSize(line);

        JsonNode aj = getJson("/api/pixels/" + shop.id() + "/report/attribution?goal=" + purchase + "&model=first&" + q);
        List<List<String>> ac = Csv.parse(speck.get("/api/pixels/" + shop.id() + "/report/attribution?goal=" + purchase
                + "&model=first&format=csv&" + q).body());
        assertThat(ac).hasSize(1 + aj.get("rows").size());
        for (int i = 0; i < aj.get("rows").size(); i++) {
            assertThat(ac.get(i + 1).get(0)).isEqualTo(aj.get("rows").get(i).get("channel").asText());
            assertThat(Long.parseLong(ac.get(i + 1).get(3))).isEqualTo(aj.get("rows").get(i).get("achievements").asLong());
        }

        List<List<String>> sc = Csv.parse(speck.get("/api/pixels/" + shop.id() + "/report?format=csv&table=series&" + q).body());
        assertThat(sc).hasSize(5);
        assertThat(sc.get(0).subList(0, 2)).containsExactly("start", "visitors");
    }

    @Test
    void reportsReadFromTheVisitorRollupAgreeWithReportsFromTheEventsAndSeeLateHits() throws Exception {
        String q = "from=" + from + "&to=" + to + "&compare=previous&filter.device_class=Desktop";
        String base = "/api/pixels/" + shop.id() + "/report";
        List<String> paths = List.of(base + "?" + q, base + "?interval=week&" + q, base + "/breakdown?dimension=landing_page&" + q,
                base + "/attribution?goal=" + purchase + "&" + q);
        List<JsonNode> fromEvents = new ArrayList<>();
        for (String path : paths) {
            fromEvents.add(getJson(path));
        }
        speck.app().rollup().runOnce();
        assertThat(speck.count("SELECT count(*) FROM rolled_days WHERE pixel = '" + shop.id() + "'")).isPositive();
        for (int i = 0; i < paths.size(); i++) {
            assertThat(getJson(paths.get(i))).as(paths.get(i)).isEqualTo(fromEvents.get(i));
        }

        // a hit backfilled into a rolled-up day counts at once, before the day is rolled up again
        Pixel late = speck.createPixel("late", List.of());
        long t = from.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli() + 3_600_000;
        speck.getBytes("/p/" + late.id() + ".gif?ts=" + t + "&u=" + enc(SITE + "/"), "User-Agent", CHROME,
                "X-Forwarded-For", "192.0.2.1", "X-Speck-Backfill", TOKEN);
        speck.awaitEvents(late.id(), 1);
        speck.app().rollup().runOnce();
        speck.getBytes("/p/" + late.id() + ".gif?ts=" + (t + 1000) + "&u=" + enc(SITE + "/"), "User-Agent", IPHONE,
                "X-Forwarded-For", "192.0.2.2", "X-Speck-Backfill", TOKEN);
        speck.awaitEvents(late.id(), 2);
        assertThat(getJson("/api/pixels/" + late.id() + "/report?from=" + from + "&to=" + to).get("visitors").asLong()).isEqualTo(2);
        speck.app().rollup().runOnce();
        assertThat(getJson("/api/pixels/" + late.id() + "/report?from=" + from + "&to=" + to).get("visitors").asLong()).isEqualTo(2);
        assertThat(speck.count("SELECT count(*) FROM visitor_days WHERE pixel = '" + late.id() + "'")).isEqualTo(2);
    }

    @Test
    void aPixelWithoutGoalsReportsItsEventsByKindAndName() throws Exception {
        Pixel bare = speck.createPixel("bare", List.of());
        long t = from.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli() + 60_000;
        String[][] hits = {{"event", "newsletter_signup", "1.1.1.1"}, {"event", "newsletter_signup", "1.1.1.2"},
                {"event", "newsletter_signup", "1.1.1.2"}, {"goal", "purchase", "1.1.1.3"}};
        for (String[] h : hits) {
            speck.getBytes("/p/" + bare.id() + ".gif?k=" + h[0] + "&n=" + h[1] + "&ts=" + (t += 1000) + "&v=5&u=" + enc(SITE + "/"),
                    "User-Agent", CHROME, "X-Forwarded-For", h[2], "X-Speck-Backfill", TOKEN);
        }
        speck.awaitEvents(bare.id(), hits.length);
        JsonNode r = getJson("/api/pixels/" + bare.id() + "/report?from=" + from + "&to=" + to);
        assertThat(r.get("goalsDefined").asBoolean()).isFalse();
        assertThat(r.get("visitors").asLong()).isEqualTo(3);
        JsonNode signups = goalIn(r.get("goals"), "event:newsletter_signup");
        assertThat(signups.get("achievements").asLong()).isEqualTo(3);
        assertThat(signups.get("achievers").asLong()).isEqualTo(2);
        assertThat(goalIn(r.get("goals"), "goal:purchase").get("totalValue").asDouble()).isEqualTo(5.0);
    }

    /** A minimal RFC 4180 reader, so the test does not trust the writer's own code. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (c != '\r') {
                    field.append(c);
                }
            }
            return rows;
        }
    }
}
