package dev.speck.triggers;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A trigger as the API reads and writes it (docs/TRIGGERS.md). Reading checks every part and says
 * what is wrong in an IllegalArgumentException; the bounds keep one trigger small.
 */
public final class TriggerJson {

    static final int MAX_NAME = 200;
    static final int MAX_CONDITIONS = 20;
    static final int MAX_VALUES = 100;
    static final int MAX_VALUE = 200;
    static final int MAX_HEADERS = 20;
    static final int MAX_URL = 2048;
    static final Duration MAX_PERIOD = Duration.ofDays(3650);
    private static final Set<String> PLATFORMS = Set.of("listmonk", "mautic", "generic");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "connection",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "keep-alive", "proxy-authorization");

    private TriggerJson() {
    }

    /**
     * Reads a trigger from an API body.
     *
     * @param goalExists whether a goal id names a goal of the pixel
     */
    public static Trigger read(JsonNode body, String id, String pixel, Instant created, Instant now,
                               Predicate<String> goalExists) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("a trigger is a JSON object");
        }
        String name = text(body, "name", MAX_NAME, true);
        boolean enabled = !body.has("enabled") || bool(body.get("enabled"), "enabled");
        When when = when(body.get("when"), goalExists);
        Trigger.Who who = Trigger.Who.fromWireName(text(body, "who", 20, false) == null ? "customers" : body.get("who").asText());
        if (who == null) {
            throw new IllegalArgumentException("who is customers or anyone");
        }
        List<Condition> conditions = conditions(body.get("conditions"));
        if (who == Trigger.Who.ANYONE && conditions.stream().anyMatch(Condition::onCustomer)) {
            throw new IllegalArgumentException("a trigger for anyone cannot test customer attributes: set who to customers");
        }
        Limits limits = limits(body.get("limits"));
        Action action = action(body.get("action"));
        if (action.type() == Action.Type.NEWSLETTER && who != Trigger.Who.CUSTOMERS) {
            throw new IllegalArgumentException("a newsletter goes to a customer's email: set who to customers");
        }
        if (when.kind() == When.Kind.RECOGNISED && who != Trigger.Who.CUSTOMERS) {
            throw new IllegalArgumentException("a recognised trigger is about customers: set who to customers");
        }
        Pattern pattern = pattern(body.get("pattern"), when, goalExists);
        if ((when.kind() == When.Kind.SEGMENT_ENTERED || when.kind() == When.Kind.SEGMENT_LEFT)
                && (pattern != null || conditions.stream().anyMatch(c -> !c.onCustomer()))) {
            throw new IllegalArgumentException("a segment trigger has no hit to test: no pattern, and conditions on customer.<attribute> only");
        }
        if (pattern != null && limits.oncePer() == null) {
            // a repeated pattern fits again at every further start; an abandoned cart is one mail a day at most
            limits = new Limits(pattern.repeated() ? pattern.within() : Duration.ofDays(1), limits.maxPerMinute());
        }
        return new Trigger(id, pixel, name, enabled, when, pattern, who, conditions, limits, action, created, now);
    }

    /** The API's view of a trigger (header values are not shown: they often hold credentials). */
    public static Map<String, Object> write(Trigger t) {
        return write(t, false);
    }

    /** What the store keeps: everything {@link #read} needs, header values included. */
    public static Map<String, Object> stored(Trigger t) {
        return write(t, true);
    }

    private static Map<String, Object> write(Trigger t, boolean headerValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("pixel", t.pixel());
        out.put("name", t.name());
        out.put("enabled", t.enabled());
        Map<String, Object> when = new LinkedHashMap<>();
        when.put("kind", t.when().kind().wireName());
        switch (t.when().kind()) {
            case GOAL -> when.put("goal", t.when().target());
            case EVENT -> when.put("name", t.when().target());
            case PAGE -> when.put("path", t.when().target());
            case RECOGNISED -> { }
            case SEGMENT_ENTERED, SEGMENT_LEFT -> when.put("segment", t.when().target());
        }
        if (t.when().minValue() != null) {
            when.put("minValue", t.when().minValue());
        }
        if (t.when().currency() != null) {
            when.put("currency", t.when().currency());
        }
        out.put("when", when);
        if (t.pattern() != null) {
            Map<String, Object> pattern = new LinkedHashMap<>();
            if (t.pattern().repeated()) {
                pattern.put("times", t.pattern().times());
                pattern.put("within", t.pattern().within().toString());
            } else {
                pattern.put("after", t.pattern().after().toString());
            }
            if (t.pattern().unlessGoal() != null) {
                pattern.put("unless", Map.of("goal", t.pattern().unlessGoal()));
            }
            out.put("pattern", pattern);
        }
        out.put("who", t.who().wireName());
        out.put("conditions", writeConditions(t.conditions()));
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("oncePer", t.limits().oncePer() == null ? null : t.limits().oncePer().toString());
        limits.put("maxPerMinute", t.limits().maxPerMinute());
        out.put("limits", limits);
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", t.action().type().wireName());
        action.put("url", t.action().url());
        if (t.action().platform() != null) {
            action.put("platform", t.action().platform());
            action.put("template", t.action().template());
        }
        action.put("headers", headerValues ? t.action().headers() : t.action().headers().keySet().stream().sorted().toList());
        out.put("action", action);
        out.put("created", t.created().toString());
        out.put("updated", t.updated().toString());
        return out;
    }

    private static When when(JsonNode node, Predicate<String> goalExists) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("when is an object: {\"kind\": \"goal\", \"goal\": \"<goal id>\"}, "
                    + "{\"kind\": \"event\", \"name\": \"…\"}, {\"kind\": \"page\", \"path\": \"/pricing*\"} or {\"kind\": \"recognised\"}");
        }
        When.Kind kind = When.Kind.fromWireName(node.path("kind").asText(""));
        if (kind == null) {
            throw new IllegalArgumentException("when.kind is goal, event, page, recognised, segment_entered or segment_left");
        }
        String target = switch (kind) {
            case GOAL -> text(node, "goal", MAX_VALUE, true);
            case EVENT -> text(node, "name", MAX_VALUE, true);
            case PAGE -> text(node, "path", MAX_VALUE, true);
            case RECOGNISED -> null;
            case SEGMENT_ENTERED, SEGMENT_LEFT -> text(node, "segment", MAX_VALUE, true);
        };
        if (kind == When.Kind.GOAL && !goalExists.test(target)) {
            throw new IllegalArgumentException("when.goal names no goal of this pixel: " + target);
        }
        if (kind == When.Kind.PAGE && !target.startsWith("/")) {
            throw new IllegalArgumentException("when.path is a path such as /pricing or /blog/*");
        }
        BigDecimal minValue = null;
        String currency = null;
        if (node.has("minValue") || node.has("currency")) {
            if (kind != When.Kind.GOAL) {
                throw new IllegalArgumentException("minValue and currency apply to goal triggers only");
            }
            JsonNode v = node.get("minValue");
            if (v != null && !v.isNull()) {
                try {
                    minValue = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("when.minValue is a number such as 50 or \"49.99\"");
                }
                if (minValue.scale() > 4 || minValue.abs().compareTo(new BigDecimal("100000000000000")) >= 0) {
                    throw new IllegalArgumentException("when.minValue takes at most 4 decimals and 14 digits before the point");
                }
            }
            currency = text(node, "currency", 3, false);
            if (currency != null && !currency.matches("[A-Za-z]{3}")) {
                throw new IllegalArgumentException("when.currency is a three-letter code such as EUR");
            }
            currency = currency == null ? null : currency.toUpperCase(Locale.ROOT);
        }
        return new When(kind, target, minValue, currency);
    }

    /** Conditions as {@link #conditions} reads them. */
    public static List<Map<String, Object>> writeConditions(List<Condition> list) {
        List<Map<String, Object>> conditions = new ArrayList<>();
        for (Condition c : list) {
            conditions.add(Map.of("field", c.field(), "op", c.op().wireName(), "values", c.values()));
        }
        return conditions;
    }

    /** {"times": 3, "within": "7d", "unless": {"goal": "g_…"}} or {"after": "2h", "unless": {"goal": "g_…"}}. */
    private static Pattern pattern(JsonNode node, When when, Predicate<String> goalExists) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("pattern is {\"times\": 3, \"within\": \"7d\"} or {\"after\": \"2h\", \"unless\": {\"goal\": …}}");
        }
        if (when.kind() == When.Kind.RECOGNISED) {
            throw new IllegalArgumentException("a recognised trigger takes no pattern");
        }
        String unlessGoal = null;
        JsonNode unless = node.get("unless");
        if (unless != null && !unless.isNull()) {
            unlessGoal = text(unless, "goal", MAX_VALUE, true);
            if (!goalExists.test(unlessGoal)) {
                throw new IllegalArgumentException("pattern.unless.goal names no goal of this pixel: " + unlessGoal);
            }
        }
        String after = text(node, "after", 40, false);
        if (after != null) {
            if (node.has("times") || node.has("within")) {
                throw new IllegalArgumentException("a pattern is either after (with unless) or times within, not both");
            }
            if (unlessGoal == null) {
                throw new IllegalArgumentException("pattern.after needs unless: the goal that, reached in time, cancels it");
            }
            Duration wait = period(after, "pattern.after");
            if (wait.compareTo(Duration.ofMinutes(1)) < 0 || wait.compareTo(Duration.ofDays(30)) > 0) {
                throw new IllegalArgumentException("pattern.after is from 1 minute to 30 days");
            }
            return new Pattern(1, null, wait, unlessGoal);
        }
        JsonNode times = node.get("times");
        if (times == null || !times.canConvertToInt() || times.asInt() < 2 || times.asInt() > 1000) {
            throw new IllegalArgumentException("pattern.times is a whole number from 2 to 1000");
        }
        String within = text(node, "within", 40, true);
        Duration window = period(within, "pattern.within");
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(90)) > 0) {
            throw new IllegalArgumentException("pattern.within is from 1 minute to 90 days");
        }
        return new Pattern(times.asInt(), window, null, unlessGoal);
    }

    private static Duration period(String text, String field) {
        try {
            return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text.toUpperCase(Locale.ROOT)) : shortPeriod(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " is a period such as \"30d\", \"12h\", \"90m\" or \"P7D\"");
        }
    }

    /** Conditions as triggers and segments read them: a list of {"field", "op", "values"}. */
    public static List<Condition> conditions(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_CONDITIONS) {
            throw new IllegalArgumentException("conditions is a list of at most " + MAX_CONDITIONS + " {\"field\", \"op\", \"values\"}");
        }
        List<Condition> out = new ArrayList<>();
        for (JsonNode c : node) {
            String field = text(c, "field", 100, true);
            if (!Condition.HIT_FIELDS.contains(field)
                    && !(field.startsWith(Condition.CUSTOMER_PREFIX) && field.length() > Condition.CUSTOMER_PREFIX.length())) {
                throw new IllegalArgumentException("condition field " + field + " is none of " + Condition.HIT_FIELDS
                        + " nor customer.<attribute>");
            }
            Condition.Op op = Condition.Op.fromWireName(c.path("op").asText(""));
            if (op == null) {
                throw new IllegalArgumentException("condition op is is, is_not, in, not_in, contains or starts_with");
            }
            JsonNode values = c.get("values");
            List<String> list = new ArrayList<>();
            if (values != null && values.isArray() && values.size() <= MAX_VALUES) {
                for (JsonNode v : values) {
                    if (!v.isValueNode() || v.isNull() || v.asText().length() > MAX_VALUE) {
                        throw new IllegalArgumentException("condition values are texts of at most " + MAX_VALUE + " characters");
                    }
                    list.add(v.asText());
                }
            }
            boolean single = op != Condition.Op.IN && op != Condition.Op.NOT_IN;
            if (list.isEmpty() || (single && list.size() != 1)) {
                throw new IllegalArgumentException("condition on " + field + ": values holds "
                        + (single ? "exactly one value" : "1 to " + MAX_VALUES + " values") + " for " + op.wireName());
            }
            out.add(new Condition(field, op, list));
        }
        return out;
    }

    private static Limits limits(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Limits(null, Limits.DEFAULT_PER_MINUTE);
        }
        Duration oncePer = null;
        String period = text(node, "oncePer", 40, false);
        if (period != null) {
            try {
                oncePer = Duration.parse(period.startsWith("P") || period.startsWith("p") ? period.toUpperCase(Locale.ROOT)
                        : "PT" + period.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                oncePer = shortPeriod(period);
            }
            if (oncePer.isNegative() || oncePer.isZero() || oncePer.compareTo(MAX_PERIOD) > 0) {
                throw new IllegalArgumentException("limits.oncePer is a period from 1 second to 3650 days, e.g. \"30d\", \"12h\" or \"P7D\"");
            }
        }
        int perMinute = Limits.DEFAULT_PER_MINUTE;
        JsonNode rate = node.get("maxPerMinute");
        if (rate != null && !rate.isNull()) {
            if (!rate.canConvertToInt() || rate.asInt() < 1 || rate.asInt() > Limits.MAX_PER_MINUTE) {
                throw new IllegalArgumentException("limits.maxPerMinute is a whole number from 1 to " + Limits.MAX_PER_MINUTE);
            }
            perMinute = rate.asInt();
        }
        return new Limits(oncePer, perMinute);
    }

    /** "30d", "12h", "90m", "45s". */
    private static Duration shortPeriod(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.length() >= 2 && t.substring(0, t.length() - 1).chars().allMatch(Character::isDigit) && t.length() <= 8) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 'd': return Duration.ofDays(n);
                case 'h': return Duration.ofHours(n);
                case 'm': return Duration.ofMinutes(n);
                case 's': return Duration.ofSeconds(n);
                default: break;
            }
        }
        throw new IllegalArgumentException("limits.oncePer is a period such as \"30d\", \"12h\" or \"P7D\"");
    }

    private static Action action(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("action is an object: {\"type\": \"webhook\", \"url\": \"https://…\"}");
        }
        Action.Type type = Action.Type.fromWireName(node.path("type").asText(""));
        if (type == null) {
            throw new IllegalArgumentException("action.type is webhook or newsletter");
        }
        String url = text(node, "url", MAX_URL, true);
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("action.url is not a URL");
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("action.url is an http(s) URL with a host and no user:password");
        }
        String platform = null;
        String template = null;
        if (type == Action.Type.NEWSLETTER) {
            platform = text(node, "platform", 20, true);
            if (!PLATFORMS.contains(platform)) {
                throw new IllegalArgumentException("action.platform is listmonk, mautic or generic");
            }
            template = text(node, "template", MAX_VALUE, true);
            if (platform.equals("listmonk") && !template.matches("[0-9]{1,18}")) {
                throw new IllegalArgumentException("action.template for listmonk is the transactional template's number");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = node.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject() || h.size() > MAX_HEADERS) {
                throw new IllegalArgumentException("action.headers is an object of at most " + MAX_HEADERS + " headers");
            }
            for (var it = h.fields(); it.hasNext(); ) {
                var e = it.next();
                String name = e.getKey();
                String value = e.getValue().asText();
                if (!name.matches("[A-Za-z0-9-]{1,64}") || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                        || name.toLowerCase(Locale.ROOT).startsWith("speck-") || name.toLowerCase(Locale.ROOT).startsWith("proxy-")) {
                    throw new IllegalArgumentException("action.headers: " + name + " cannot be set");
                }
                if (!e.getValue().isTextual() || value.length() > 1000 || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException("action.headers: the value of " + name + " is text of at most 1000 printable characters");
                }
                headers.put(name, value);
            }
        }
        return new Action(type, url, platform, template, headers);
    }

    private static String text(JsonNode node, String field, int max, boolean required) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw new IllegalArgumentException(field + " is text of 1 to " + max + " characters");
        }
        return v.asText().strip();
    }

    private static boolean bool(JsonNode v, String field) {
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + " is true or false");
        }
        return v.asBoolean();
    }
}
