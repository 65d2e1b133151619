package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.enrich.TrafficSource;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What "send test" sends for a trigger: its real payload, built by {@link Payloads} from the last stored
 * hit of the last {@link #LOOK_BACK} that it would have fired on (judged by {@link TriggerMatch}, limits
 * aside), else from a made-up hit and customer. Either way the payload says {@code "test": true}, so a
 * receiver can tell it from a firing.
 *
 * @param body       the JSON payload
 * @param customerId the stored sample's customer (for order and erasure), or null
 * @param hitTime    when the stored sample was received, or null for a made-up one
 * @param hitKey     the stored sample's key in the store, or null
 */
public record TestSample(byte[] body, String customerId, Instant hitTime, String hitKey) {

    public static final Duration LOOK_BACK = Duration.ofDays(7);
    /** The made-up customer of a made-up sample: a reserved domain, so a newsletter test reaches no one. */
    static final String TEST_EMAIL = "test@example.com";

    /** Whether it was made up (no stored hit fitted). */
    public boolean synthetic() {
        return hitTime == null;
    }

    /**
     * @param key    the test delivery's key: the payload's id
     * @param stored whether to look for a stored hit first (false: a made-up one at once)
     */
    public static TestSample of(Trigger trigger, TriggerHistory history, String key, Instant now, boolean stored) {
        // a disabled trigger can be tested too: judge it as if it were on
        Trigger t = new Trigger(trigger.id(), trigger.pixel(), trigger.name(), true, trigger.when(), trigger.pattern(),
                trigger.who(), trigger.conditions(), trigger.limits(), trigger.action(), trigger.created(), trigger.updated());
        TriggerHistory.Replayed last = stored ? last(t, history, now) : null;
        if (last != null) {
            byte[] body = Payloads.body(t, key, last.event(), TriggerMatch.achievement(t.when(), last.achieved()),
                    last.customer(), now);
            if (body != null) {
                String customer = t.who() == Trigger.Who.CUSTOMERS && last.customer() != null ? last.customer().id() : null;
                return new TestSample(marked(body), customer,
                        Instant.ofEpochMilli(last.event().hit().receivedAt()), last.key());
            }
        }
        Customer customer = new Customer("cu_test", "test-customer", TEST_EMAIL, "Test Customer", Map.of(), List.of(),
                now, now);
        byte[] body = Payloads.body(t, key, madeUp(t.pixel(), t.when(), now), madeUpGoal(t.when()), customer, now);
        return new TestSample(marked(body), null, null, null);
    }

    /** The last stored hit of the look-back that fires the trigger and makes a sendable payload, or null. */
    private static TriggerHistory.Replayed last(Trigger t, TriggerHistory history, Instant now) {
        TriggerHistory.Replayed[] last = {null};
        boolean needsEmail = t.action().type() == Action.Type.NEWSLETTER;
        history.replay(t.pixel(), t.when(), now.minus(LOOK_BACK), now.plusSeconds(1), DryRun.MAX_EVENTS, r -> {
            if (TriggerMatch.fires(t, r.event(), r.achieved(), r.customer(), r.recognised())
                    && (!needsEmail || (r.customer() != null && r.customer().email() != null))) {
                last[0] = r;
            }
        });
        return last[0];
    }

    /** A hit of the kind the trigger starts on, on a page of example.com, with no visitor data. */
    private static Event madeUp(String pixel, When when, Instant now) {
        HitKind kind = switch (when.kind()) {
            case GOAL -> HitKind.GOAL;
            case EVENT -> HitKind.EVENT;
            case PAGE, RECOGNISED, SEGMENT_ENTERED, SEGMENT_LEFT -> HitKind.PAGE_VIEW;
        };
        String path = when.kind() == When.Kind.PAGE ? literal(when.target()) : "/";
        Hit hit = Hit.of(now.toEpochMilli(), kind, pixel)
                .name(when.kind() == When.Kind.EVENT ? eventName(when.target()) : null)
                .page(new Hit.Page("https://example.com" + path, null,
                        "Test page (made up by Speck)"))
                .build();
        return new Event(hit, "test-visitor", null, null, null, TrafficSource.DIRECT, null, null);
    }

    private static Achievement madeUpGoal(When when) {
        return when.kind() == When.Kind.GOAL ? new Achievement(0, when.target(), 0, when.minValue(), when.currency()) : null;
    }

    private static String eventName(String glob) {
        String s = glob.replace("*", "");
        return s.isEmpty() ? "test" : s;
    }

    /** A path glob as a path it matches: its wildcards left out ("/pricing*" is "/pricing"), with a leading "/". */
    private static String literal(String glob) {
        String s = glob == null ? "" : glob.replace("*", "");
        return s.startsWith("/") ? s : "/" + s;
    }

    /** The payload with {@code "test": true} first: every payload is a JSON object with at least one member. */
    private static byte[] marked(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8);
        return ("{\"test\":true," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
    }
}
