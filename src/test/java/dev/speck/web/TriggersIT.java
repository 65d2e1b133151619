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
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** Triggers over real HTTP: the API checks a definition, keeps it, and a dry run judges stored hits by the live rule. */
class TriggersIT {

    @TempDir
    static Path dataDir;
    private static RunningSpeck speck;

    @BeforeAll
    static void startSpeck() throws Exception {
        speck = RunningSpeck.start(dataDir, Map.of("customers.unsigned-identify", "true", "collect.trusted-proxies", "127.0.0.1/32",
                "deliver.allow-private", "127.0.0.1/32"));
        speck.awaitLoaderWarm();
    }

    @AfterAll
    static void stopSpeck() {
        speck.close();
    }

    private static String purchaseGoal(String pixel) throws Exception {
        HttpResponse<String> r = speck.post("/api/pixels/" + pixel + "/goals", "{\"name\":\"Purchase\",\"rule\":{\"type\":\"event\","
                + "\"name\":\"purchase\"},\"value\":{\"type\":\"from_hit\"},\"currency\":\"EUR\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String definition(String goal, String extra) {
        return "{\"name\":\"Big purchase\",\"when\":{\"kind\":\"goal\",\"goal\":\"" + goal + "\",\"minValue\":\"50\"},"
                + "\"who\":\"customers\",\"limits\":{\"oncePer\":\"1d\"}" + extra + ","
                + "\"action\":{\"type\":\"webhook\",\"url\":\"https://hooks.example/speck\",\"headers\":{\"X-Token\":\"s3cret\"}}}";
    }

    /** A person's browser at {@code address} (a trusted proxy forwards it): one cookieless visitor per address. */
    private static void gif(String address, String target) throws Exception {
        RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", target, "User-Agent: " + RunningSpeck.BROWSER + "\r\n"
                + "X-Forwarded-For: " + address + "\r\n", null);
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void aDefinitionIsCheckedKeptWithoutShowingHeaderValuesAndOnlyEditorsChangeIt() throws Exception {
        String pixel = speck.createPixel("api", List.of()).id();
        String goal = purchaseGoal(pixel);

        HttpResponse<String> unknownGoal = speck.post("/api/pixels/" + pixel + "/triggers", definition("g_nope", ""));
        HttpResponse<String> badOp = speck.post("/api/pixels/" + pixel + "/triggers",
                definition(goal, ",\"conditions\":[{\"field\":\"country\",\"op\":\"like\",\"values\":[\"DE\"]}]"));
        HttpResponse<String> newsletterForAnyone = speck.post("/api/pixels/" + pixel + "/triggers",
                "{\"name\":\"n\",\"who\":\"anyone\",\"when\":{\"kind\":\"page\",\"path\":\"/x\"},\"action\":{\"type\":\"newsletter\","
                        + "\"platform\":\"listmonk\",\"template\":\"3\",\"url\":\"https://lists.example/api/tx\"}}");
        assertThat(unknownGoal.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownGoal.body()).get("error").asText()).contains("names no goal");
        assertThat(badOp.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badOp.body()).get("error").asText()).contains("op is is, is_not");
        assertThat(newsletterForAnyone.statusCode()).isEqualTo(400);

        HttpResponse<String> created = speck.post("/api/pixels/" + pixel + "/triggers", definition(goal, ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode t = JSON.readTree(created.body());
        assertThat(t.get("id").asText()).startsWith("tg_");
        assertThat(t.get("action").get("headers").toString()).isEqualTo("[\"X-Token\"]");
        assertThat(created.body()).doesNotContain("s3cret");
        String path = "/api/pixels/" + pixel + "/triggers/" + t.get("id").asText();

        RunningSpeck.Client viewer = speck.as(Role.VIEWER);
        assertThat(viewer.get("/api/pixels/" + pixel + "/triggers").statusCode()).isEqualTo(200);
        assertThat(viewer.status("DELETE", path, null)).isEqualTo(403);
        assertThat(speck.request("PUT", path, definition(goal, "").replace("Big purchase", "Bigger")).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(speck.get(path).body()).get("name").asText()).isEqualTo("Bigger");
        assertThat(speck.get("/api/audit").body()).contains("trigger.create").contains("trigger.update").doesNotContain("s3cret");
        assertThat(speck.request("DELETE", path, null).statusCode()).isEqualTo(200);
        assertThat(speck.get(path).statusCode()).isEqualTo(404);
    }

    @Test
    void aPersonsPurchaseWorthEnoughReachesTheWebhookSignedWhileOneBelowTheMinimumAndABotsDoNot() throws Exception {
        List<Map<String, String>> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> r = new java.util.HashMap<>();
            r.put("body", new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            for (String h : List.of("Speck-Signature", "Speck-Idempotency-Key", "X-Token", "Content-Type")) {
                r.put(h, exchange.getRequestHeaders().getFirst(h));
            }
            received.add(r);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String pixel = speck.createPixel("webhook", List.of()).id();
            String goal = purchaseGoal(pixel);
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HttpResponse<String> created = speck.post("/api/pixels/" + pixel + "/triggers", "{\"name\":\"Big purchase\","
                    + "\"who\":\"anyone\",\"when\":{\"kind\":\"goal\",\"goal\":\"" + goal + "\",\"minValue\":\"50\"},"
                    + "\"action\":{\"type\":\"webhook\",\"url\":\"" + url + "\",\"headers\":{\"X-Token\":\"s3cret\"}}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String trigger = JSON.readTree(created.body()).get("id").asText();

            gif("81.2.69.142", "/p/" + pixel + ".gif?k=goal&n=purchase&v=80.50&cur=EUR");
            gif("81.2.69.160", "/p/" + pixel + ".gif?k=goal&n=purchase&v=20&cur=EUR");
            RawHttp.once(speck.app().port(), "GET", "/p/" + pixel + ".gif?k=goal&n=purchase&v=99&cur=EUR",
                    "User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\r\n"
                            + "X-Forwarded-For: 81.2.69.192\r\n", null);
            speck.awaitEvents(pixel, 3);
            RunningSpeck.await(() -> received.size() >= 1, "the webhook to arrive");

            // the outbox holds what fired: judged before the hits were stored, so complete now
            JsonNode deliveries = JSON.readTree(speck.get("/api/deliveries?source=" + trigger).body()).get("deliveries");
            assertThat(deliveries).hasSize(1);
            Map<String, String> hook = received.get(0);
            JsonNode body = JSON.readTree(hook.get("body"));
            assertThat(body.get("type").asText()).isEqualTo("trigger.fired");
            assertThat(body.get("goal").get("value").decimalValue()).isEqualByComparingTo("80.50");
            assertThat(body.has("customer")).isFalse();
            assertThat(hook.get("Speck-Idempotency-Key")).isEqualTo(body.get("id").asText()).startsWith(trigger + ":");
            assertThat(hook.get("X-Token")).isEqualTo("s3cret");
            String secret = JSON.readTree(speck.get("/api/delivery-secret?target="
                    + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8)).body()).get("secret").asText();
            String[] signature = hook.get("Speck-Signature").split(",");
            String t = signature[0].substring(2);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = java.util.HexFormat.of().formatHex(
                    mac.doFinal((t + "." + hook.get("body")).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(signature[1]).isEqualTo("v1=" + expected);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aDryRunCountsWhatWouldHaveFiredForPeopleOnlyOncePerCustomerAndDay() throws Exception {
        String pixel = speck.createPixel("dry", List.of()).id();
        String goal = purchaseGoal(pixel);
        // Ada buys twice (the second held back by once a day), Bob once below the minimum, an anonymous buyer
        // is no customer, and a crawler's purchase is not a person's
        gif("81.2.69.142", "/p/" + pixel + ".gif?k=page_view&u=https%3A%2F%2Fshop.example%2F&identity=u-ada");
        gif("81.2.69.142", "/p/" + pixel + ".gif?k=goal&n=purchase&v=80&cur=EUR");
        gif("81.2.69.142", "/p/" + pixel + ".gif?k=goal&n=purchase&v=120.50&cur=EUR");
        gif("81.2.69.160", "/p/" + pixel + ".gif?k=page_view&u=https%3A%2F%2Fshop.example%2F&identity=u-bob");
        gif("81.2.69.160", "/p/" + pixel + ".gif?k=goal&n=purchase&v=20&cur=EUR");
        gif("81.2.69.192", "/p/" + pixel + ".gif?k=goal&n=purchase&v=99&cur=EUR");
        RawHttp.once(speck.app().port(), "GET", "/p/" + pixel + ".gif?k=goal&n=purchase&v=99&cur=EUR",
                "User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\r\n"
                        + "X-Forwarded-For: 81.2.69.142\r\n", null);
        speck.awaitEvents(pixel, 7);

        HttpResponse<String> r = speck.post("/api/pixels/" + pixel + "/triggers/dry-run?days=1", definition(goal, ""));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode dry = JSON.readTree(r.body());
        assertThat(dry.get("wouldFire").asInt()).as(r.body()).isEqualTo(1);
        assertThat(dry.get("customers").asInt()).isEqualTo(1);
        assertThat(dry.get("heldBackByOncePer").asInt()).isEqualTo(1);
        assertThat(dry.get("complete").asBoolean()).isTrue();
        JsonNode example = JSON.readTree(dry.get("examples").get(0).get("body").asText());
        assertThat(example.get("goal").get("value").decimalValue()).isEqualByComparingTo("80");
        assertThat(example.get("customer").get("externalId").asText()).isEqualTo("u-ada");
        assertThat(speck.get("/api/pixels/" + pixel + "/triggers").body()).contains("\"triggers\":[]"); // nothing saved
    }
}
