package dev.speck.segments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.triggers.Condition;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerJson;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A segment as the API reads and writes it (docs/SEGMENTS.md). Reading checks every part and says
 * what is wrong in an IllegalArgumentException; the bounds keep one rule cheap to judge.
 */
public final class SegmentJson {

    static final int MAX_NAME = 200;
    static final int MAX_CRITERIA = 10;
    static final int MAX_DAYS = 365;
    static final int DEFAULT_DAYS = 30;
    static final int MAX_TARGET = 200;
    static final BigDecimal MAX_MONEY = new BigDecimal("99999999999999.9999");

    private SegmentJson() {
    }

    /**
     * Reads a segment from an API body.
     *
     * @param goalExists whether a goal id names a goal of the pixel
     */
    public static Segment read(JsonNode body, String id, String pixel, Instant created, Instant now,
                               Predicate<String> goalExists) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("a segment is a JSON object");
        }
        JsonNode nameNode = body.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank() || nameNode.asText().length() > MAX_NAME) {
            throw new IllegalArgumentException("name is a text of 1 to " + MAX_NAME + " characters");
        }
        String kind = body.path("kind").asText("rule");
        return switch (kind) {
            case "list" -> {
                if (body.hasNonNull("rule")) {
                    throw new IllegalArgumentException("a list segment has no rule: its members are uploaded");
                }
                yield new Segment(id, pixel, nameNode.asText().strip(), null, created, now);
            }
            case "rule" -> new Segment(id, pixel, nameNode.asText().strip(), rule(body.get("rule"), goalExists), created, now);
            default -> throw new IllegalArgumentException("kind is rule or list");
        };
    }

    private static SegmentRule rule(JsonNode node, Predicate<String> goalExists) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("rule is an object: {\"who\", \"days\", \"criteria\", \"conditions\"}");
        }
        Trigger.Who who = switch (node.path("who").asText("customers")) {
            case "customers" -> Trigger.Who.CUSTOMERS;
            case "anyone" -> Trigger.Who.ANYONE;
            default -> throw new IllegalArgumentException("rule.who is customers or anyone");
        };
        int days = days(node.get("days"), DEFAULT_DAYS, MAX_DAYS, "rule.days");
        List<Criterion> criteria = new ArrayList<>();
        JsonNode list = node.get("criteria");
        if (list != null && !list.isNull()) {
            if (!list.isArray() || list.size() > MAX_CRITERIA) {
                throw new IllegalArgumentException("rule.criteria is a list of at most " + MAX_CRITERIA + " criteria");
            }
            for (JsonNode c : list) {
                criteria.add(criterion(c, days, goalExists));
            }
        }
        List<Condition> conditions = TriggerJson.conditions(node.get("conditions"));
        if (who == Trigger.Who.ANYONE && conditions.stream().anyMatch(c -> c.field().startsWith(Condition.CUSTOMER_PREFIX))) {
            throw new IllegalArgumentException("a segment of anyone cannot test customer attributes: set who to customers");
        }
        return new SegmentRule(who, days, criteria, conditions);
    }

    private static Criterion criterion(JsonNode c, int ruleDays, Predicate<String> goalExists) {
        if (!c.isObject()) {
            throw new IllegalArgumentException("a criterion is an object such as {\"did\": \"page\", \"path\": \"/pricing\", \"times\": 3, \"days\": 7}");
        }
        Criterion.Did did = Criterion.Did.fromWireName(c.path("did").asText(""));
        if (did == null) {
            throw new IllegalArgumentException("criterion.did is goal, event or page");
        }
        String field = switch (did) {
            case GOAL -> "goal";
            case EVENT -> "name";
            case PAGE -> "path";
        };
        JsonNode t = c.get(field);
        if (t == null || !t.isTextual() || t.asText().isEmpty() || t.asText().length() > MAX_TARGET) {
            throw new IllegalArgumentException("a " + did.wireName() + " criterion needs " + field + " (1 to " + MAX_TARGET + " characters)");
        }
        String target = t.asText();
        if (did == Criterion.Did.GOAL && !"*".equals(target) && !goalExists.test(target)) {
            throw new IllegalArgumentException("criterion goal names no goal of this pixel: " + target);
        }
        int days = days(c.get("days"), ruleDays, ruleDays, "criterion.days (at most rule.days, " + ruleDays + ")");
        JsonNode timesNode = c.get("times");
        int times = 1;
        if (timesNode != null && !timesNode.isNull()) {
            if (!timesNode.canConvertToInt() || timesNode.asInt() < 1 || timesNode.asInt() > 10_000) {
                throw new IllegalArgumentException("criterion.times is a whole number from 1 to 10000");
            }
            times = timesNode.asInt();
        }
        BigDecimal minValue = money(c.get("minValue"), "criterion.minValue");
        BigDecimal total = money(c.get("total"), "criterion.total");
        String currency = null;
        if (c.hasNonNull("currency")) {
            currency = c.get("currency").asText();
            if (!currency.matches("[A-Za-z]{3}")) {
                throw new IllegalArgumentException("criterion.currency is a three-letter code such as EUR");
            }
            currency = currency.toUpperCase(Locale.ROOT);
        }
        if (did != Criterion.Did.GOAL && (minValue != null || total != null || currency != null)) {
            throw new IllegalArgumentException("minValue, total and currency belong to goal criteria");
        }
        if (total != null && currency == null) {
            throw new IllegalArgumentException("a total needs its currency: values in different currencies do not add up");
        }
        JsonNode not = c.get("not");
        if (not != null && !not.isNull() && !not.isBoolean()) {
            throw new IllegalArgumentException("criterion.not is true or false");
        }
        return new Criterion(did, target, days, times, minValue, total, currency, not != null && not.asBoolean(false));
    }

    private static int days(JsonNode node, int dflt, int max, String field) {
        if (node == null || node.isNull()) {
            return dflt;
        }
        if (!node.canConvertToInt() || node.asInt() < 1 || node.asInt() > max) {
            throw new IllegalArgumentException(field + " is a whole number of days from 1 to " + max);
        }
        return node.asInt();
    }

    /** An exact decimal from a JSON number or text ("49.90"): never through a double. */
    private static BigDecimal money(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            BigDecimal v = node.isNumber() ? node.decimalValue() : node.isTextual() ? new BigDecimal(node.asText().strip()) : null;
            if (v != null && v.signum() >= 0 && v.compareTo(MAX_MONEY) <= 0 && v.scale() <= 4) {
                return v.stripTrailingZeros().scale() < 0 ? v.setScale(0) : v.stripTrailingZeros();
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(field + " is a decimal from 0 with at most 4 places, e.g. \"49.90\"");
    }

    public static Map<String, Object> write(Segment s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("pixel", s.pixel());
        out.put("name", s.name());
        out.put("kind", s.kind());
        if (s.rule() != null) {
            SegmentRule r = s.rule();
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("who", r.who().wireName());
            rule.put("days", r.days());
            List<Map<String, Object>> criteria = new ArrayList<>();
            for (Criterion c : r.criteria()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("did", c.did().wireName());
                m.put(switch (c.did()) {
                    case GOAL -> "goal";
                    case EVENT -> "name";
                    case PAGE -> "path";
                }, c.target());
                m.put("days", c.days());
                m.put("times", c.times());
                if (c.minValue() != null) {
                    m.put("minValue", c.minValue().toPlainString());
                }
                if (c.total() != null) {
                    m.put("total", c.total().toPlainString());
                }
                if (c.currency() != null) {
                    m.put("currency", c.currency());
                }
                m.put("not", c.negated());
                criteria.add(m);
            }
            rule.put("criteria", criteria);
            rule.put("conditions", TriggerJson.writeConditions(r.conditions()));
            out.put("rule", rule);
        }
        out.put("created", s.created().toString());
        out.put("updated", s.updated().toString());
        return out;
    }
}
