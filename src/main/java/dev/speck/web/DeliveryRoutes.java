package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.audit.AuditTrail;
import dev.speck.deliver.Attempt;
import dev.speck.deliver.Delivery;
import dev.speck.deliver.Outbox;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/deliveries and /api/dead-letters: the delivery log per source (a trigger), one delivery with
 * its attempts, re-delivering a dead letter, and a target's signing secret (docs/DELIVERY.md).
 */
public final class DeliveryRoutes {

    static final int MAX_PAGE = 200;

    private final Outbox outbox;
    private final Runnable wake;
    private final AuditTrail audit;

    /** @param wake tells the deliverer that something is due now (a re-delivery) */
    public DeliveryRoutes(Outbox outbox, Runnable wake, AuditTrail audit) {
        this.outbox = outbox;
        this.wake = wake;
        this.audit = audit;
    }

    /** A trigger's test delivery goes through the same outbox, woken the same way. */
    TriggerTests triggerTests(TriggerRoutes triggers) {
        return new TriggerTests(triggers, triggers.history(), outbox, wake, audit);
    }

    Answer list(Call call) {
        String s = call.query("status");
        Delivery.Status status = s == null ? null : Delivery.Status.fromWireName(s);
        if (s != null && status == null) {
            throw new BadRequest("status must be pending, delivered or dead");
        }
        return page(call, status);
    }

    Answer deadLetters(Call call) {
        return page(call, Delivery.Status.DEAD);
    }

    private Answer page(Call call, Delivery.Status status) {
        int limit = Params.integer(call.query("limit"), 50, 1, MAX_PAGE, "limit");
        List<Delivery> page = outbox.list(call.query("source"), status, call.query("before"), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        // each with its last attempt: what the log shows per line (status, latency, the answer's excerpt)
        Map<String, Attempt> last = outbox.lastAttempts(page.stream().filter(d -> d.attempts() > 0)
                .map(Delivery::key).toList());
        out.put("deliveries", page.stream().map(d -> {
            Map<String, Object> one = describe(d, false);
            Attempt a = last.get(d.key());
            one.put("lastAttempt", a == null ? null : describe(a));
            return one;
        }).toList());
        out.put("next", page.size() == limit ? page.getLast().key() : null);
        return Answer.ok(out);
    }

    Answer get(Call call) {
        Delivery d = delivery(call);
        Map<String, Object> out = describe(d, true);
        out.put("attempts", outbox.attempts(d.key()).stream().map(DeliveryRoutes::describe).toList());
        return Answer.ok(out);
    }

    Answer redeliver(Call call) {
        Delivery d = delivery(call);
        if (!outbox.redeliver(d.key(), Instant.now())) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "only a dead letter is re-delivered; this delivery is "
                    + d.status().wireName());
        }
        wake.run();
        audit.record(call.requester(), "delivery.redeliver", d.key(), Map.of("source", d.source()));
        return Answer.ok(describe(outbox.get(d.key()).orElseThrow(), false));
    }

    /** The secret that signs deliveries to one target URL (made on first use): the receiver checks with it. */
    Answer secret(Call call) {
        String target = call.query("target");
        if (target == null) {
            throw new BadRequest("target is required: the URL deliveries go to");
        }
        String endpoint;
        try {
            endpoint = Delivery.endpoint(target);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        audit.record(call.requester(), "delivery.secret.read", endpoint, Map.of());
        return Answer.ok(Map.of("endpoint", endpoint, "secret", outbox.secret(endpoint)));
    }

    private Delivery delivery(Call call) {
        String key;
        try {
            key = URLDecoder.decode(call.param("key"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the delivery key does not decode");
        }
        return outbox.get(key).orElseThrow(() -> new BadRequest(HttpResponseStatus.NOT_FOUND,
                "no delivery '" + ApiJson.truncate(key) + "'"));
    }

    private static Map<String, Object> describe(Delivery d, boolean full) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", d.key());
        out.put("source", d.source());
        out.put("test", d.key().startsWith(TriggerTests.KEY_PREFIX));
        out.put("customerId", d.customerId());
        out.put("url", d.url());
        out.put("method", d.method());
        out.put("status", d.status().wireName());
        out.put("attemptCount", d.attempts());
        out.put("created", d.created().toString());
        out.put(d.status() == Delivery.Status.PENDING ? "nextAttempt" : "ended", d.nextAttempt().toString());
        if (full) {
            out.put("headers", d.headers());
            out.put("body", d.body());
        }
        return out;
    }

    private static Map<String, Object> describe(Attempt a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attempt", a.number());
        out.put("started", a.started().toString());
        out.put("outcome", a.outcome().wireName());
        out.put("statusCode", a.statusCode());
        out.put("error", a.error());
        out.put("latencyMs", a.latencyMs());
        out.put("excerpt", a.excerpt());
        out.put("retryInMs", a.retryInMs());
        return out;
    }
}
