package dev.speck.segments;

import dev.speck.customers.Customer;

import java.time.Instant;

/**
 * One member of a segment.
 *
 * @param person   the customer's id, or {@code v:<visitor id>}
 * @param customer the customer, or null for a visitor not known as one
 */
public record Member(String person, Customer customer, Instant entered) {
}
