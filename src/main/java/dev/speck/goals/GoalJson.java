package dev.speck.goals;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a goal, used by the API and by the store alike, and the validation of what a
 * user sends. Bad input throws IllegalArgumentException with a message meant for the user.
 */
public final class GoalJson {

    public static final int MAX_NAME = 128;
    /** The bounds of any goal value or amount: beyond this, a value is a mistake. */
    public static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1_000_000_000_000L);

    private GoalJson() {
    }

    public static Map<String, Object> describe(Goal g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", g.id());
        out.put("pixel", g.pixel());
        out.put("name", g.name());
        out.putAll(definition(g.rule(), g.value(), g.currency(), g.counting(), g.allowNegative()));
        out.put("version", g.version());
        out.put("created", g.created().toString());
        out.put("updated", g.updated().toString());
        return out;
    }

    /** Rule, value, currency, counting and the refund rule: what makes a version. */
    public static Map<String, Object> definition(GoalRule rule, GoalValue value, String currency, Counting counting,
                                                 boolean allowNegative) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", rule(rule));
        out.put("value", value(value));
        out.put("currency", currency);
        out.put("counting", counting.wireName());
        out.put("allowNegative", allowNegative);
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

    /**
     * Reads a goal definition: name, rule, value (default none), currency (default points), counting
     * (default every_time), allowNegative (default false; definitions stored before it existed have none).
     */
    public static GoalDraft draft(JsonNode body) {
        String name = text(body, "name", MAX_NAME, true);
        JsonNode r = body.get("rule");
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException("rule is required: an object with a type of event, page_url, link_click or email_open");
        }
        GoalRule rule = rule(r);
        JsonNode refunds = body.get("allowNegative");
        if (refunds != null && !refunds.isNull() && !refunds.isBoolean()) {
            throw new IllegalArgumentException("allowNegative must be true or false");
        }
        boolean allowNegative = refunds != null && refunds.asBoolean();
        GoalValue value = body.hasNonNull("value") ? value(body.get("value"), allowNegative) : new GoalValue.None();
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
        return new GoalDraft(name, rule, value, currency, counting, allowNegative);
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

    /** A goal that takes refunds clamps values to [-1e12, max] unless told otherwise; else to [0, max]. */
    private static GoalValue value(JsonNode v, boolean allowNegative) {
        if (!v.isObject()) {
            throw new IllegalArgumentException("value must be an object with a type of none, fixed or from_hit");
        }
        String type = text(v, "type", 32, true);
        return switch (type) {
            case "none" -> new GoalValue.None();
            case "fixed" -> {
                BigDecimal amount = amount(v, "amount", null);
                if (amount.signum() < 0 && !allowNegative) {
                    throw new IllegalArgumentException("value.amount is below zero: set allowNegative for a goal that counts refunds");
                }
                yield new GoalValue.Fixed(amount);
            }
            case "from_hit" -> {
                BigDecimal min = amount(v, "min", allowNegative ? MAX_AMOUNT.negate() : BigDecimal.ZERO);
                BigDecimal max = amount(v, "max", MAX_AMOUNT);
                if (min.signum() < 0 && !allowNegative) {
                    throw new IllegalArgumentException("value.min is below zero: set allowNegative for a goal that counts refunds");
                }
                if (min.compareTo(max) > 0) {
                    throw new IllegalArgumentException("value.min must not be above value.max");
                }
                yield new GoalValue.FromHit(min, max);
            }
            default -> throw new IllegalArgumentException("value.type must be none, fixed or from_hit");
        };
    }

    /** An amount as an exact decimal (a JSON number, or a string holding one, as money often travels), at most 4 places. */
    private static BigDecimal amount(JsonNode v, String field, BigDecimal dflt) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException("value." + field + " is required (a number)");
            }
            return dflt;
        }
        BigDecimal a = null;
        if (n.isNumber() && !n.isDouble() || n.isDouble() && Double.isFinite(n.doubleValue())) {
            a = n.decimalValue();
        } else if (n.isTextual() && n.asText().length() <= 32) {
            try {
                a = new BigDecimal(n.asText());
            } catch (NumberFormatException e) {
                a = null;
            }
        }
        if (a == null || a.abs().compareTo(MAX_AMOUNT) > 0 || a.stripTrailingZeros().scale() > 4) {
            throw new IllegalArgumentException("value." + field + " must be a number of at most " + MAX_AMOUNT.toPlainString()
                    + " in size, with at most 4 decimal places");
        }
        // one form per amount (10, not 10.0 or 1E+1), so that an unchanged goal compares equal and keeps its version
        a = a.stripTrailingZeros();
        return a.scale() < 0 ? a.setScale(0) : a;
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
