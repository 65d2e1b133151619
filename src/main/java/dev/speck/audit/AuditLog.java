package dev.speck.audit;

import java.time.Instant;
import java.util.List;

/** The audit trail that can also be read back, newest first (what GET /api/audit pages through). */
public interface AuditLog extends AuditTrail {

    /**
     * @param actorKind "user", "key", "anonymous" or "speck" (scheduled work)
     * @param details   a JSON object
     * @param client    the client's address truncated like a hit's (/24, /48), or null
     */
    record Entry(long seq, Instant time, String actorKind, String actor, String action, String target,
                 String details, String client) {
    }

    /** Up to {@code limit} entries older than {@code beforeSeq} (null: the newest), newest first. */
    List<Entry> newest(Long beforeSeq, int limit);
}
