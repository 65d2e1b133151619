package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.enrich.Verdict;
import dev.speck.goals.Achievement;
import dev.speck.goals.Glob;
import dev.speck.hit.HitKind;
import dev.speck.hit.Signals;

import java.net.URI;
import java.util.List;

/**
 * Whether one stored event fires one trigger: the pure rule, with no store and no limits, so that the
 * live stage, the dry run and the tests judge alike.
 */
public final class TriggerMatch {

    private TriggerMatch() {
    }

    /**
     * Whether an event may fire any trigger at all: a person's hit, recorded with a visitor
     * (not anonymised for lack of consent). Non-human traffic never fires a trigger.
     */
    public static boolean eligible(Event event) {
        return event.quality().verdict() == Verdict.HUMAN && event.visitorId() != null
                && !"1".equals(event.hit().signals().get(Signals.ANONYMOUS));
    }

    /**
     * The achievement (or, for non-goal triggers, a null-valued marker) that makes {@code event} fire
     * {@code trigger}, or null when it does not.
     *
     * @param achieved   the goals this event achieved
     * @param customer   the event's visitor's customer, or null when not recognised
     * @param recognised whether this event linked its visitor to a customer for the first time
     */
    public static boolean fires(Trigger trigger, Event event, List<Achievement> achieved, Customer customer,
                                boolean recognised) {
        if (!trigger.enabled() || !trigger.pixel().equals(event.hit().pixel()) || !eligible(event)) {
            return false;
        }
        if (trigger.who() == Trigger.Who.CUSTOMERS && customer == null) {
            return false;
        }
        if (!starts(trigger.when(), event, achieved, recognised)) {
            return false;
        }
        for (Condition c : trigger.conditions()) {
            if (!c.holds(value(c, event, customer))) {
                return false;
            }
        }
        return true;
    }

    /** The achievement of a goal trigger's goal that meets its value and currency, or null. */
    public static Achievement achievement(When when, List<Achievement> achieved) {
        if (when.kind() != When.Kind.GOAL) {
            return null;
        }
        for (Achievement a : achieved) {
            if (!a.goalId().equals(when.target())) {
                continue;
            }
            if (when.currency() != null && !when.currency().equalsIgnoreCase(a.currency())) {
                continue;
            }
            if (when.minValue() != null && (a.value() == null || a.value().compareTo(when.minValue()) < 0)) {
                continue;
            }
            return a;
        }
        return null;
    }

    private static boolean starts(When when, Event event, List<Achievement> achieved, boolean recognised) {
        HitKind kind = event.hit().kind();
        return switch (when.kind()) {
            case GOAL -> achievement(when, achieved) != null;
            case EVENT -> (kind == HitKind.EVENT || kind == HitKind.GOAL) && event.hit().name() != null
                    && Glob.matches(when.target(), event.hit().name());
            case PAGE -> kind == HitKind.PAGE_VIEW && Glob.matches(when.target(), path(event.hit().page().url()));
            case RECOGNISED -> recognised;
            case SEGMENT_ENTERED, SEGMENT_LEFT -> false; // judged by the segment job, never on a hit
        };
    }

    /** The value a condition's field has for this event and customer, or null. */
    static String value(Condition c, Event event, Customer customer) {
        return c.onCustomer() ? customerField(c, customer) : hitField(c.field(), event);
    }

    private static String customerField(Condition c, Customer customer) {
        return Condition.customerValue(c.field(), customer);
    }

    /** One of {@link Condition#HIT_FIELDS} of this event, or null. */
    static String hitField(String field, Event event) {
        return switch (field) {
            case "country" -> event.geo() == null ? null : event.geo().country();
            case "region" -> event.geo() == null ? null : event.geo().region();
            case "city" -> event.geo() == null ? null : event.geo().city();
            case "device" -> event.device() == null ? null : event.device().deviceClass();
            case "browser" -> event.device() == null ? null : event.device().browser();
            case "os" -> event.device() == null ? null : event.device().os();
            case "channel" -> event.source() == null ? null : event.source().channel();
            case "source" -> event.source() == null ? null : event.source().source();
            case "campaign" -> event.source() == null ? null : event.source().utmCampaign();
            case "medium" -> event.source() == null ? null : event.source().utmMedium();
            case "path" -> path(event.hit().page().url());
            case "host" -> host(event.hit().page().url());
            case "language" -> event.hit().client().language();
            default -> null;
        };
    }

    /** The last URL whose path was asked for on this thread, and its path: a hit is judged by many triggers. */
    private static final ThreadLocal<String[]> LAST_PATH = ThreadLocal.withInitial(() -> new String[2]);

    /** The URL's path ("/" when it has none); "" for no URL or one that does not parse. */
    static String path(String url) {
        String[] last = LAST_PATH.get();
        if (url != null && url == last[0]) { // the same String: the same hit, asked again by the next trigger
            return last[1];
        }
        String path = parsePath(url);
        last[0] = url;
        last[1] = path;
        return path;
    }

    private static String parsePath(String url) {
        URI uri = uri(url);
        if (uri == null) {
            return "";
        }
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static String host(String url) {
        URI uri = uri(url);
        return uri == null ? null : uri.getHost();
    }

    private static URI uri(String url) {
        if (url == null) {
            return null;
        }
        try {
            return new URI(url);
        } catch (Exception e) {
            return null;
        }
    }
}
