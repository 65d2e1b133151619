package dev.speck.triggers;

import dev.speck.customers.Customer;

import java.util.Collection;
import java.util.Map;

/** Which customer each visitor is, and since when: store/duckdb answers it from the identity links. */
public interface CustomerLookup {

    /**
     * @param since epoch millis of the visitor's link to the customer (the hit that recognised them)
     */
    record Known(Customer customer, long since) {
    }

    /** The customers of these visitors (those not recognised are absent); the newest link wins. */
    Map<String, Known> customersOf(Collection<String> visitorIds);
}
