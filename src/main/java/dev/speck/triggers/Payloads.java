package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.http.ApiJson;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a firing sends: Speck's own webhook payload, or a newsletter action shaped for an email
 * platform's API (docs/TRIGGERS.md has each mapping). A trigger for anyone sends no personal data:
 * no customer, no visitor id, the page without its query.
 */
final class Payloads {

    private Payloads() {
    }

    /** The body, or null when the action cannot be sent for this customer (a newsletter without an email). */
    static byte[] body(Trigger trigger, String key, Event event, Achievement goal, Customer customer, Instant firedAt) {
        return body(trigger, key, event, goal, customer, firedAt, null);
    }

    /** A segment trigger's body: no hit, the segment entered or left instead. */
    static byte[] segmentBody(Trigger trigger, String key, String segmentId, boolean entered, Customer customer, Instant at) {
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("id", segmentId);
        segment.put("change", entered ? "entered" : "left");
        segment.put("at", at.toString());
        return body(trigger, key, null, null, customer, Instant.now(), segment);
    }

    private static byte[] body(Trigger trigger, String key, Event event, Achievement goal, Customer customer, Instant firedAt,
                               Map<String, Object> segment) {
        Action action = trigger.action();
        Map<String, Object> eventPart = event == null ? null : event(event, trigger.who() == Trigger.Who.CUSTOMERS);
        Map<String, Object> goalPart = goal == null ? null : goal(goal);
        if (action.type() == Action.Type.WEBHOOK) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "trigger.fired");
            out.put("id", key);
            out.put("trigger", Map.of("id", trigger.id(), "name", trigger.name()));
            out.put("firedAt", firedAt.toString());
            putIfPresent(out, "event", eventPart);
            putIfPresent(out, "segment", segment);
            putIfPresent(out, "goal", goalPart);
            if (trigger.who() == Trigger.Who.CUSTOMERS && customer != null) {
                out.put("customer", customer(customer));
            }
            return ApiJson.write(out);
        }
        if (customer == null || customer.email() == null) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("trigger", trigger.name());
        if (eventPart != null) {
            data.put("page", eventPart.get("url"));
            data.put("title", eventPart.get("title"));
        }
        putIfPresent(data, "segment", segment);
        putIfPresent(data, "goal", goalPart);
        putIfPresent(data, "external_id", customer.externalId());
        putIfPresent(data, "name", customer.name());
        Map<String, Object> out = new LinkedHashMap<>();
        switch (action.platform()) {
            case "listmonk" -> {
                // POST /api/tx: a transactional template sent to one subscriber, data as {{ .Tx.Data.* }}
                out.put("subscriber_email", customer.email());
                out.put("template_id", Long.parseLong(action.template()));
                out.put("data", data);
                out.put("content_type", "html");
            }
            case "mautic" -> {
                // POST /api/contacts/new upserts the contact by email; the tag puts them in the segment
                // whose campaign sends the trigger newsletter
                out.put("email", customer.email());
                putIfPresent(out, "firstname", customer.name());
                out.put("tags", List.of(action.template()));
                out.put("overwriteWithBlank", false);
            }
            default -> {
                out.put("email", customer.email());
                putIfPresent(out, "externalId", customer.externalId());
                putIfPresent(out, "name", customer.name());
                out.put("template", action.template());
                out.put("idempotencyKey", key);
                out.put("data", data);
            }
        }
        return ApiJson.write(out);
    }

    private static Map<String, Object> event(Event event, boolean personal) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", event.hit().kind().wireName());
        putIfPresent(out, "name", event.hit().name());
        out.put("time", Instant.ofEpochMilli(event.hit().receivedAt()).toString());
        String url = event.hit().page().url();
        putIfPresent(out, "url", personal || url == null ? url : withoutQuery(url));
        putIfPresent(out, "title", event.hit().page().title());
        String[] fields = {"channel", "source", "campaign", "medium", "country", "region", "city", "device", "browser", "os"};
        for (String f : fields) {
            putIfPresent(out, f, TriggerMatch.hitField(f, event));
        }
        return out;
    }

    private static Map<String, Object> goal(Achievement a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.goalId());
        putIfPresent(out, "value", a.value());
        putIfPresent(out, "currency", a.currency());
        return out;
    }

    private static Map<String, Object> customer(Customer c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        putIfPresent(out, "externalId", c.externalId());
        putIfPresent(out, "email", c.email());
        putIfPresent(out, "name", c.name());
        out.put("attributes", c.attributes());
        return out;
    }

    static String withoutQuery(String url) {
        int cut = url.length();
        int q = url.indexOf('?');
        int h = url.indexOf('#');
        if (q >= 0) {
            cut = q;
        }
        if (h >= 0 && h < cut) {
            cut = h;
        }
        return url.substring(0, cut);
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
