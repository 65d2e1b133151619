package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.audit.AuditTrail;
import dev.speck.deliver.Delivery;
import dev.speck.deliver.Outbox;
import dev.speck.http.Answer;
import dev.speck.http.BadRequest;
import dev.speck.pixels.Pixel;
import dev.speck.triggers.TestSample;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerHistory;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * POST /api/pixels/{pixel}/triggers/{trigger}/test: "send test". The trigger's payload, built from a
 * sample ({@link TestSample}), goes through the outbox like any firing (the same signature, the same
 * address check, retries and log) under its own key, {@code test:<uuid>}; the answer is that key, to
 * follow the delivery in the log.
 */
final class TriggerTests {

    /** The key prefix that marks a test delivery in the log: a firing's key starts with its trigger's id. */
    static final String KEY_PREFIX = "test:";

    private final TriggerRoutes triggers;
    private final TriggerHistory history;
    private final Outbox outbox;
    private final Runnable wake;
    private final AuditTrail audit;

    TriggerTests(TriggerRoutes triggers, TriggerHistory history, Outbox outbox, Runnable wake, AuditTrail audit) {
        this.triggers = triggers;
        this.history = history;
        this.outbox = outbox;
        this.wake = wake;
        this.audit = audit;
    }

    Answer send(Call call, Pixel pixel) {
        Trigger t = triggers.trigger(call, pixel);
        String sample = call.query("sample");
        if (sample != null && !sample.equals("stored") && !sample.equals("synthetic")) {
            throw new BadRequest("sample must be stored (the last matching hit, else a made-up one) or synthetic");
        }
        Instant now = Instant.now();
        String key = KEY_PREFIX + UUID.randomUUID();
        TestSample s = TestSample.of(t, history, key, now, !"synthetic".equals(sample));
        Delivery d;
        try {
            d = Delivery.of(key, t.id(), s.customerId(), t.action().url(), "POST", t.action().headers(),
                    new String(s.body(), StandardCharsets.UTF_8), now);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "this trigger cannot be delivered: " + e.getMessage());
        }
        outbox.enqueue(d);
        wake.run();
        audit.record(call.requester(), "trigger.test", t.id(), Map.of("delivery", key, "url", t.action().url()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", key);
        out.put("status", d.status().wireName());
        out.put("sample", s.synthetic() ? "synthetic" : "stored");
        if (!s.synthetic()) {
            out.put("sampleTime", s.hitTime().toString());
        }
        out.put("url", d.url());
        out.put("body", d.body());
        out.put("message", (s.synthetic() ? "No stored hit of the last 7 days fits this trigger: a made-up sample"
                : "The last stored hit that fits this trigger (" + s.hitTime() + ")")
                + " is on its way as a test delivery, marked \"test\": true. Follow it in the delivery log"
                + " (GET /api/deliveries/" + key + ").");
        return Answer.json(HttpResponseStatus.ACCEPTED, out);
    }
}
