package dev.speck.customers;

import java.util.List;

/** Where customers and their identity links are kept; store/duckdb implements it. */
public interface CustomerRepository {

    /** The outcome of one upsert: the customer as now stored, and whether it was new. */
    record Upserted(Customer customer, boolean created) {
    }

    /**
     * Upserts all drafts in one transaction, in order: a draft matches by external id, else by
     * email. Throws IllegalArgumentException (and stores nothing) when a draft's external id and
     * email name two different customers; its message starts with the draft's index.
     */
    List<Upserted> upsert(List<CustomerDraft> drafts);

    Customer find(String id);

    /** The customer whose external id, email or alias is {@code reference}, or null. */
    Customer findByReference(String reference);

    /** Customers whose id, external id, email or name contains {@code text} (all when null), newest first. */
    List<Customer> search(String text, int offset, int limit);

    long count(String text);

    /**
     * Resolves each claim to a customer (creating one for a signed identity nobody imported yet,
     * when {@link IdentityClaim#createsCustomer()}) and keeps the links; a link already known keeps
     * its first time and source. Returns how many claims named a customer.
     */
    int link(List<IdentityClaim> claims);

    List<IdentityLink> links(String customerId);
}
