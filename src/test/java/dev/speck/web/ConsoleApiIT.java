package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's API around goals: goal definitions and their limits, pixel deletion, health, test hits, live view. */
class ConsoleApiIT {

    @TempDir
    static Path temp;
    static RunningSpeck speck;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        speck = RunningSpeck.start(temp.resolve("data"), Map.of());
    }

    @AfterAll
    static void stop() {
        speck.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(speck.base() + path))
                .headers(speck.admin().credentials().toArray(String[]::new))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return RunningSpeck.JSON.readTree(r.body());
    }

    @Test
    void goalsAreCreatedReadEditedAndDeleted() throws Exception {
        Pixel p = speck.createPixel("goals", List.of());
        String base = "/api/pixels/" + p.id() + "/goals";
        HttpResponse<String> created = send("POST", base, """
                {"name":"Order","rule":{"type":"page_url","match":"starts_with","value":"/order/done"},
                 "value":{"type":"from_hit","min":0,"max":1000},"currency":"CHF","counting":"once_per_visitor"}""");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode g = json(created);
        assertThat(g.get("version").asInt()).isEqualTo(1);
        assertThat(g.get("rule").get("match").asText()).isEqualTo("starts_with");
        String id = g.get("id").asText();

        JsonNode renamed = json(send("PUT", base + "/" + id, """
                {"name":"Order placed","rule":{"type":"page_url","match":"starts_with","value":"/order/done"},
                 "value":{"type":"from_hit","min":0,"max":1000},"currency":"CHF","counting":"once_per_visitor"}"""));
        assertThat(renamed.get("version").asInt()).as("a new name is not a new rule").isEqualTo(1);
        JsonNode changed = json(send("PUT", base + "/" + id, """
                {"name":"Order placed","rule":{"type":"link_click"}}"""));
        assertThat(changed.get("version").asInt()).isEqualTo(2);
        HttpResponse<String> stale = send("PUT", base + "/" + id, """
                {"name":"Order","rule":{"type":"event","name":"order"},"version":1}""");
        assertThat(stale.statusCode()).as("an edit started from version 1").isEqualTo(409);
        assertThat(json(stale).get("error").asText()).contains("version 2");
        assertThat(json(send("GET", base, null)).get(0).get("name").asText()).isEqualTo("Order placed");
        assertThat(json(send("GET", "/api/pixels/" + p.id(), null)).get("goals").get(0).get("id").asText()).isEqualTo(id);

        assertThat(send("DELETE", base + "/" + id, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", base + "/" + id, null).statusCode()).isEqualTo(404);
        assertThat(speck.count("SELECT count(*) FROM goal_versions WHERE goal_id = '" + id + "'")).as("history stays").isEqualTo(2);
    }

    @Test
    void badGoalsAreRefusedWithAReason() throws Exception {
        Pixel p = speck.createPixel("bad goals", List.of());
        String base = "/api/pixels/" + p.id() + "/goals";
        Map<String, String> bad = Map.of(
                "{\"name\":\"x\",\"rule\":{\"type\":\"regex\"}}", "rule.type",
                "{\"rule\":{\"type\":\"event\",\"name\":\"a\"}}", "name is required",
                "{\"name\":\"x\",\"rule\":{\"type\":\"page_url\",\"match\":\"matches\",\"value\":\"/a*b*c*d*e*f*g*h*i*j\"}}", "wildcards",
                "{\"name\":\"x\",\"rule\":{\"type\":\"event\",\"name\":\"a\"},\"currency\":\"euro\"}", "currency",
                "{\"name\":\"x\",\"rule\":{\"type\":\"event\",\"name\":\"a\"},\"value\":{\"type\":\"from_hit\",\"min\":5,\"max\":1}}", "min",
                "{\"name\":\"" + "n".repeat(200) + "\",\"rule\":{\"type\":\"event\",\"name\":\"a\"}}", "longer than",
                "not json", "not valid JSON");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            HttpResponse<String> r = send("POST", base, b.getKey());
            assertThat(r.statusCode()).as(b.getKey()).isEqualTo(400);
            assertThat(json(r).get("error").asText()).contains(b.getValue());
        }
        for (int i = 0; i < 100; i++) {
            assertThat(send("POST", base, "{\"name\":\"g" + i + "\",\"rule\":{\"type\":\"event\",\"name\":\"e" + i + "\"}}")
                    .statusCode()).isEqualTo(201);
        }
        HttpResponse<String> tooMany = send("POST", base, "{\"name\":\"one more\",\"rule\":{\"type\":\"event\",\"name\":\"x\"}}");
        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(json(tooMany).get("error").asText()).contains("at most 100 goals");
    }

    @Test
    void badReportRequestsAreRefusedWithAReason() throws Exception {
        Pixel p = speck.createPixel("bad reports", List.of());
        String base = "/api/pixels/" + p.id() + "/report";
        for (String q : List.of("?filter.email=x", "?interval=minute", "?from=2026-13-01", "?from=2020-01-01&to=2026-01-01",
                "?interval=hour&from=2026-01-01&to=2026-12-31", "/breakdown?dimension=ip", "/attribution", "?format=xml",
                "?compare=next")) {
            HttpResponse<String> r = send("GET", base + q, null);
            assertThat(r.statusCode()).as(q).isBetween(400, 404);
            assertThat(json(r).get("error").asText()).isNotBlank();
        }
    }

    @Test
    void deletingAPixelRemovesItAndItsGoalsButKeepsItsEvents() throws Exception {
        Pixel p = speck.createPixel("short-lived", List.of());
        send("POST", "/api/pixels/" + p.id() + "/goals", "{\"name\":\"g\",\"rule\":{\"type\":\"event\",\"name\":\"e\"}}");
        speck.getBytes("/p/" + p.id() + ".gif?k=event&n=e");
        speck.awaitEvents(p.id(), 1);

        assertThat(send("DELETE", "/api/pixels/" + p.id(), null).statusCode()).isEqualTo(200);

        assertThat(send("GET", "/api/pixels/" + p.id(), null).statusCode()).isEqualTo(404);
        assertThat(speck.app().goals().goals(p.id())).isEmpty();
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + p.id() + "'")).isEqualTo(1);
        assertThat(speck.count("SELECT count(*) FROM visible.goal_achievements WHERE pixel = '" + p.id() + "'")).isEqualTo(1);
        assertThat(speck.count("SELECT count(*) FROM pixels WHERE id = '" + p.id() + "'")).isZero();
    }

    @Test
    void healthShowsHitsAndRejectionsOfThePixel() throws Exception {
        Pixel p = speck.createPixel("watched", List.of());
        speck.getBytes("/p/" + p.id() + ".gif");
        speck.getBytes("/p/" + p.id() + ".gif?k=goal&n=buy&v=not-a-number"); // a goal's value is required to be a number
        speck.awaitEvents(p.id(), 1);
        JsonNode h = json(send("GET", "/api/pixels/" + p.id() + "/health", null));
        assertThat(h.get("hitsToday").asLong()).isEqualTo(1);
        assertThat(h.get("acceptedSinceStart").asLong()).isEqualTo(1);
        assertThat(h.get("lastHitSeen").asText()).isNotBlank();
        assertThat(h.get("rejectionsSinceStart").get("malformed_request").asLong()).isEqualTo(1);
    }

    @Test
    void aTestHitArrivesInTheLiveViewMarkedAsATest() throws Exception {
        Pixel p = speck.createPixel("live", List.of());
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(
                HttpRequest.newBuilder(URI.create(speck.base() + "/api/pixels/" + p.id() + "/live"))
                        .headers(speck.admin().credentials().toArray(String[]::new)).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> live = stream.get();
        assertThat(live.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        Thread reader = Thread.ofVirtual().start(() -> live.body().forEach(lines::add));
        RunningSpeck.await(() -> !lines.isEmpty(), "the stream to open");

        HttpResponse<String> fired = send("POST", "/api/pixels/" + p.id() + "/test", null);
        assertThat(fired.statusCode()).isEqualTo(202);

        RunningSpeck.await(() -> lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("speck_test")),
                "the test hit in the live view");
        String data = lines.stream().filter(l -> l.contains("speck_test")).findFirst().orElseThrow();
        assertThat(RunningSpeck.JSON.readTree(data.substring(5)).get("test").asBoolean()).isTrue();
        // the worker that opened the stream is free again: other API calls are answered
        assertThat(send("GET", "/api/pixels", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/pixels", null).statusCode()).isEqualTo(200);
        live.body().close();
        reader.interrupt();
    }

    @Test
    void openApiDocumentDescribesEveryRoute() throws Exception {
        HttpResponse<String> r = send("GET", "/api/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = json(r);
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").fieldNames()).toIterable().contains("/api/pixels", "/api/pixels/{id}",
                "/api/pixels/{id}/goals", "/api/pixels/{id}/goals/{goalId}", "/api/pixels/{id}/report",
                "/api/pixels/{id}/report/breakdown", "/api/pixels/{id}/report/attribution", "/api/pixels/{id}/live",
                "/api/pixels/{id}/health", "/api/pixels/{id}/test", "/api/pixels/{id}/stats", "/api/pixels/{id}/events",
                "/api/links", "/api/links/{code}/sign", "/api/openapi.json", "/healthz", "/metrics");
    }
}
