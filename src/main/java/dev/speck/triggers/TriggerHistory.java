package dev.speck.triggers;

import dev.speck.customers.Customer;
import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Stored people's events read back for a dry run; store/duckdb implements it. */
public interface TriggerHistory {

    /**
     * An event as stored, with what the rule needs beside it.
     *
     * @param key        the event's identity in the store (its seq)
     * @param recognised whether this event's time is when its visitor was linked to the customer
     */
    record Replayed(Event event, List<Achievement> achieved, Customer customer, boolean recognised, String key) {
    }

    /**
     * The pixel's stored events of people from {@code from} to {@code to} that may start {@code when}
     * (a cheap filter: the caller judges each with {@link TriggerMatch}), oldest first, at most {@code max}.
     *
     * @return how many were read
     */
    int replay(String pixel, When when, Instant from, Instant to, int max, Consumer<Replayed> each);

    /**
     * For a repeated pattern: per person (a customer over all their visitors, else a visitor), the latest
     * start in {@code (now - within, now]} of those who started it at least {@code times} times then and
     * did not reach the pattern's unless-goal in that window; at most {@code max}.
     */
    void repeated(Trigger trigger, Instant now, int max, Consumer<Replayed> each);

    /**
     * For an after pattern: the starts in {@code [from, to)} whose person did not reach the unless-goal
     * within the pattern's wait after the start; at most {@code max}.
     */
    void lapsed(Trigger trigger, Instant from, Instant to, int max, Consumer<Replayed> each);
}
