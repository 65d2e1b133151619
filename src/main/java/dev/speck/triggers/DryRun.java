package dev.speck.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Would have fired 42 times for 37 customers": a trigger judged over stored history by the same rule
 * as live hits ({@link TriggerMatch}), its once-per limit applied in order, nothing sent or recorded.
 * The per-minute rate is not applied (history arrives all at once).
 */
public final class DryRun {

    /** Events read at most: a dry run answers within a request's time. */
    public static final int MAX_EVENTS = 1_000_000;
    private static final int EXAMPLES = 3;

    private DryRun() {
    }

    public static Map<String, Object> run(Trigger trigger, TriggerHistory history, Instant from, Instant to) {
        int[] fires = {0, 0};
        Set<String> subjects = new HashSet<>();
        Map<String, Instant> lastFired = new HashMap<>();
        List<Map<String, Object>> examples = new ArrayList<>();
        int read = history.replay(trigger.pixel(), trigger.when(), from, to, MAX_EVENTS, r -> {
            if (!TriggerMatch.fires(trigger, r.event(), r.achieved(), r.customer(), r.recognised())) {
                return;
            }
            String subject = r.customer() != null ? r.customer().id() : "v:" + r.event().visitorId();
            Instant at = Instant.ofEpochMilli(r.event().hit().receivedAt());
            Duration oncePer = trigger.limits().oncePer();
            Instant last = lastFired.get(subject);
            if (oncePer != null && last != null && at.isBefore(last.plus(oncePer))) {
                fires[1]++;
                return;
            }
            lastFired.put(subject, at);
            fires[0]++;
            subjects.add(subject);
            if (examples.size() < EXAMPLES) {
                byte[] body = Payloads.body(trigger, trigger.id() + ":dry-run:" + r.key(), r.event(),
                        TriggerMatch.achievement(trigger.when(), r.achieved()), r.customer(), at);
                if (body != null) {
                    examples.add(Map.of("time", at.toString(), "body", new String(body, java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("eventsRead", read);
        out.put("complete", read < MAX_EVENTS);
        out.put("wouldFire", fires[0]);
        out.put(trigger.who() == Trigger.Who.CUSTOMERS ? "customers" : "visitors", subjects.size());
        out.put("heldBackByOncePer", fires[1]);
        out.put("examples", examples);
        return out;
    }
}
