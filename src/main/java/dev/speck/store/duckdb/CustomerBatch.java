package dev.speck.store.duckdb;

import dev.speck.customers.Customer;
import dev.speck.customers.CustomerDraft;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The customers a batch of drafts may touch, found with one query and then kept current as the
 * batch writes, so that an import of thousands of rows costs one lookup instead of two scans per
 * row. Like the single lookups it replaces, the oldest customer wins where an id or email repeats.
 */
final class CustomerBatch {

    private final Map<String, Customer> byExternalId = new HashMap<>();
    private final Map<String, Customer> byEmail = new HashMap<>();

    private CustomerBatch() {
    }

    static CustomerBatch load(Connection c, List<CustomerDraft> drafts) throws SQLException {
        Set<String> externalIds = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        for (CustomerDraft d : drafts) {
            if (d.externalId() != null) {
                externalIds.add(d.externalId());
            }
            if (d.email() != null) {
                emails.add(d.email());
            }
        }
        CustomerBatch batch = new CustomerBatch();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DuckDbCustomerRepository.COLUMNS
                + " FROM customers WHERE external_id IN (SELECT unnest(?::VARCHAR[]))"
                + " OR email IN (SELECT unnest(?::VARCHAR[])) ORDER BY created")) {
            ps.setArray(1, c.createArrayOf("VARCHAR", externalIds.toArray()));
            ps.setArray(2, c.createArrayOf("VARCHAR", emails.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Customer k = DuckDbCustomerRepository.customer(rs);
                    if (k.externalId() != null) {
                        batch.byExternalId.putIfAbsent(k.externalId(), k);
                    }
                    if (k.email() != null) {
                        batch.byEmail.putIfAbsent(k.email(), k);
                    }
                }
            }
        }
        return batch;
    }

    Customer byExternalId(String externalId) {
        return externalId == null ? null : byExternalId.get(externalId);
    }

    Customer byEmail(String email) {
        return email == null ? null : byEmail.get(email);
    }

    /** After a write: later rows of the batch find the customer as it now is. */
    void written(Customer before, Customer after) {
        if (before != null) {
            byExternalId.remove(before.externalId(), before);
            byEmail.remove(before.email(), before);
        }
        if (after.externalId() != null) {
            byExternalId.putIfAbsent(after.externalId(), after);
        }
        if (after.email() != null) {
            byEmail.putIfAbsent(after.email(), after);
        }
    }
}
