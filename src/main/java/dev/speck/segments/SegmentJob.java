package dev.speck.segments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Keeps rule segments' members current. Every few seconds it judges again only the people whose
 * membership may have changed: those with hits stored since the last run (found by seq, so a
 * restart resumes where the store says), and those with a hit that has just left one of the
 * segments' windows (time alone ends "did X in 7 days" and starts "no X in 7 days"). Each is judged
 * by the same query as the backfill, so live updates and a backfill give the same members. Entries
 * and exits are stored, then handed to triggers once each.
 */
public final class SegmentJob implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SegmentJob.class.getName());
    /** Changes handed to triggers per batch. */
    static final int DISPATCH_BATCH = 500;

    private final SegmentStore store;
    private final Consumer<List<SegmentChange>> changes;
    private final Clock clock;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong judged = new AtomicLong();
    private final AtomicLong entered = new AtomicLong();
    private final AtomicLong left = new AtomicLong();
    private ScheduledExecutorService timer;

    /**
     * @param changes where entries and exits go once stored (triggers); a failure there leaves them
     *                undispatched, to be handed over again on the next run
     */
    public SegmentJob(SegmentStore store, Consumer<List<SegmentChange>> changes, Clock clock) {
        this.store = store;
        this.changes = changes;
        this.clock = clock;
    }

    public SegmentJob start(Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("speck-segments").daemon().factory());
        timer.scheduleWithFixedDelay(this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "segment updates failed; the next run tries again", e);
        }
    }

    /**
     * Saves a new or changed segment and judges it over stored history at once, so that no live run
     * comes between (its counts are the change's own).
     */
    public synchronized SegmentStore.Changed save(Segment s) {
        store.save(s);
        return backfill(s);
    }

    /** Judges the whole segment over stored history now (a new or changed rule) and hands on its changes. */
    public synchronized SegmentStore.Changed backfill(Segment s) {
        Instant now = clock.instant();
        SegmentStore.Changed c = s.list() ? new SegmentStore.Changed(0, 0) : store.rejudge(s, now);
        count(c);
        store.recordSize(s.id(), day(now), store.size(s.id()));
        dispatch();
        return c;
    }

    /** Adds customers to or removes them from a list segment and hands on the changes. */
    public synchronized SegmentStore.Changed changeList(Segment s, List<String> customerIds, boolean add) {
        Instant now = clock.instant();
        SegmentStore.Changed c = store.changeList(s, customerIds, add, now);
        count(c);
        store.recordSize(s.id(), day(now), store.size(s.id()));
        dispatch();
        return c;
    }

    /** One run as of the clock's now; returns how many people entered or left. */
    public synchronized int runOnce() {
        long upTo = store.lastSeq(); // before now: every event up to it was stored (and timed) before now
        Instant now = clock.instant();
        SegmentStore.Watermark last = store.watermark();
        if (last == null) {
            // first run on this store: segments made from now on are backfilled when made
            store.saveWatermark(new SegmentStore.Watermark(upTo, now));
            return 0;
        }
        runs.incrementAndGet();
        Map<String, List<Segment>> byPixel = store.all().stream().filter(s -> !s.list())
                .collect(Collectors.groupingBy(Segment::pixel));
        Map<String, Set<String>> touched = upTo > last.seq() && !byPixel.isEmpty() ? store.touched(last.seq(), upTo) : Map.of();
        int changed = 0;
        Instant since = last.at().isBefore(now) ? last.at() : now;
        for (Map.Entry<String, List<Segment>> pixel : byPixel.entrySet()) {
            Set<Integer> windows = new HashSet<>();
            for (Segment s : pixel.getValue()) {
                windows.add(s.rule().days());
                s.rule().criteria().forEach(c -> windows.add(c.days()));
            }
            Set<String> candidates = new HashSet<>(touched.getOrDefault(pixel.getKey(), Set.of()));
            candidates.addAll(store.expired(pixel.getKey(), windows, since, now));
            if (candidates.isEmpty()) {
                continue;
            }
            judged.addAndGet(candidates.size());
            Map<String, SegmentStore.Changed> judgedNow = store.rejudge(pixel.getKey(), pixel.getValue(), now, candidates);
            for (Segment s : pixel.getValue()) {
                SegmentStore.Changed c = judgedNow.getOrDefault(s.id(), new SegmentStore.Changed(0, 0));
                count(c);
                if (c.entered() + c.left() > 0) {
                    changed += c.entered() + c.left();
                    store.recordSize(s.id(), day(now), store.size(s.id()));
                }
            }
        }
        if (!day(now).equals(day(last.at()))) {
            // a new day: every segment's size is recorded for it, changed or not
            for (Segment s : store.all()) {
                store.recordSize(s.id(), day(now), store.size(s.id()));
            }
        }
        store.saveWatermark(new SegmentStore.Watermark(upTo, now.isAfter(last.at()) ? now : last.at()));
        dispatch();
        return changed;
    }

    /** Hands stored entries and exits to triggers, oldest first, each once. */
    private void dispatch() {
        List<SegmentChange> batch;
        do {
            batch = store.undispatched(DISPATCH_BATCH);
            if (batch.isEmpty()) {
                return;
            }
            changes.accept(batch);
            List<Long> ids = new ArrayList<>(batch.size());
            batch.forEach(c -> ids.add(c.id()));
            store.dispatched(ids);
        } while (batch.size() == DISPATCH_BATCH);
    }

    private void count(SegmentStore.Changed c) {
        entered.addAndGet(c.entered());
        left.addAndGet(c.left());
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** Runs, people judged again, entries and exits since start, for the metrics. */
    public long runs() {
        return runs.get();
    }

    public long judged() {
        return judged.get();
    }

    public long entered() {
        return entered.get();
    }

    public long left() {
        return left.get();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
