package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Judges each chunk of stored events against the active triggers and hands what fires to the
 * {@link ActionSink}. The triggers are held in memory per pixel (a chunk of a pixel without any costs
 * one map lookup per event) and read again from the {@link TriggerStore} after every change.
 */
public final class TriggerEngine {

    private final TriggerStore store;
    private final CustomerLookup customers;
    private final ActionSink sink;
    private volatile Map<String, TriggerIndex> byPixel = Map.of();
    private volatile List<Trigger> patterns = List.of();
    /** The enabled triggers started by a segment's entries or exits, by segment id. */
    private volatile Map<String, List<Trigger>> bySegment = Map.of();
    private volatile int active;
    private final Map<String, long[]> minuteCounts = new ConcurrentHashMap<>();
    private final AtomicLong fired = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong unsendable = new AtomicLong();

    public TriggerEngine(TriggerStore store, CustomerLookup customers, ActionSink sink) {
        this.store = store;
        this.customers = customers;
        this.sink = sink;
        reload();
    }

    /** Reads the triggers again: a change is in force from the next chunk on. */
    public void reload() {
        List<Trigger> all = store.all();
        Map<String, List<Trigger>> live = all.stream().filter(t -> t.enabled() && t.live())
                .collect(Collectors.groupingBy(Trigger::pixel));
        Map<String, TriggerIndex> index = new HashMap<>();
        live.forEach((pixel, triggers) -> index.put(pixel, new TriggerIndex(triggers)));
        byPixel = index;
        active = live.values().stream().mapToInt(List::size).sum();
        patterns = all.stream().filter(t -> t.enabled() && !t.live() && !t.onSegment()).toList();
        bySegment = all.stream().filter(t -> t.enabled() && t.onSegment())
                .collect(Collectors.groupingBy(t -> t.when().target()));
    }

    /** Active live triggers, for the metrics. */
    public int active() {
        return active;
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

    /** The firings of a chunk, limits applied (and recorded). */
    List<Firing> evaluate(List<Event> events, List<Achievement> achievements, IntFunction<String> hitKey) {
        Map<String, TriggerIndex> active = byPixel;
        if (active.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<Achievement>> achievedBy = new HashMap<>();
        for (Achievement a : achievements) {
            achievedBy.computeIfAbsent(a.eventIndex(), k -> new ArrayList<>()).add(a);
        }
        // first the triggers each event could start, by the index: most events have none
        Map<Integer, List<Trigger>> candidates = new LinkedHashMap<>();
        Set<String> visitors = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            TriggerIndex index = active.get(e.hit().pixel());
            if (index == null || !TriggerMatch.eligible(e)) {
                continue;
            }
            List<Trigger> could = new ArrayList<>(2);
            index.candidates(e, achievedBy.getOrDefault(i, List.of()), could);
            if (!could.isEmpty()) {
                candidates.put(i, could);
                if (could.stream().anyMatch(TriggerEngine::needsCustomer)) {
                    visitors.add(e.visitorId());
                }
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<String, CustomerLookup.Known> known = visitors.isEmpty() ? Map.of() : customers.customersOf(visitors);
        List<Firing> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Trigger>> c : candidates.entrySet()) {
            int i = c.getKey();
            Event e = events.get(i);
            CustomerLookup.Known k = known.get(e.visitorId());
            boolean recognisedNow = k != null && k.since() == e.hit().receivedAt();
            List<Achievement> achieved = achievedBy.getOrDefault(i, List.of());
            for (Trigger t : new java.util.LinkedHashSet<>(c.getValue())) {
                if (TriggerMatch.fires(t, e, achieved, k == null ? null : k.customer(), recognisedNow)) {
                    Firing f = firing(t, e, achieved, k, hitKey.apply(i));
                    if (f != null) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    /** Whether judging a trigger needs the visitor's customer: for customers, or a customer's attribute, or a recognition. */
    private static boolean needsCustomer(Trigger t) {
        return t.who() == Trigger.Who.CUSTOMERS || t.when().kind() == When.Kind.RECOGNISED
                || t.conditions().stream().anyMatch(Condition::onCustomer);
    }

    /** The enabled pattern triggers, for the {@link PatternJob}. */
    List<Trigger> patterns() {
        return patterns;
    }

    /** Hands firings found by the pattern job to the outbox. */
    void enqueue(List<Firing> firings) {
        if (!firings.isEmpty()) {
            sink.enqueue(firings);
            fired.addAndGet(firings.size());
        }
    }

    /** A firing of {@code t} for this event, limits applied (and recorded), or null. */
    Firing firing(Trigger t, Event e, List<Achievement> achieved, CustomerLookup.Known k, String hitKey) {
        String key = t.id() + ":" + hitKey;
        String customerId = k == null ? null : k.customer().id();
        Instant at = Instant.ofEpochMilli(e.hit().receivedAt());
        if (t.limits().oncePer() != null) {
            // per customer, else per visitor (never sent: the limit's record stays in the store)
            String subject = customerId != null ? customerId : "v:" + e.visitorId();
            if (!store.claim(t.id(), subject, key, at, t.limits().oncePer())) {
                limited.incrementAndGet();
                return null;
            }
        }
        if (!withinRate(t)) {
            rateLimited.incrementAndGet();
            return null;
        }
        byte[] body = Payloads.body(t, key, e, TriggerMatch.achievement(t.when(), achieved),
                k == null ? null : k.customer(), Instant.now());
        if (body == null) {
            unsendable.incrementAndGet();
            return null;
        }
        return new Firing(t, key, t.who() == Trigger.Who.CUSTOMERS ? customerId : null, t.action().url(),
                t.action().headers(), body);
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
        List<Trigger> candidates = bySegment.getOrDefault(segmentId, List.of());
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
