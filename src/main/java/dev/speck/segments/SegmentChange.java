package dev.speck.segments;

import dev.speck.customers.Customer;

import java.time.Instant;

/**
 * A person entering or leaving a segment: kept in the store, and handed to triggers once.
 *
 * @param id       the change's number in the store (the idempotency key of what it fires)
 * @param customer the customer, or null for a visitor not known as one
 */
public record SegmentChange(long id, String segmentId, String pixel, String person, boolean entered, Instant at,
                            Customer customer) {
}
