package dev.speck.customers;

import dev.speck.audit.AuditTrail;
import dev.speck.audit.Requester;
import dev.speck.journal.JournalPosition;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Erases a customer or a visitor id for good. Hits about them may still wait in the journal when
 * the request comes, so erasure first waits until the loader has stored everything appended
 * before it (and the links those hits make, which recognition writes before their batch), then
 * deletes every row in one transaction, then wipes the journal's copies of stored hits. The audit
 * trail gets a random erasure id and row counts, never what was erased.
 */
public final class Erasure {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CustomerData data;
    private final JournalBarrier journal;
    private final AuditTrail audit;
    private final Duration wait;
    private final Runnable afterDelete;

    /** @param afterDelete run after the deletes (a store checkpoint, so the write-ahead log keeps no copy either) */
    public Erasure(CustomerData data, JournalBarrier journal, AuditTrail audit, Duration wait, Runnable afterDelete) {
        this.data = data;
        this.journal = journal;
        this.audit = audit;
        this.wait = wait;
        this.afterDelete = afterDelete;
    }

    /** The loader did not store the journal's backlog in time: nothing was erased; try again. */
    public static final class LoaderBehind extends RuntimeException {
        LoaderBehind(Duration wait) {
            super("Speck is still storing hits received before this request (waited " + wait.toSeconds()
                    + " s); nothing was erased, try again shortly", null, false, false);
        }
    }

    /** What an erasure did: its id (for the audit log) and the rows deleted per table. */
    public record Result(String erasureId, Map<String, Long> deleted) {
    }

    public Result eraseCustomer(Requester request, Customer customer) {
        awaitLoader();
        return finish(request, "customer.erase", data.eraseCustomer(customer));
    }

    public Result eraseVisitor(Requester request, String visitorId) {
        awaitLoader();
        return finish(request, "visitor.erase", data.eraseVisitor(visitorId));
    }

    private void awaitLoader() {
        List<JournalPosition> end = journal.appendedEnd();
        long deadline = System.nanoTime() + wait.toNanos();
        while (!journal.storedThrough(end)) {
            if (System.nanoTime() > deadline) {
                throw new LoaderBehind(wait);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private Result finish(Requester request, String action, Map<String, Long> deleted) {
        afterDelete.run();
        journal.scrubStored();
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        String erasureId = "erasure_" + HexFormat.of().formatHex(id);
        Map<String, Object> details = new LinkedHashMap<>(deleted);
        details.put("journalScrubbed", true);
        audit.record(request, action, erasureId, details);
        return new Result(erasureId, deleted);
    }
}
