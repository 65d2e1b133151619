package dev.speck.customers;

import java.util.List;
import java.util.Map;

/**
 * What the store holds about a customer or a visitor id, read and erased: the events of every
 * visitor id linked to them, the email opens and link clicks whose recipient token names them,
 * the goals those events achieved, the visitor rollups and the links. store/duckdb implements it.
 */
public interface CustomerData {

    /** The profile enriched from the hits (answers are JSON-ready maps and lists). */
    Map<String, Object> profile(Customer customer);

    /** Everything stored: events (at most {@code maxEvents}, with a flag when cut), achievements, links. */
    Map<String, Object> exportCustomer(Customer customer, int maxEvents);

    Map<String, Object> exportVisitor(String visitorId, int maxEvents);

    /** Deletes, in one transaction, every row about the customer; returns the rows deleted per table. */
    Map<String, Long> eraseCustomer(Customer customer);

    Map<String, Long> eraseVisitor(String visitorId);

    /** The stored event rows of visitor ids linked to a customer or naming one as recipient, newest first. */
    List<Map<String, Object>> events(Customer customer, int limit);
}
