package dev.speck.store.duckdb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Keeps what triggers leave behind from growing forever: finished deliveries (delivered, dead letters)
 * and their attempts once {@code deliver.log-retention} has passed since they ended, and trigger firing
 * records once it has passed since they fired, never inside a trigger's once-per period
 * ({@link DuckDbTriggers#pruneFirings}). Pending deliveries are never pruned. Hourly on its own
 * low-priority thread; {@link #runOnce(Instant)} takes the time, so tests need not wait for days.
 */
public final class ActionLogRetention implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ActionLogRetention.class.getName());

    private final DuckDbTriggers triggers;
    private final DuckDbOutbox outbox;
    private final Duration horizon;
    private final PeriodicJob job;

    public ActionLogRetention(DuckDbTriggers triggers, DuckDbOutbox outbox, Duration horizon, long intervalMillis,
                              Clock clock) {
        this.triggers = triggers;
        this.outbox = outbox;
        this.horizon = horizon;
        this.job = new PeriodicJob("speck-action-log-retention", intervalMillis, true,
                "pruning trigger firings and the delivery log failed; retried at the next run", () -> runOnce(clock.instant()));
    }

    public ActionLogRetention start() {
        job.start();
        return this;
    }

    /** What one run removed. */
    public record Pruned(long firings, long deliveries) {
    }

    public synchronized Pruned runOnce(Instant now) {
        long firings = triggers.pruneFirings(now, horizon);
        long deliveries = outbox.prune(now.minus(horizon));
        if (firings + deliveries > 0) {
            LOG.info("action log retention: deleted " + firings + " trigger firings and " + deliveries
                    + " finished deliveries older than " + horizon.toDays() + " days");
        }
        return new Pruned(firings, deliveries);
    }

    @Override
    public void close() {
        job.close();
    }
}
