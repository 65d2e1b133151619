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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Classic SQL injection payloads through every query parameter of every read under
 * /api/pixels/{id}/..., through the path, and through the JSON bodies of the writes. Each answer
 * is a 4xx with an error, or a normal result no wider than the payload taken as plain data allows
 * (known counts: a spliced {@code ' OR '1'='1} would let every visitor through a filter); the tables
 * are intact afterwards, and payloads sent as names come back exactly as sent.
 */
class SqlInjectionIT {

    /** Stored as a real visitor's campaign: as a filter it must match that one visitor, no more, no less. */
    private static final String STORED = "x' OR '1'='1";
    private static final List<String> PAYLOADS = List.of(
            "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE events; --", "\") OR 1=1 --", "1 OR 1=1", "1; DELETE FROM pixels",
            "spring' --", "spring'/*", "spring') OR ('a'='a", "’ OR ‘1’=‘1", "ʼ OR ʼ1ʼ=ʼ1", "\\' OR 1=1 --",
            "x\u0000' OR '1'='1", "%' OR '%'='", "(none)' OR '(none)'='(none)", "' UNION SELECT * FROM pixels --",
            "2026-01-01' OR '1'='1", "day', time)) --", "' || (SELECT count(*) FROM visible.events) || '",
            "' OR '1'='1 ".repeat(250), STORED);
    /** The classics, for every parameter; all payloads go through the campaign filter and the goal. */
    private static final List<String> CLASSIC = List.of("' OR '1'='1", "'; DROP TABLE events; --", "\") OR 1=1 --",
            "’ OR ‘1’=‘1", "x\u0000' OR '1'='1", "' OR '1'='1 ".repeat(250), "' UNION SELECT * FROM pixels --", "1 OR 1=1");
    private static final String[] DIMENSIONS = {"channel", "source", "utm_campaign", "utm_medium", "landing_page",
            "country", "device_class", "browser", "os"};

    private static RunningSpeck speck;
    private static Pixel withGoals;
    private static Pixel withoutGoals;
    private static String goalId;
    private static long events;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of("collect.trusted-proxies", "127.0.0.1/32"));
        withGoals = speck.createPixel("with goals", List.of());
        withoutGoals = speck.createPixel("without goals", List.of());
        HttpResponse<String> goal = speck.post("/api/pixels/" + withGoals.id() + "/goals",
                "{\"name\":\"Purchase\",\"rule\":{\"type\":\"event\",\"name\":\"purchase\"},\"value\":{\"type\":\"fixed\",\"amount\":10}}");
        assertThat(goal.statusCode()).isEqualTo(201);
        goalId = JSON.readTree(goal.body()).get("id").asText();

        // Three visitors: two from the spring campaign (one buys), one from a campaign named like an injection.
        for (Pixel p : List.of(withGoals, withoutGoals)) {
            hit(p, "203.0.113.1", "k=page_view&u=" + enc("https://shop.example.com/?utm_campaign=spring"));
            hit(p, "203.0.113.1", "k=event&n=purchase&u=" + enc("https://shop.example.com/buy"));
            hit(p, "203.0.113.2", "k=page_view&u=" + enc("https://shop.example.com/?utm_campaign=spring"));
            hit(p, "203.0.113.3", "k=page_view&u=" + enc("https://shop.example.com/?utm_campaign=" + enc(STORED)));
        }
        speck.awaitEvents(withGoals.id(), 4);
        speck.awaitEvents(withoutGoals.id(), 4);
        events = speck.count("SELECT count(*) FROM visible.events");
        assertThat(events).isEqualTo(8);

        // The known counts the payloads are compared with: the filters work, and the stored campaign is plain data.
        String report = "/api/pixels/" + withGoals.id() + "/report";
        assertThat(visitors(speck.get(report))).isEqualTo(3);
        assertThat(visitors(speck.get(report + "?filter.utm_campaign=spring"))).isEqualTo(2);
        assertThat(visitors(speck.get(report + "?filter.utm_campaign=" + enc(STORED)))).isEqualTo(1);
        assertThat(visitors(speck.get(report + "?filter.utm_campaign=nothing"))).isEqualTo(0);
        assertThat(achievements(speck.get(report + "/attribution?goal=" + goalId))).isEqualTo(1);
        assertThat(achievements(speck.get("/api/pixels/" + withoutGoals.id() + "/report/attribution?goal=event:purchase")))
                .isEqualTo(1);
    }

    @AfterAll
    static void stop() {
        if (speck != null) {
            speck.close();
            speck = null; // a static field outlives the class's tests: let the stopped Speck (and its parsers) go
        }
    }

    @Test
    void everyQueryParameterOfEveryReadTakesPayloadsAsDataOrRefusesThem() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Pixel p : List.of(withGoals, withoutGoals)) {
            String base = "/api/pixels/" + p.id();
            String goal = p == withGoals ? goalId : "event:purchase";
            // Each read with the parameters it needs; a payload replaces one parameter (or adds it).
            Map<String, Map<String, String>> routes = Map.of(
                    base + "/stats", params("from", null, "to", null),
                    base + "/hours", params("from", null, "to", null),
                    base + "/events", params("limit", null, "before", null),
                    base + "/report", withFilters(params("from", null, "to", null, "interval", null, "compare", null,
                            "table", null, "format", null)),
                    base + "/report/breakdown", withFilters(params("dimension", "utm_campaign", "limit", null,
                            "from", null, "to", null, "format", null)),
                    base + "/report/attribution", withFilters(params("goal", goal, "model", null, "lookbackDays", null,
                            "from", null, "to", null, "format", null)));
            for (Map.Entry<String, Map<String, String>> route : routes.entrySet()) {
                for (String param : route.getValue().keySet()) {
                    boolean thorough = param.equals("filter.utm_campaign") || param.equals("goal");
                    for (String payload : thorough ? PAYLOADS : CLASSIC) {
                        // the CSV variants run the same SQL: the thorough parameters go through them too
                        for (String format : thorough ? new String[]{"json", "csv"} : new String[]{"json"}) {
                            Map<String, String> query = new java.util.LinkedHashMap<>(route.getValue());
                            query.values().removeIf(v -> v == null);
                            query.put("format", format);
                            query.put(param, payload);
                            String path = route.getKey() + "?" + String.join("&", query.entrySet().stream()
                                    .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).toList());
                            check(path, param, payload);
                            checked.add(path);
                        }
                    }
                }
            }
            for (String payload : PAYLOADS) { // a payload as the parameter's name
                String path = base + "/report?filter." + enc(payload) + "=spring";
                assertThat(speck.get(path).statusCode()).as(path).isEqualTo(400);
            }
        }
        assertThat(checked).hasSizeGreaterThan(800);
        assertTablesIntact();
    }

    @Test
    void payloadsInThePathFindNothing() throws Exception {
        for (String payload : PAYLOADS) {
            String segment = URLEncoder.encode(payload, StandardCharsets.UTF_8).replace("+", "%20");
            for (String path : List.of("/api/pixels/" + segment, "/api/pixels/" + segment + "/report",
                    "/api/pixels/" + segment + "/events", "/api/pixels/" + withGoals.id() + "/goals/" + segment,
                    "/api/links/" + segment + "/sign")) {
                HttpResponse<String> r = path.endsWith("/sign") ? speck.post(path, "{\"recipient\":\"a\"}") : speck.get(path);
                assertThat(r.statusCode()).as(path).isIn(400, 404);
                assertThat(JSON.readTree(r.body()).get("error").asText()).as(path).isNotBlank();
            }
            HttpResponse<String> links = speck.get("/api/links?pixel=" + enc(payload));
            if (payload.indexOf('\u0000') >= 0) {
                assertThat(links.statusCode()).isEqualTo(400); // a NUL in a query is refused before any route
                assertThat(JSON.readTree(links.body()).get("error").asText()).contains("malformed");
            } else {
                assertThat(links.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(links.body())).as("links of pixel %s", payload).isEmpty();
            }
        }
        assertTablesIntact();
    }

    @Test
    void payloadsInJsonBodiesAreStoredAsTheyWereSentOrRefused() throws Exception {
        Pixel scratch = speck.createPixel("scratch", List.of());
        for (String payload : PAYLOADS) {
            String json = JSON.writeValueAsString(payload);
            String name = payload.length() > 200 ? payload.substring(0, 200) : payload;

            HttpResponse<String> created = speck.post("/api/pixels", "{\"name\":" + JSON.writeValueAsString(name) + "}");
            assertThat(created.statusCode()).as(payload + " " + created.body()).isEqualTo(201);
            String id = JSON.readTree(created.body()).get("id").asText();
            assertThat(JSON.readTree(speck.get("/api/pixels/" + id).body()).get("name").asText()).isEqualTo(name.strip());
            assertThat(speck.request("DELETE", "/api/pixels/" + id, null).statusCode()).isEqualTo(200);

            refusedOrStored(speck.post("/api/pixels", "{\"name\":\"n\",\"allowedOrigins\":[" + json + "]}"), 400);
            HttpResponse<String> renamed = speck.request("PATCH", "/api/pixels/" + scratch.id(),
                    "{\"name\":" + JSON.writeValueAsString(name) + ",\"enabled\":" + json + "}");
            assertThat(renamed.statusCode()).as(payload).isEqualTo(200);
            assertThat(JSON.readTree(renamed.body()).get("name").asText()).isEqualTo(name.strip());

            HttpResponse<String> goal = speck.post("/api/pixels/" + scratch.id() + "/goals", "{\"name\":" + json
                    + ",\"rule\":{\"type\":\"event\",\"name\":" + json + "},\"value\":{\"type\":\"none\"}}");
            if (refusedOrStored(goal, 201)) {
                JsonNode g = JSON.readTree(goal.body());
                assertThat(g.get("name").asText()).isEqualTo(payload.strip());
                HttpResponse<String> put = speck.request("PUT", "/api/pixels/" + scratch.id() + "/goals/" + g.get("id").asText(),
                        "{\"name\":\"renamed\",\"rule\":{\"type\":\"page_url\",\"match\":" + json + ",\"value\":" + json
                                + "},\"value\":{\"type\":\"none\"}}");
                refusedOrStored(put, 200);
                assertThat(speck.request("DELETE", "/api/pixels/" + scratch.id() + "/goals/" + g.get("id").asText(), null)
                        .statusCode()).isEqualTo(200);
            }

            refusedOrStored(speck.post("/api/links", "{\"pixel\":" + json + ",\"destination\":\"https://shop.example.com/\"}"), 400);
            HttpResponse<String> link = speck.post("/api/links", "{\"pixel\":\"" + scratch.id()
                    + "\",\"destination\":\"https://shop.example.com/?q=" + enc(name) + "\",\"utm\":{\"campaign\":"
                    + JSON.writeValueAsString(name) + "}}");
            assertThat(link.statusCode()).as(payload + " " + link.body()).isEqualTo(201);
            assertThat(JSON.readTree(link.body()).get("campaign").asText()).isEqualTo(name);
            String code = JSON.readTree(link.body()).get("code").asText();
            refusedOrStored(speck.post("/api/links/" + code + "/sign", "{\"recipient\":" + json + "}"), 200);
        }
        assertThat(speck.count("SELECT count(*) FROM links WHERE pixel = '" + scratch.id() + "'")).isEqualTo(PAYLOADS.size());
        assertTablesIntact();
    }

    // ---- checks

    private static void check(String path, String param, String payload) throws Exception {
        HttpResponse<String> r = speck.get(path);
        assertThat(r.statusCode()).as(path).isLessThan(500);
        if (r.statusCode() >= 400) {
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(path).isNotBlank();
            return;
        }
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        boolean filter = param.startsWith("filter.") || param.equals("goal");
        assertThat(filter).as("a payload in %s was accepted: %s", param, path).isTrue();
        // Taken as data, a payload matches no visitor, except STORED in utm_campaign: the third visitor,
        // who bought nothing. Spliced into SQL, ' OR '1'='1 would let all three through, purchase included.
        long visitors = param.equals("filter.utm_campaign") && payload.equals(STORED) ? 1 : 0;
        boolean csv = r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv");
        if (csv) {
            List<String> lines = Arrays.stream(r.body().split("\r\n")).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            List<String> header = List.of(lines.get(0).split(","));
            boolean hasAchievements = header.contains("achievements");
            long seen = csvSum(lines, header.indexOf(hasAchievements ? "achievements" : "visitors"));
            assertThat(seen).as("what %s lets through", path).isEqualTo(hasAchievements ? 0 : visitors);
        } else if (path.contains("/attribution")) {
            assertThat(achievements(r)).as("what %s lets through", path).isEqualTo(0);
        } else if (path.contains("/breakdown")) {
            long seen = JSON.readTree(r.body()).get("rows").findValues("visitors").stream().mapToLong(JsonNode::asLong).sum();
            assertThat(seen).as("what %s lets through", path).isEqualTo(visitors);
        } else {
            assertThat(visitors(r)).as("what %s lets through", path).isEqualTo(visitors);
        }
    }

    private static long csvSum(List<String> lines, int column) {
        assertThat(column).as("a count column in " + lines.get(0)).isGreaterThanOrEqualTo(0);
        long sum = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            sum += Long.parseLong(fields[column]);
        }
        return sum;
    }

    private static boolean refusedOrStored(HttpResponse<String> r, int success) throws Exception {
        assertThat(r.statusCode()).as(r.request().uri() + " " + r.body()).isIn(success, 400, 404, 409, 413, 422);
        if (r.statusCode() != success) {
            assertThat(JSON.readTree(r.body()).get("error").asText()).isNotBlank();
            return false;
        }
        return true;
    }

    private static void assertTablesIntact() throws Exception {
        assertThat(speck.count("SELECT count(*) FROM visible.events")).isEqualTo(events);
        assertThat(speck.count("SELECT count(*) FROM pixels WHERE id IN ('" + withGoals.id() + "', '" + withoutGoals.id() + "')"))
                .isEqualTo(2);
        assertThat(speck.count("SELECT count(*) FROM goals WHERE id = '" + goalId + "'")).isEqualTo(1);
        assertThat(speck.count("SELECT count(*) FROM visible.goal_achievements")).isEqualTo(1);
        assertThat(visitors(speck.get("/api/pixels/" + withGoals.id() + "/report"))).isEqualTo(3);
    }

    /** Parameter names, each followed by its value when no payload is in it (null: left out). */
    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    private static Map<String, String> withFilters(Map<String, String> params) {
        for (String d : DIMENSIONS) {
            params.put("filter." + d, null);
        }
        return params;
    }

    private static long visitors(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("visitors").asLong();
    }

    private static long achievements(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("rows").findValues("achievements").stream().mapToLong(JsonNode::asLong).sum();
    }

    private static void hit(Pixel p, String ip, String query) throws Exception {
        HttpResponse<byte[]> r = speck.getBytes("/p/" + p.id() + ".gif?" + query, "X-Forwarded-For", ip,
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
