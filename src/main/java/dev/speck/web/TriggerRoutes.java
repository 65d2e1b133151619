package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.audit.AuditTrail;
import dev.speck.goals.GoalRegistry;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.pixels.Pixel;
import dev.speck.triggers.Action;
import dev.speck.triggers.DryRun;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerHistory;
import dev.speck.triggers.TriggerEngine;
import dev.speck.triggers.TriggerJson;
import dev.speck.triggers.TriggerStore;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /api/pixels/{pixel}/triggers: a pixel's triggers (docs/TRIGGERS.md). A change is in force from the
 * next chunk the loader stores and is recorded in the audit trail.
 */
public final class TriggerRoutes {

    /** Triggers per account: the benchmark's 1,000 active rules with room to spare. */
    static final int MAX_TRIGGERS = 2_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TriggerStore triggers;
    private final TriggerEngine engine;
    private final GoalRegistry goals;
    private final AuditTrail audit;
    private final TriggerHistory history;

    public TriggerRoutes(TriggerStore triggers, TriggerEngine engine, GoalRegistry goals, AuditTrail audit,
                         TriggerHistory history) {
        this.triggers = triggers;
        this.engine = engine;
        this.goals = goals;
        this.audit = audit;
        this.history = history;
    }

    /**
     * A definition (saved or not) judged over the last {@code days} (1-90, default 7) of stored people's
     * hits: how often it would have fired, for how many customers, with example payloads. Sends nothing.
     */
    Answer dryRun(Call call, Pixel pixel) {
        int days = Params.integer(call.query("days"), 7, 1, 90, "days");
        Instant now = Instant.now();
        Trigger t = read(ApiJson.body(call.exchange()), "tg_dry_run", pixel, now, now);
        return Answer.ok(DryRun.run(t, history, now.minus(Duration.ofDays(days)), now.plusSeconds(1)));
    }

    Answer list(Call call, Pixel pixel) {
        return Answer.ok(Map.of("triggers", triggers.all().stream().filter(t -> t.pixel().equals(pixel.id()))
                .map(TriggerJson::write).toList()));
    }

    Answer get(Call call, Pixel pixel) {
        return Answer.ok(TriggerJson.write(trigger(call, pixel)));
    }

    Answer create(Call call, Pixel pixel) {
        if (triggers.count() >= MAX_TRIGGERS) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "at most " + MAX_TRIGGERS + " triggers");
        }
        Instant now = Instant.now();
        Trigger t = read(ApiJson.body(call.exchange()), "tg_" + HexFormat.of().formatHex(bytes()), pixel, now, now);
        triggers.save(t);
        engine.changed(t.id());
        audit.record(call.requester(), "trigger.create", t.id(), details(t));
        return Answer.json(HttpResponseStatus.CREATED, TriggerJson.write(t));
    }

    Answer update(Call call, Pixel pixel) {
        Trigger old = trigger(call, pixel);
        JsonNode body = ApiJson.body(call.exchange());
        Trigger t = read(body, old.id(), pixel, old.created(), Instant.now());
        if (body.path("action").path("keepHeaders").asBoolean(false) && t.action().headers().isEmpty()) {
            // the API never shows header values, so an editor that did not retype them keeps them
            t = new Trigger(t.id(), t.pixel(), t.name(), t.enabled(), t.when(), t.pattern(), t.who(), t.conditions(), t.limits(),
                    new Action(t.action().type(), t.action().url(), t.action().platform(), t.action().template(),
                            old.action().headers()), t.created(), t.updated());
        }
        triggers.save(t);
        engine.changed(t.id());
        audit.record(call.requester(), "trigger.update", t.id(), details(t));
        return Answer.ok(TriggerJson.write(t));
    }

    Answer delete(Call call, Pixel pixel) {
        Trigger t = trigger(call, pixel);
        triggers.delete(t.id());
        engine.changed(t.id());
        audit.record(call.requester(), "trigger.delete", t.id(), details(t));
        return Answer.ok(Map.of("deleted", t.id()));
    }

    private Trigger read(JsonNode body, String id, Pixel pixel, Instant created, Instant now) {
        try {
            return TriggerJson.read(body, id, pixel.id(), created, now, goal -> goals.goal(pixel.id(), goal) != null);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** The stored history dry runs and tests read. */
    TriggerHistory history() {
        return history;
    }

    /** The trigger the path names, on this pixel; 404 otherwise. */
    Trigger trigger(Call call, Pixel pixel) {
        String id = call.param("trigger");
        Trigger t = triggers.find(id);
        if (t == null || !t.pixel().equals(pixel.id())) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no trigger '" + ApiJson.truncate(id) + "' on this pixel");
        }
        return t;
    }

    /** What the audit trail keeps: the rule and where it sends, never header values. */
    private static Map<String, Object> details(Trigger t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pixel", t.pixel());
        d.put("name", t.name());
        d.put("enabled", t.enabled());
        d.put("when", t.when().kind().wireName());
        d.put("who", t.who().wireName());
        d.put("action", t.action().type().wireName());
        d.put("url", t.action().url());
        return d;
    }

    private static byte[] bytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }
}
