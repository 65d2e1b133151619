package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Role;
import dev.speck.deliver.Delivery;
import dev.speck.deliver.Receiver;
import dev.speck.deliver.Signature;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The delivery log, dead letters, re-delivery and a target's secret through the API of a running Speck. */
class DeliveryApiIT {

    @TempDir
    static Path data;
    private static RunningSpeck speck;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = Receiver.answering(500);
        speck = RunningSpeck.start(data, Map.of("deliver.allow-private", "127.0.0.1/32",
                "deliver.retry-base", "100ms", "deliver.retry-horizon", "1s"));
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

    private static String status(String key) throws Exception {
        return json(speck.get("/api/deliveries/" + key), 200).get("status").asText();
    }

    @Test
    void aDeadLetterIsListedShownWithItsAttemptsAndDeliveredAgainOnRequest() throws Exception {
        String key = "tr_api:1";
        speck.app().outbox().enqueue(Delivery.of(key, "tr_api", null, receiver.url("/hook"), "POST", Map.of(),
                "{\"goal\":\"Purchase\"}", Instant.now()));
        RunningSpeck.await(() -> {
            try {
                return status(key).equals("dead");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the dead letter");

        assertThat(json(speck.get("/api/deliveries?source=tr_api&status=dead"), 200).get("deliveries"))
                .extracting(d -> d.get("key").asText()).containsExactly(key);
        assertThat(json(speck.get("/api/deliveries?source=tr_api&status=delivered"), 200).get("deliveries")).isEmpty();
        assertThat(json(speck.get("/api/dead-letters?limit=1"), 200).get("deliveries").get(0).get("key").asText())
                .isEqualTo(key);
        JsonNode one = json(speck.get("/api/deliveries/tr_api%3A1"), 200);
        assertThat(one.get("body").asText()).isEqualTo("{\"goal\":\"Purchase\"}");
        assertThat(one.get("attempts").size()).isGreaterThanOrEqualTo(1);
        assertThat(one.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(500);
        assertThat(one.get("attempts").get(0).get("excerpt").asText()).contains(key);

        receiver.answer(r -> 200);
        assertThat(json(speck.post("/api/deliveries/" + key + "/redeliver", ""), 200).get("status").asText())
                .isEqualTo("pending");
        RunningSpeck.await(() -> {
            try {
                return status(key).equals("delivered");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the re-delivery");
        assertThat(speck.post("/api/deliveries/" + key + "/redeliver", "").statusCode()).isEqualTo(409);
        assertThat(speck.get("/api/deliveries/tr_api:nope").statusCode()).isEqualTo(404);
        assertThat(speck.get("/api/deliveries?status=lost").statusCode()).isEqualTo(400);
        assertThat(speck.get("/api/deliveries?limit=201").statusCode()).isEqualTo(400);

        JsonNode secret = json(speck.get("/api/delivery-secret?target=" + Params.enc(receiver.url("/hook?x=1"))), 200);
        Receiver.Request last = receiver.requests(key).getLast();
        assertThat(Signature.verifies(secret.get("secret").asText(), last.header("Speck-Signature"), last.body())).isTrue();
        assertThat(speck.as(Role.EDITOR).get("/api/delivery-secret?target=" + Params.enc(receiver.url("/hook")))
                .statusCode()).as("the secret is an admin's").isEqualTo(403);
    }

    @Test
    void erasingACustomerDropsTheirDeliveries() throws Exception {
        JsonNode customer = json(speck.post("/api/customers", "{\"email\":\"gone@example.com\"}",
                "Content-Type", "application/json"), 200).get("customers").get(0);
        String id = customer.get("id").asText();
        for (int i = 0; i < 2; i++) {
            speck.app().outbox().enqueue(Delivery.of("tr_erase:" + i, "tr_erase", id, "https://hooks.example.com/x",
                    "POST", Map.of(), "{\"email\":\"gone@example.com\"}", Instant.now().plusSeconds(3600)));
        }
        assertThat(json(speck.get("/api/deliveries?source=tr_erase"), 200).get("deliveries")).hasSize(2);

        json(speck.request("DELETE", "/api/customers/" + id, null), 200);
        assertThat(json(speck.get("/api/deliveries?source=tr_erase"), 200).get("deliveries")).isEmpty();
    }
}
