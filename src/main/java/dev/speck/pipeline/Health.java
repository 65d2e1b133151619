package dev.speck.pipeline;

import dev.speck.journal.MappedJournal;
import dev.speck.store.EventStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code /api/health} answers: whether hits still get from the journal into the store (a
 * backlog nothing was stored from for a minute is a stuck loader), and whether the journal could
 * make room for new hits.
 */
public final class Health {

    private final MappedJournal journal;
    private final EventLoader loader;
    private final EventStore store;
    private final Supplier<String> transport;

    /** @param transport the server's network transport (epoll, nio), read when asked */
    public Health(MappedJournal journal, EventLoader loader, EventStore store, Supplier<String> transport) {
        this.journal = journal;
        this.loader = loader;
        this.store = store;
        this.transport = transport;
    }

    public Map<String, Object> report() {
        Map<String, Object> h = new LinkedHashMap<>();
        long backlog = journal.backlogBytes();
        long sinceStore = System.currentTimeMillis() - loader.lastStoredAt();
        boolean loaderStuck = backlog > 0 && sinceStore > 60_000;
        String journalProblem = journal.allocationError();
        h.put("status", loaderStuck || journalProblem != null ? "degraded" : "ok");
        h.put("transport", transport.get());
        h.put("journalBacklogBytes", backlog);
        h.put("storedEvents", store.storedEvents());
        h.put("secondsSinceLastStore", sinceStore / 1000);
        if (journalProblem != null) {
            h.put("journal", journalProblem);
        }
        return h;
    }
}
