package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Role;
import dev.speck.deliver.Receiver;
import dev.speck.deliver.Signature;
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

/**
 * "Send test" over real HTTP: a trigger's payload built from a stored hit (or a made-up one) reaches a
 * real receiver through the outbox, signed, marked as a test, and shows in the trigger's delivery log;
 * a target the address guard refuses is refused for a test too.
 */
class TriggerSendTestIT {

    @TempDir
    static Path dataDir;
    private static RunningSpeck speck;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = Receiver.answering(200);
        speck = RunningSpeck.start(dataDir, Map.of("customers.unsigned-identify", "true",
                "collect.trusted-proxies", "127.0.0.1/32", "deliver.allow-private", "127.0.0.1/32"));
        speck.awaitLoaderWarm();
    }

    @AfterAll
    static void stop() {
        speck.close();
        speck = null;
        receiver.close();
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static void gif(String address, String target) throws Exception {
        RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", target, "User-Agent: " + RunningSpeck.BROWSER + "\r\n"
                + "X-Forwarded-For: " + address + "\r\n", null);
        assertThat(r.status()).isEqualTo(200);
    }

    private static String trigger(String pixel, String definition) throws Exception {
        return json(speck.post("/api/pixels/" + pixel + "/triggers", definition), 201).get("id").asText();
    }

    private static JsonNode logOf(String trigger) throws Exception {
        return json(speck.get("/api/deliveries?source=" + trigger), 200).get("deliveries");
    }

    private static void awaitStatus(String trigger, String key, String status) throws InterruptedException {
        RunningSpeck.await(() -> {
            try {
                for (JsonNode d : logOf(trigger)) {
                    if (d.get("key").asText().equals(key) && d.get("status").asText().equals(status)) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the test delivery to be " + status);
    }

    @Test
    void aTestIsTheLastMatchingStoredHitsPayloadSignedMarkedAsATestAndInTheTriggersLog() throws Exception {
        String pixel = speck.createPixel("send test", List.of()).id();
        String goal = json(speck.post("/api/pixels/" + pixel + "/goals", "{\"name\":\"Purchase\",\"rule\":{\"type\":\"event\","
                + "\"name\":\"purchase\"},\"value\":{\"type\":\"from_hit\"},\"currency\":\"EUR\"}"), 201).get("id").asText();
        // Ada buys twice (the later one is the sample), Bob below the trigger's minimum (later still)
        gif("81.2.69.142", "/p/" + pixel + ".gif?k=page_view&u=https%3A%2F%2Fshop.example%2F&identity=u-ada");
        gif("81.2.69.142", "/p/" + pixel + ".gif?k=goal&n=purchase&v=80&cur=EUR");
        gif("81.2.69.142", "/p/" + pixel + ".gif?k=goal&n=purchase&v=120.50&cur=EUR");
        gif("81.2.69.160", "/p/" + pixel + ".gif?k=page_view&u=https%3A%2F%2Fshop.example%2F&identity=u-bob");
        gif("81.2.69.160", "/p/" + pixel + ".gif?k=goal&n=purchase&v=20&cur=EUR");
        speck.awaitEvents(pixel, 5);
        String url = receiver.url("/hook/send-test");
        String trigger = trigger(pixel, "{\"name\":\"Big purchase\",\"who\":\"customers\",\"when\":{\"kind\":\"goal\",\"goal\":\""
                + goal + "\",\"minValue\":\"50\"},\"action\":{\"type\":\"webhook\",\"url\":\"" + url
                + "\",\"headers\":{\"X-Token\":\"s3cret\"}}}");

        JsonNode sent = json(speck.post("/api/pixels/" + pixel + "/triggers/" + trigger + "/test", "{}"), 202);

        String key = sent.get("key").asText();
        assertThat(key).startsWith("test:");
        assertThat(sent.get("sample").asText()).isEqualTo("stored");
        assertThat(sent.get("sampleTime").asText()).isNotBlank();
        assertThat(sent.get("message").asText()).contains("GET /api/deliveries/" + key);
        RunningSpeck.await(() -> !receiver.requests(key).isEmpty(), "the test delivery at the receiver");
        Receiver.Request hook = receiver.requests(key).getFirst();
        JsonNode body = JSON.readTree(hook.body());
        assertThat(hook.body()).startsWith("{\"test\":true,");
        assertThat(body.get("type").asText()).isEqualTo("trigger.fired");
        assertThat(body.get("id").asText()).isEqualTo(key);
        assertThat(body.get("trigger").get("id").asText()).isEqualTo(trigger);
        assertThat(body.get("goal").get("value").decimalValue()).isEqualByComparingTo("120.50");
        assertThat(body.get("customer").get("externalId").asText()).isEqualTo("u-ada");
        assertThat(hook.header("X-Token")).isEqualTo("s3cret");
        String secret = json(speck.get("/api/delivery-secret?target=" + Params.enc(url)), 200).get("secret").asText();
        assertThat(Signature.verifies(secret, hook.header("Speck-Signature"), hook.body())).isTrue();

        awaitStatus(trigger, key, "delivered");
        JsonNode logged = logOf(trigger).get(0);
        assertThat(logged.get("key").asText()).isEqualTo(key);
        assertThat(logged.get("test").asBoolean()).isTrue();
        assertThat(logged.get("lastAttempt").get("statusCode").asInt()).isEqualTo(200);
        assertThat(logged.get("lastAttempt").get("latencyMs").isNumber()).isTrue();
        assertThat(logged.get("lastAttempt").get("excerpt").asText()).contains(key);
        assertThat(speck.get("/api/audit").body()).contains("trigger.test").doesNotContain("s3cret");
        // the pixel's viewers read the log but do not send
        assertThat(speck.as(Role.VIEWER).status("POST", "/api/pixels/" + pixel + "/triggers/" + trigger + "/test", "{}"))
                .isEqualTo(403);
    }

    @Test
    void withoutAFittingStoredHitOrOnRequestTheTestIsAMadeUpSample() throws Exception {
        String pixel = speck.createPixel("made up", List.of()).id();
        gif("81.2.69.192", "/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example%2Fblog");
        speck.awaitEvents(pixel, 1);
        String trigger = trigger(pixel, "{\"name\":\"Pricing\",\"who\":\"anyone\",\"enabled\":false,"
                + "\"when\":{\"kind\":\"page\",\"path\":\"/pricing*\"},"
                + "\"action\":{\"type\":\"webhook\",\"url\":\"" + receiver.url("/hook/made-up") + "\"}}");
        String path = "/api/pixels/" + pixel + "/triggers/" + trigger + "/test";

        JsonNode sent = json(speck.post(path, "{}"), 202);

        assertThat(sent.get("sample").asText()).isEqualTo("synthetic");
        assertThat(sent.has("sampleTime")).isFalse();
        String key = sent.get("key").asText();
        RunningSpeck.await(() -> !receiver.requests(key).isEmpty(), "the made-up test at the receiver");
        JsonNode body = JSON.readTree(receiver.requests(key).getFirst().body());
        assertThat(body.get("test").asBoolean()).isTrue();
        assertThat(body.get("event").get("kind").asText()).isEqualTo("page_view");
        assertThat(body.get("event").get("url").asText()).isEqualTo("https://example.com/pricing");
        assertThat(body.has("customer")).as("a trigger for anyone sends no personal data").isFalse();

        gif("81.2.69.192", "/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example%2Fpricing");
        speck.awaitEvents(pixel, 2);
        assertThat(json(speck.post(path, "{}"), 202).get("sample").asText()).isEqualTo("stored");
        assertThat(json(speck.post(path + "?sample=synthetic", "{}"), 202).get("sample").asText()).isEqualTo("synthetic");
        assertThat(speck.post(path + "?sample=everyone", "{}").statusCode()).isEqualTo(400);
        assertThat(speck.post("/api/pixels/" + pixel + "/triggers/tg_nope/test", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void aTestToAPrivateAddressIsRefusedByTheAddressGuardAndDeadLettered() throws Exception {
        String pixel = speck.createPixel("ssrf", List.of()).id();
        String trigger = trigger(pixel, "{\"name\":\"Inside\",\"who\":\"anyone\",\"when\":{\"kind\":\"page\",\"path\":\"/*\"},"
                + "\"action\":{\"type\":\"webhook\",\"url\":\"http://10.0.0.1/admin\"}}");

        String key = json(speck.post("/api/pixels/" + pixel + "/triggers/" + trigger + "/test", "{}"), 202).get("key").asText();

        awaitStatus(trigger, key, "dead");
        JsonNode attempt = json(speck.get("/api/deliveries/" + Params.enc(key)), 200).get("attempts").get(0);
        assertThat(attempt.get("outcome").asText()).isEqualTo("refused");
        assertThat(attempt.get("statusCode").isNull()).isTrue();
    }
}
