package dev.speck;

import dev.speck.deliver.Delivery;
import dev.speck.deliver.Outbox;
import dev.speck.triggers.ActionSink;
import dev.speck.triggers.Firing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Trigger firings into the outbox: one delivery per firing under the firing's key (so a hit judged
 * again enqueues nothing new), its trigger as the source, its customer for order and erasure. The
 * deliverer is woken at once, so a hit's webhook leaves within the second.
 */
final class TriggerDeliveries implements ActionSink {

    private static final Logger LOG = Logger.getLogger(TriggerDeliveries.class.getName());

    private final Outbox outbox;
    private final Runnable wake;
    private final AtomicLong refused = new AtomicLong();

    TriggerDeliveries(Outbox outbox, Runnable wake) {
        this.outbox = outbox;
        this.wake = wake;
    }

    @Override
    public void enqueue(List<Firing> firings) {
        Instant now = Instant.now();
        boolean added = false;
        for (Firing f : firings) {
            Delivery d;
            try {
                d = Delivery.of(f.key(), f.trigger().id(), f.subject(), f.url(), "POST", f.headers(),
                        new String(f.body(), StandardCharsets.UTF_8), now);
            } catch (IllegalArgumentException e) {
                // a trigger the outbox cannot send (checked when saved; this is a later rule): skipped, not retried
                refused.incrementAndGet();
                LOG.warning("trigger " + f.trigger().id() + " cannot be delivered and is skipped: " + e.getMessage());
                continue;
            }
            added |= outbox.enqueue(d);
        }
        if (added) {
            wake.run();
        }
    }

    /** Firings the outbox refused since start. */
    long refused() {
        return refused.get();
    }
}
