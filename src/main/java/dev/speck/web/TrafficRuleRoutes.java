package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.audit.AuditTrail;
import dev.speck.enrich.TrafficRule;
import dev.speck.enrich.TrafficRules;
import dev.speck.enrich.Verdict;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * /api/traffic/rules: an admin's reclassifications (a user-agent pattern or an address range marked
 * human or not). A change is in force for the next hit at once and carried into stored history in
 * the background; each is recorded in the audit trail.
 */
public final class TrafficRuleRoutes {

    static final int MAX_RULES = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TrafficRules rules;
    private final Consumer<List<TrafficRule>> inForce;
    private final Consumer<TrafficRule> added;
    private final BiConsumer<TrafficRule, List<TrafficRule>> removed;
    private final AuditTrail audit;

    /**
     * @param inForce takes every rule, newest first, whenever they change (the enricher's)
     * @param added   carries a new rule into stored history
     * @param removed carries a removed rule's withdrawal into stored history, with the rules that remain
     */
    public TrafficRuleRoutes(TrafficRules rules, Consumer<List<TrafficRule>> inForce, Consumer<TrafficRule> added,
                             BiConsumer<TrafficRule, List<TrafficRule>> removed, AuditTrail audit) {
        this.rules = rules;
        this.inForce = inForce;
        this.added = added;
        this.removed = removed;
        this.audit = audit;
    }

    Answer list(Call call) {
        return Answer.ok(Map.of("rules", rules.list().stream().map(TrafficRuleRoutes::describe).toList(),
                "verdicts", java.util.Arrays.stream(Verdict.values()).map(Verdict::wireName).toList()));
    }

    Answer create(Call call) {
        JsonNode json = ApiJson.body(call.exchange());
        TrafficRule.Kind kind = TrafficRule.Kind.fromWireName(json.path("kind").asText(""));
        Verdict verdict = Verdict.fromWireName(json.path("verdict").asText(""));
        if (kind == null) {
            throw new BadRequest("kind must be agent, agent-regex or address");
        }
        if (verdict == null) {
            throw new BadRequest("verdict must be one of human, bot, automation, email-proxy, scanner, test, server");
        }
        JsonNode note = json.get("note");
        TrafficRule rule;
        try {
            rule = new TrafficRule("tr_" + HexFormat.of().formatHex(bytes()),
                    kind, json.path("pattern").asText(""), verdict, note == null || note.isNull() ? null : note.asText(),
                    Instant.now());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        if (rules.list().size() >= MAX_RULES) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "at most " + MAX_RULES + " traffic rules");
        }
        rules.save(rule);
        inForce.accept(rules.list());
        added.accept(rule);
        audit.record(call.requester(), "traffic-rule.create", rule.id(), details(rule));
        return Answer.json(HttpResponseStatus.CREATED, describe(rule));
    }

    Answer delete(Call call) {
        String id = call.param("id");
        TrafficRule rule = rules.list().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new BadRequest(HttpResponseStatus.NOT_FOUND, "no traffic rule '" + ApiJson.truncate(id) + "'"));
        rules.delete(id);
        List<TrafficRule> remaining = rules.list();
        inForce.accept(remaining);
        removed.accept(rule, remaining);
        audit.record(call.requester(), "traffic-rule.delete", rule.id(), details(rule));
        return Answer.json(HttpResponseStatus.OK, Map.of("deleted", rule.id()));
    }

    private static byte[] bytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    private static Map<String, Object> details(TrafficRule rule) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", rule.kind().wireName());
        d.put("pattern", rule.pattern());
        d.put("verdict", rule.verdict().wireName());
        return d;
    }

    static Map<String, Object> describe(TrafficRule rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rule.id());
        out.put("kind", rule.kind().wireName());
        out.put("pattern", rule.pattern());
        out.put("verdict", rule.verdict().wireName());
        out.put("note", rule.note());
        out.put("reason", rule.reason());
        out.put("created", rule.created().toString());
        return out;
    }
}
