package dev.speck.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where triggers and their firings are kept; store/duckdb implements it. */
public interface TriggerStore {

    List<Trigger> all();

    Trigger find(String id);

    /** How many triggers there are (for the cap), without reading them. */
    default int count() {
        return all().size();
    }

    void save(Trigger trigger);

    /** Deletes the trigger and its firing records; true when it existed. */
    boolean delete(String id);

    /**
     * Records that a trigger fires for a subject with this key, unless it fired for the subject with
     * another key less than {@code oncePer} before {@code at} (null: no limit). A key already recorded
     * answers true again, so a hit read again after a crash enqueues the same (deduplicated) delivery.
     *
     * @return whether to fire
     */
    boolean claim(String triggerId, String subject, String key, Instant at, Duration oncePer);

    /** One {@link #claim}'s arguments. */
    record Claim(String triggerId, String subject, String key, Instant at, Duration oncePer) {
    }

    /**
     * {@link #claim} for each in order, each seeing the ones before it, as one write where the store can
     * (a chunk's claims: one transaction, not one per firing). The answers, in the same order.
     */
    default boolean[] claimAll(List<Claim> claims) {
        boolean[] out = new boolean[claims.size()];
        for (int i = 0; i < out.length; i++) {
            Claim c = claims.get(i);
            out[i] = claim(c.triggerId(), c.subject(), c.key(), c.at(), c.oncePer());
        }
        return out;
    }

    /** Firing records of an erased customer go with them. */
    void forgetSubject(String subject);
}
