package dev.speck.pipeline;

import dev.speck.journal.MappedJournal;
import dev.speck.store.EventStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What {@code /healthz} answers: whether hits still get from the journal into the store (a hit
 * left unstored for {@link #STUCK_AFTER} is a stuck loader), and whether the journal could make
 * room for new hits. The age is the oldest unstored hit's, not the time since the last store: after
 * a quiet minute the last store is a minute old, and the first hit then is not a stuck loader.
 */
public final class Health {

    /** How old the oldest unstored hit may grow: longer than the burst deferral (30 s) stands back. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final MappedJournal journal;
    private final EventLoader loader;
    private final EventStore store;
    private final Supplier<String> transport;
    private final LongSupplier clock;
    private final long limitMillis;

    /** @param transport the server's network transport (epoll, nio), read when asked */
    public Health(MappedJournal journal, EventLoader loader, EventStore store, Supplier<String> transport) {
        this(journal, loader, store, transport, System::currentTimeMillis, STUCK_AFTER);
    }

    Health(MappedJournal journal, EventLoader loader, EventStore store, Supplier<String> transport,
           LongSupplier clock, Duration limit) {
        this.journal = journal;
        this.loader = loader;
        this.store = store;
        this.transport = transport;
        this.clock = clock;
        this.limitMillis = limit.toMillis();
    }

    public Map<String, Object> report() {
        Map<String, Object> h = new LinkedHashMap<>();
        long now = clock.getAsLong();
        long backlog = journal.backlogBytes();
        // With a backlog, its oldest hit came after the loader last found the journal drained.
        long oldestUnstored = backlog > 0 ? Math.max(0, now - loader.caughtUpAt()) : 0;
        boolean loaderStuck = oldestUnstored > limitMillis;
        String journalProblem = journal.allocationError();
        h.put("status", loaderStuck || journalProblem != null ? "degraded" : "ok");
        h.put("transport", transport.get());
        h.put("journalBacklogBytes", backlog);
        h.put("storedEvents", store.storedEvents());
        h.put("secondsSinceLastStore", Math.max(0, now - loader.lastStoredAt()) / 1000);
        h.put("oldestUnstoredHitSeconds", oldestUnstored / 1000);
        if (journalProblem != null) {
            h.put("journal", journalProblem);
        }
        return h;
    }
}
