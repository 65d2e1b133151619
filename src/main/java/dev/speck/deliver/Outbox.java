package dev.speck.deliver;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable list of deliveries and their log: what survives a crash. Written by triggers (enqueue),
 * the {@link Deliverer} (claim, record) and an admin (re-deliver); the engine behind it is the store's.
 */
public interface Outbox {

    /** Adds a delivery unless one with its key exists (then nothing changes): true when added. */
    boolean enqueue(Delivery delivery);

    /**
     * Pending deliveries due at {@code now}, soonest first, at most {@code limit}; never one whose
     * customer has an earlier pending delivery (one customer's deliveries go out in enqueue order).
     */
    List<Delivery> due(Instant now, int limit);

    /** When the next pending delivery is due, if any is pending. */
    Optional<Instant> nextDue();

    /**
     * Begins an attempt: counts it, logs it as in flight and keeps the delivery from being due until
     * {@code leaseUntil}. The attempt's number, or empty when the delivery is no longer pending.
     */
    Optional<Integer> claim(String key, Instant now, Instant leaseUntil);

    /** Ends attempt {@code attempt.number()}: its log row, and the delivery's new status and due time. */
    void record(String key, Attempt attempt, Delivery.Status status, Instant nextAttempt);

    /**
     * After a start: attempts still in flight were cut short by a stop or crash; they are logged as
     * interrupted and their deliveries are due at once. How many.
     */
    int recover(Instant now);

    Optional<Delivery> get(String key);

    /** The delivery's attempts, first first. */
    List<Attempt> attempts(String key);

    /** The last attempt of each of these deliveries that has one, by key: one read for a page of the log. */
    Map<String, Attempt> lastAttempts(List<String> keys);

    /**
     * The delivery log: deliveries newest first, of one source (or all: null), with one status (or any:
     * null), enqueued before the delivery {@code beforeKey} (null: from the newest), at most {@code limit}.
     */
    List<Delivery> list(String source, Delivery.Status status, String beforeKey, int limit);

    /** Makes a dead letter pending again, due now, with a new horizon. False when it is not dead. */
    boolean redeliver(String key, Instant now);

    /** Deletes every delivery about this customer and their log (an erased customer): how many. */
    int forgetCustomer(String customerId);

    /** The signing secret of a target (see {@link Target#endpoint()}), made on first use. */
    String secret(String endpoint);
}
