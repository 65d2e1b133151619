package dev.speck.goals;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a goal, used by the API and by the store alike, and the validation of what a
 * user sends. Bad input throws IllegalArgumentException with a message meant for the user.
 */
public final class GoalJson {

    public static final int MAX_NAME = 128;
    /** The bounds of any goal value or amount: beyond this, a value is a mistake. */
    public static final double MAX_AMOUNT = 1e12;

    private GoalJson() {
    }

    public static Map<String, Object> describe(Goal g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", g.id());
        out.put("pixel", g.pixel());
        out.put("name", g.name());
        out.putAll(definition(g.rule(), g.value(), g.currency(), g.counting()));
        out.put("version", g.version());
        out.put("created", g.created().toString());
        out.put("updated", g.updated().toString());
        return out;
    }

    /** Rule, value, currency and counting: what makes a version. */
    public static Map<String, Object> definition(GoalRule rule, GoalValue value, String currency, Counting counting) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", rule(rule));
        out.put("value", value(value));
        out.put("currency", currency);
        out.put("counting", counting.wireName());
        return out;
    }

    private static Map<String, Object> rule(GoalRule rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (rule) {
            case GoalRule.EventName e -> {
                out.put("type", "event");
                out.put("name", e.name());
            }
            case GoalRule.PageUrl p -> {
                out.put("type", "page_url");
                out.put("match", p.match().wireName());
                out.put("value", p.value());
            }
            case GoalRule.LinkClick l -> {
                out.put("type", "link_click");
                out.put("code", l.code());
            }
            case GoalRule.EmailOpen o -> {
                out.put("type", "email_open");
                out.put("message", o.message());
            }
        }
        return out;
    }

    private static Map<String, Object> value(GoalValue value) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (value) {
            case GoalValue.None n -> out.put("type", "none");
            case GoalValue.Fixed f -> {
                out.put("type", "fixed");
                out.put("amount", f.amount());
            }
            case GoalValue.FromHit h -> {
                out.put("type", "from_hit");
                out.put("min", h.min());
                out.put("max", h.max());
            }
        }
        return out;
    }

    /** Reads a goal definition: name, rule, value (default none), currency (default points), counting (default every_time). */
    public static GoalDraft draft(JsonNode body) {
        String name = text(body, "name", MAX_NAME, true);
        JsonNode r = body.get("rule");
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException("rule is required: an object with a type of event, page_url, link_click or email_open");
        }
        GoalRule rule = rule(r);
        GoalValue value = body.hasNonNull("value") ? value(body.get("value")) : new GoalValue.None();
        String currency = text(body, "currency", 3, false);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR, or null for points");
        }
        Counting counting = Counting.EVERY_TIME;
        String c = text(body, "counting", 32, false);
        if (c != null) {
            counting = switch (c) {
                case "every_time" -> Counting.EVERY_TIME;
                case "once_per_visitor" -> Counting.ONCE_PER_VISITOR;
                default -> throw new IllegalArgumentException("counting must be every_time or once_per_visitor");
            };
        }
        return new GoalDraft(name, rule, value, currency, counting);
    }

    private static GoalRule rule(JsonNode r) {
        String type = text(r, "type", 32, true);
        return switch (type) {
            case "event" -> new GoalRule.EventName(text(r, "name", GoalRule.MAX_TEXT, true));
            case "link_click" -> new GoalRule.LinkClick(text(r, "code", GoalRule.MAX_TEXT, false));
            case "email_open" -> new GoalRule.EmailOpen(text(r, "message", GoalRule.MAX_TEXT, false));
            case "page_url" -> {
                String match = text(r, "match", 32, false);
                GoalRule.UrlMatch m = switch (match == null ? "equals" : match) {
                    case "equals" -> GoalRule.UrlMatch.EQUALS;
                    case "starts_with" -> GoalRule.UrlMatch.STARTS_WITH;
                    case "matches" -> GoalRule.UrlMatch.MATCHES;
                    default -> throw new IllegalArgumentException("rule.match must be equals, starts_with or matches");
                };
                String value = text(r, "value", GoalRule.MAX_TEXT, true);
                if (!value.startsWith("/") && !value.matches("https?://.*")) {
                    throw new IllegalArgumentException("rule.value must be a path starting with / or an http(s) URL");
                }
                if (m == GoalRule.UrlMatch.MATCHES && Glob.wildcards(value) > GoalRule.MAX_WILDCARDS) {
                    throw new IllegalArgumentException("rule.value may hold at most " + GoalRule.MAX_WILDCARDS + " * wildcards");
                }
                yield new GoalRule.PageUrl(m, value);
            }
            default -> throw new IllegalArgumentException("rule.type must be event, page_url, link_click or email_open");
        };
    }

    private static GoalValue value(JsonNode v) {
        if (!v.isObject()) {
            throw new IllegalArgumentException("value must be an object with a type of none, fixed or from_hit");
        }
        String type = text(v, "type", 32, true);
        return switch (type) {
            case "none" -> new GoalValue.None();
            case "fixed" -> new GoalValue.Fixed(amount(v, "amount", null));
            case "from_hit" -> {
                double min = amount(v, "min", 0.0);
                double max = amount(v, "max", MAX_AMOUNT);
                if (min > max) {
                    throw new IllegalArgumentException("value.min must not be above value.max");
                }
                yield new GoalValue.FromHit(min, max);
            }
            default -> throw new IllegalArgumentException("value.type must be none, fixed or from_hit");
        };
    }

    private static double amount(JsonNode v, String field, Double dflt) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException("value." + field + " is required (a number)");
            }
            return dflt;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble()) || Math.abs(n.asDouble()) > MAX_AMOUNT) {
            throw new IllegalArgumentException("value." + field + " must be a number of at most " + (long) MAX_AMOUNT + " in size");
        }
        return n.asDouble();
    }

    private static String text(JsonNode node, String field, int max, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required (a string)");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        if (v.asText().length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
        return v.asText().trim();
    }
}
