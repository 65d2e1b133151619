package dev.speck.segments;

import dev.speck.customers.Customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One person's stored people's hits of a live run's window, oldest first, as the JVM judges them
 * ({@link SegmentJudge}).
 *
 * @param person   the customer's id, or {@code v:<visitor id>}
 * @param customer the customer record, or null (a visitor, or a customer id without a record)
 */
public record PersonHits(String person, Customer customer, List<Hit> hits, List<Goal> goals) {

    /**
     * One hit: its kind (page_view, event, goal …), name and path, and its condition fields by the
     * conditions' names (country, device, channel …).
     */
    public record Hit(long seq, Instant time, String kind, String name, String path, Map<String, String> fields) {
    }

    /** One achievement of a hit of the person. */
    public record Goal(long seq, Instant time, String goal, BigDecimal value, String currency) {
    }
}
