package dev.speck.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Judges the pattern triggers over stored hits every few seconds: a pattern over time ("3 times in 7
 * days and no Signup", "added to cart, no Purchase within 2 hours") is a question about a person's
 * history, which the store answers in one query per trigger. What fits goes through the same
 * conditions, limits and payloads as a live trigger, with a key from the person and the start's time
 * (so a run after a restart finds the same keys and the outbox keeps one delivery each).
 */
public final class PatternJob implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PatternJob.class.getName());
    /** Matches per trigger and run at most: the rest come in the next run. */
    static final int MAX_MATCHES = 10_000;
    /** How far back an after pattern looks at its first run: starts that lapsed while Speck was down. */
    static final Duration CATCH_UP = Duration.ofDays(1);
    private static final int SEEN_KEYS = 100_000;

    private final TriggerEngine engine;
    private final TriggerHistory history;
    private final Map<String, Instant> lapsedUpTo = new HashMap<>();
    /** Keys already handed to the outbox: a repeated pattern finds the same latest start run after run. */
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_KEYS;
        }
    });
    private ScheduledExecutorService timer;

    public PatternJob(TriggerEngine engine, TriggerHistory history) {
        this.engine = engine;
        this.history = history;
    }

    public PatternJob start(Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("speck-patterns").daemon().factory());
        timer.scheduleWithFixedDelay(this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void runSafely() {
        try {
            runOnce(Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "pattern triggers failed; the next run tries again", e);
        }
    }

    /** One run over every pattern trigger as of {@code now}; returns how many firings it enqueued. */
    public synchronized int runOnce(Instant now) {
        int enqueued = 0;
        for (Trigger t : engine.patterns()) {
            List<Firing> firings = new ArrayList<>();
            if (t.pattern().repeated()) {
                history.repeated(t, now, MAX_MATCHES, r -> add(t, r, "r", firings));
            } else {
                Instant to = now.minus(t.pattern().after());
                Instant from = lapsedUpTo.getOrDefault(t.id(), to.minus(CATCH_UP));
                if (from.isBefore(to)) {
                    history.lapsed(t, from, to, MAX_MATCHES, r -> add(t, r, "a", firings));
                    lapsedUpTo.put(t.id(), to);
                }
            }
            engine.enqueue(firings);
            enqueued += firings.size();
        }
        return enqueued;
    }

    private void add(Trigger t, TriggerHistory.Replayed r, String kind, List<Firing> out) {
        if (!TriggerMatch.fires(t, r.event(), r.achieved(), r.customer(), r.recognised())) {
            return;
        }
        // a visitor id is not sent in a key (the key travels in the payload): a digest of it is
        String person = r.customer() != null ? r.customer().id() : "v" + digest(r.event().visitorId());
        String hitKey = kind + "." + person + "." + r.event().hit().receivedAt();
        if (seen.contains(t.id() + ":" + hitKey)) {
            return;
        }
        Firing f = engine.firing(t, r.event(), r.achieved(),
                r.customer() == null ? null : new CustomerLookup.Known(r.customer(), 0), hitKey);
        seen.add(t.id() + ":" + hitKey);
        if (f != null) {
            out.add(f);
        }
    }

    private static String digest(String visitorId) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(visitorId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
