package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Judges each chunk of stored events against the active triggers and hands what fires to the
 * {@link ActionSink}. The triggers are held in memory per pixel ({@link ActiveTriggers}: a chunk of a pixel
 * without any costs one map lookup per event); a change reads the one trigger again ({@link #changed}).
 */
public final class TriggerEngine {

    private final TriggerStore store;
    private final CustomerLookup customers;
    private final ActionSink sink;
    private final ActiveTriggers triggers;
    private final Map<String, long[]> minuteCounts = new ConcurrentHashMap<>();
    private final AtomicLong fired = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong unsendable = new AtomicLong();

    public TriggerEngine(TriggerStore store, CustomerLookup customers, ActionSink sink) {
        this.store = store;
        this.customers = customers;
        this.sink = sink;
        this.triggers = new ActiveTriggers(store);
        reload();
    }

    /** Reads every trigger again: a change is in force from the next chunk on. */
    public void reload() {
        triggers.reload();
    }

    /**
     * Reads one trigger again after it was created, changed or deleted, and builds only its pixel's
     * index again: in force from the next chunk on.
     */
    public void changed(String triggerId) {
        triggers.changed(triggerId);
    }

    /** Active live triggers, for the metrics. */
    public int active() {
        return triggers.live();
    }

    /**
     * Evaluates a chunk and enqueues its firings.
     *
     * @param hitKey each event's stable identity (its journal record), by index
     */
    public void fire(List<Event> events, List<Achievement> achievements, IntFunction<String> hitKey) {
        List<Firing> firings = evaluate(events, achievements, hitKey);
        if (!firings.isEmpty()) {
            sink.enqueue(firings);
            fired.addAndGet(firings.size());
        }
    }

    /** A rule the hit alone lets fire; whether its customer does too is judged once they are looked up. */
    private record Passed(int event, Rule rule, TriggerIndex.Scratch scratch) {
    }

    /**
     * The firings of a chunk, limits applied (and recorded): first what each hit alone decides (its
     * pixel's index, the shared conditions, the start), then the customers of the visitors that need
     * one, looked up once for the chunk, then the rest of each rule, in the chunk's order.
     */
    List<Firing> evaluate(List<Event> events, List<Achievement> achievements, IntFunction<String> hitKey) {
        Map<String, TriggerIndex> active = triggers.byPixel();
        if (active.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<Achievement>> achievedBy = new HashMap<>();
        for (Achievement a : achievements) {
            achievedBy.computeIfAbsent(a.eventIndex(), k -> new ArrayList<>()).add(a);
        }
        Map<TriggerIndex, TriggerIndex.Scratch> scratches = new IdentityHashMap<>();
        List<Rule> could = new ArrayList<>();
        List<Passed> passed = new ArrayList<>();
        Set<String> visitors = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            TriggerIndex index = active.get(e.hit().pixel());
            if (index == null || !TriggerMatch.eligible(e)) {
                continue;
            }
            TriggerIndex.Scratch scratch = scratches.computeIfAbsent(index, TriggerIndex::scratch);
            List<Achievement> achieved = achievedBy.getOrDefault(i, List.of());
            could.clear();
            index.candidates(e, achieved, scratch, could);
            if (could.isEmpty()) {
                continue;
            }
            for (Rule r : could) {
                if (r.needsCustomer()) {
                    visitors.add(e.visitorId());
                }
                if (r.hitAllows(e, achieved, scratch.judged)) {
                    passed.add(new Passed(i, r, scratch));
                }
            }
        }
        if (passed.isEmpty()) {
            return List.of();
        }
        Map<String, CustomerLookup.Known> known = visitors.isEmpty() ? Map.of() : customers.customersOf(visitors);
        List<Matched> matched = new ArrayList<>();
        int judging = -1;
        for (Passed p : passed) {
            int i = p.event();
            Event e = events.get(i);
            CustomerLookup.Known k = known.get(e.visitorId());
            boolean recognisedNow = k != null && k.since() == e.hit().receivedAt();
            if (i != judging) { // the hit's conditions on its customer, judged once for its rules
                p.scratch().judged.next();
                judging = i;
            }
            List<Achievement> achieved = achievedBy.getOrDefault(i, List.of());
            if (p.rule().customerAllows(k == null ? null : k.customer(), recognisedNow, e, p.scratch().judged)) {
                matched.add(new Matched(p.rule().trigger(), e, achieved, k, hitKey.apply(i)));
            }
        }
        return firings(matched);
    }

    /** The enabled pattern triggers, for the {@link PatternJob}. */
    List<Trigger> patterns() {
        return triggers.patterns();
    }

    /** Hands firings found by the pattern job to the outbox. */
    void enqueue(List<Firing> firings) {
        if (!firings.isEmpty()) {
            sink.enqueue(firings);
            fired.addAndGet(firings.size());
        }
    }

    /** A trigger this event fires, before its limits. */
    record Matched(Trigger trigger, Event event, List<Achievement> achieved, CustomerLookup.Known known, String hitKey) {

        String key() {
            return trigger.id() + ":" + hitKey;
        }

        String customerId() {
            return known == null ? null : known.customer().id();
        }
    }

    /** A firing of {@code t} for this event, limits applied (and recorded), or null. */
    Firing firing(Trigger t, Event e, List<Achievement> achieved, CustomerLookup.Known k, String hitKey) {
        List<Firing> out = firings(List.of(new Matched(t, e, achieved, k, hitKey)));
        return out.isEmpty() ? null : out.get(0);
    }

    /**
     * The firings of what matched, in order, limits applied: the once-per limits claimed in the store
     * in one go (one transaction for a chunk, not one per firing), then each trigger's rate.
     */
    List<Firing> firings(List<Matched> matched) {
        List<TriggerStore.Claim> claims = new ArrayList<>();
        for (Matched m : matched) {
            if (m.trigger().limits().oncePer() != null) {
                // per customer, else per visitor (never sent: the limit's record stays in the store)
                String subject = m.customerId() != null ? m.customerId() : "v:" + m.event().visitorId();
                claims.add(new TriggerStore.Claim(m.trigger().id(), subject, m.key(),
                        Instant.ofEpochMilli(m.event().hit().receivedAt()), m.trigger().limits().oncePer()));
            }
        }
        boolean[] claimed = claims.isEmpty() ? new boolean[0] : store.claimAll(claims);
        List<Firing> out = new ArrayList<>();
        int claim = 0;
        for (Matched m : matched) {
            Trigger t = m.trigger();
            if (t.limits().oncePer() != null && !claimed[claim++]) {
                limited.incrementAndGet();
                continue;
            }
            if (!withinRate(t)) {
                rateLimited.incrementAndGet();
                continue;
            }
            CustomerLookup.Known k = m.known();
            byte[] body = Payloads.body(t, m.key(), m.event(), TriggerMatch.achievement(t.when(), m.achieved()),
                    k == null ? null : k.customer(), Instant.now());
            if (body == null) {
                unsendable.incrementAndGet();
                continue;
            }
            out.add(new Firing(t, m.key(), t.who() == Trigger.Who.CUSTOMERS ? m.customerId() : null, t.action().url(),
                    t.action().headers(), body));
        }
        return out;
    }

    /** At most maxPerMinute firings per trigger in each clock minute. */
    private boolean withinRate(Trigger t) {
        long minute = System.currentTimeMillis() / 60_000;
        long[] slot = minuteCounts.computeIfAbsent(t.id(), id -> new long[2]);
        synchronized (slot) {
            if (slot[0] != minute) {
                slot[0] = minute;
                slot[1] = 0;
            }
            if (slot[1] >= t.limits().maxPerMinute()) {
                return false;
            }
            slot[1]++;
            return true;
        }
    }

    /**
     * Fires the triggers of a person entering or leaving a segment (stored by the segment job, handed
     * over once; the key from the change's number keeps one delivery if it is handed over again).
     *
     * @param person   the customer's id, or v:<visitor id>
     * @param customer the customer, or null for a visitor not known as one
     * @return how many firings it enqueued
     */
    public int onSegment(String pixel, String segmentId, boolean entered, String person, Customer customer, long changeId,
                         Instant at) {
        List<Trigger> candidates = triggers.bySegment().getOrDefault(segmentId, List.of());
        List<Firing> out = new ArrayList<>();
        When.Kind kind = entered ? When.Kind.SEGMENT_ENTERED : When.Kind.SEGMENT_LEFT;
        for (Trigger t : candidates) {
            if (t.when().kind() != kind || !t.pixel().equals(pixel) || (t.who() == Trigger.Who.CUSTOMERS && customer == null)
                    || !t.conditions().stream().allMatch(c -> c.holds(Condition.customerValue(c.field(), customer)))) {
                continue;
            }
            String key = t.id() + ":seg." + changeId;
            if (t.limits().oncePer() != null && !store.claim(t.id(), person, key, at, t.limits().oncePer())) {
                limited.incrementAndGet();
                continue;
            }
            if (!withinRate(t)) {
                rateLimited.incrementAndGet();
                continue;
            }
            byte[] body = Payloads.segmentBody(t, key, segmentId, entered, t.who() == Trigger.Who.CUSTOMERS ? customer : null, at);
            if (body == null) {
                unsendable.incrementAndGet();
                continue;
            }
            out.add(new Firing(t, key, t.who() == Trigger.Who.CUSTOMERS ? customer.id() : null, t.action().url(),
                    t.action().headers(), body));
        }
        enqueue(out);
        return out.size();
    }

    public long fired() {
        return fired.get();
    }

    /** Skipped by a trigger's once-per limit. */
    public long limited() {
        return limited.get();
    }

    /** Skipped by a trigger's per-minute rate. */
    public long rateLimited() {
        return rateLimited.get();
    }

    /** Matched but not sendable (a newsletter for a customer without an email). */
    public long unsendable() {
        return unsendable.get();
    }
}
