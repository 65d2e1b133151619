package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Role;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segments over real HTTP: a rule checked, backfilled over stored hits and kept current as hits
 * arrive; an entry starting a trigger's webhook; a list uploaded by API and CSV; the members pull
 * API; erasure taking a customer out of every segment.
 */
class SegmentsIT {

    @TempDir
    static Path dataDir;
    private static RunningSpeck speck;

    @BeforeAll
    static void startSpeck() throws Exception {
        speck = RunningSpeck.start(dataDir, Map.of("collect.trusted-proxies", "127.0.0.1/32", "segments.interval", "1s",
                "deliver.allow-private", "127.0.0.1/32"));
        speck.awaitLoaderWarm();
    }

    @AfterAll
    static void stopSpeck() {
        speck.close();
    }

    /** A person's browser at {@code address}: one cookieless visitor per address. */
    private static void view(String pixel, String address, String path) throws Exception {
        RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", "/p/" + pixel + ".gif?u="
                        + java.net.URLEncoder.encode("https://shop.example" + path, java.nio.charset.StandardCharsets.UTF_8),
                "User-Agent: " + RunningSpeck.BROWSER + "\r\nX-Forwarded-For: " + address + "\r\n", null);
        assertThat(r.status()).isEqualTo(200);
    }

    private static JsonNode members(String pixel, String segment) throws Exception {
        HttpResponse<String> r = speck.get("/api/pixels/" + pixel + "/segments/" + segment + "/members");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("members");
    }

    @Test
    void aRuleIsCheckedBackfilledAndKeptCurrentAndItsEntriesStartATrigger() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String pixel = speck.createPixel("segments", List.of()).id();
            String base = "/api/pixels/" + pixel + "/segments";
            HttpResponse<String> bad = speck.post(base, "{\"name\":\"x\",\"rule\":{\"days\":7,\"criteria\":[{\"did\":\"page\","
                    + "\"path\":\"/pricing*\",\"days\":30}]}}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("at most rule.days");
            HttpResponse<String> badTotal = speck.post(base, "{\"name\":\"x\",\"rule\":{\"criteria\":[{\"did\":\"goal\",\"goal\":\"*\","
                    + "\"total\":\"10\"}]}}");
            assertThat(JSON.readTree(badTotal.body()).get("error").asText()).contains("currency");

            // stored before the segment exists: the backfill finds it
            view(pixel, "81.2.69.10", "/pricing");
            view(pixel, "81.2.69.10", "/pricing/team");
            view(pixel, "81.2.69.20", "/pricing");
            view(pixel, "81.2.69.30", "/about");
            speck.awaitEvents(pixel, 4);
            HttpResponse<String> created = speck.post(base, "{\"name\":\"Pricing twice\",\"rule\":{\"who\":\"anyone\",\"days\":7,"
                    + "\"criteria\":[{\"did\":\"page\",\"path\":\"/pricing*\",\"times\":2}]}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode segment = JSON.readTree(created.body());
            String id = segment.get("id").asText();
            assertThat(segment.get("size").asInt()).isEqualTo(1);
            assertThat(members(pixel, id)).hasSize(1);

            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HttpResponse<String> trigger = speck.post("/api/pixels/" + pixel + "/triggers", "{\"name\":\"Entered\",\"who\":\"anyone\","
                    + "\"when\":{\"kind\":\"segment_entered\",\"segment\":\"" + id + "\"},\"action\":{\"type\":\"webhook\",\"url\":\"" + url + "\"}}");
            assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(201);

            // live: the second visitor's second look makes them a member within a few seconds, and fires
            view(pixel, "81.2.69.20", "/pricing");
            RunningSpeck.await(() -> {
                try {
                    return members(pixel, id).size() == 2;
                } catch (Exception e) {
                    return false;
                }
            }, "the second visitor to enter the segment");
            RunningSpeck.await(() -> !received.isEmpty(), "the segment trigger's webhook");
            JsonNode hook = JSON.readTree(received.get(0));
            assertThat(hook.get("segment").get("id").asText()).isEqualTo(id);
            assertThat(hook.get("segment").get("change").asText()).isEqualTo("entered");
            assertThat(hook.has("customer")).isFalse();
            assertThat(received).hasSize(1); // the backfilled member entered before the trigger existed

            JsonNode detail = JSON.readTree(speck.get(base + "/" + id).body());
            assertThat(detail.get("size").asInt()).isEqualTo(2);
            assertThat(detail.get("sizes")).isNotEmpty();
            assertThat(detail.get("changes").get(0).get("change").asText()).isEqualTo("entered");
            assertThat(speck.get("/api/audit").body()).contains("segment.create");

            // a segment filters reports: its members' visitors only, in the overview and a breakdown
            String report = "/api/pixels/" + pixel + "/report";
            assertThat(JSON.readTree(speck.get(report).body()).get("visitors").asLong()).isEqualTo(3);
            assertThat(JSON.readTree(speck.get(report + "?segment=" + id).body()).get("visitors").asLong()).isEqualTo(2);
            JsonNode byChannel = JSON.readTree(speck.get(report + "/breakdown?dimension=channel&segment=" + id).body());
            assertThat(byChannel.toString()).contains("\"visitors\":2");
            assertThat(speck.get(report + "?segment=sg_nope").statusCode()).isEqualTo(400);

            // a changed rule is backfilled again: three looks now, nobody qualifies
            HttpResponse<String> changed = speck.request("PUT", base + "/" + id, "{\"name\":\"Pricing thrice\",\"rule\":{\"who\":\"anyone\","
                    + "\"days\":7,\"criteria\":[{\"did\":\"page\",\"path\":\"/pricing*\",\"times\":3}]}}");
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(JSON.readTree(changed.body()).get("left").asInt()).isEqualTo(2);
            assertThat(members(pixel, id)).isEmpty();

            assertThat(speck.as(Role.VIEWER).status("DELETE", base + "/" + id, null)).isEqualTo(403);
            assertThat(speck.request("DELETE", base + "/" + id, null).statusCode()).isEqualTo(200);
            assertThat(speck.get(base + "/" + id).statusCode()).isEqualTo(404);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aListTakesCustomersByApiAndCsvPagesThemAndLosesAnErasedOne() throws Exception {
        String pixel = speck.createPixel("lists", List.of()).id();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> c = speck.post("/api/customers", "{\"externalId\":\"crm-" + i + "\",\"email\":\" Person" + i
                    + "@Example.com\",\"name\":\"Person " + i + "\",\"attributes\":{\"consent_marketing\":\"" + (i % 2 == 0 ? "yes" : "no")
                    + "\",\"phone\":\"030 1234567" + i + "\"}}", "Content-Type", "application/json");
            assertThat(c.statusCode()).as(c.body()).isIn(200, 201);
            ids.add(JSON.readTree(c.body()).get("customers").get(0).get("id").asText());
        }
        String base = "/api/pixels/" + pixel + "/segments";
        HttpResponse<String> created = speck.post(base, "{\"name\":\"VIP\",\"kind\":\"list\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();

        HttpResponse<String> added = speck.post(base + "/" + id + "/members",
                "{\"add\":[\"person0@example.com\",\"crm-1\",\"" + ids.get(2) + "\",\"nobody@example.com\"]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        JsonNode a = JSON.readTree(added.body());
        assertThat(a.get("added").asInt()).isEqualTo(3);
        assertThat(a.get("unknown").asInt()).isEqualTo(1);
        HttpResponse<String> csv = speck.post(base + "/" + id + "/members", "email\nperson3@example.com\n\"person4@example.com\"\n"
                + "person0@example.com\n", "Content-Type", "text/csv");
        assertThat(JSON.readTree(csv.body()).get("added").asInt()).as(csv.body()).isEqualTo(2);

        // pages of two: every member once, in a stable order
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = JSON.readTree(speck.get(base + "/" + id + "/members?limit=2" + (after == null ? "" : "&after=" + after)).body());
            page.get("members").forEach(m -> seen.add(m.get("person").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

        // exports: customers without consent for marketing are left out; Meta's file holds hashed identifiers only
        HttpResponse<String> csvFile = speck.get(base + "/" + id + "/export?format=csv");
        assertThat(csvFile.statusCode()).as(csvFile.body()).isEqualTo(200);
        assertThat(csvFile.headers().firstValue("Speck-Export-No-Consent")).hasValue("2");
        assertThat(csvFile.body()).contains("person0@example.com").doesNotContain("person1@example.com");
        HttpResponse<String> meta = speck.get(base + "/" + id + "/export?format=meta&country=DE");
        assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);
        String hashed = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("person2@example.com".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(meta.body()).contains(hashed).doesNotContain("example.com");
        assertThat(meta.headers().firstValue("Speck-Export-Written")).hasValue("3");
        assertThat(speck.get(base + "/" + id + "/export?format=tiktok").statusCode()).isEqualTo(400);
        HttpResponse<String> paged = speck.get(base + "/" + id + "/export?format=json&limit=2");
        assertThat(paged.headers().firstValue("Speck-Next-After")).isPresent();

        HttpResponse<String> removed = speck.post(base + "/" + id + "/members", "{\"remove\":[\"crm-1\"]}");
        assertThat(JSON.readTree(removed.body()).get("removed").asInt()).isEqualTo(1);
        assertThat(speck.request("DELETE", "/api/customers/" + ids.get(0), null).statusCode()).isEqualTo(200);
        assertThat(members(pixel, id)).extracting(m -> m.get("person").asText())
                .containsExactlyInAnyOrder(ids.get(2), ids.get(3), ids.get(4));

        HttpResponse<String> ruleMembers = speck.post(base + "/" + id + "/members", "garbage", "Content-Type", "application/json");
        assertThat(ruleMembers.statusCode()).isEqualTo(400);
    }
}
