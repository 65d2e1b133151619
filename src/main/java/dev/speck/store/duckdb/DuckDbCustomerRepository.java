package dev.speck.store.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.customers.Customer;
import dev.speck.customers.CustomerDraft;
import dev.speck.customers.CustomerRepository;
import dev.speck.customers.IdentityClaim;
import dev.speck.customers.IdentityLink;
import dev.speck.store.StoreException;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Customers and identity links in DuckDB. Writes are serialised on this object (the API's
 * workers, the loader's recognition and erasure share it), which is what keeps external ids and
 * emails unique without a unique index DuckDB would have to maintain on nullable columns.
 */
public final class DuckDbCustomerRepository implements CustomerRepository {

    static final String COLUMNS = "id, external_id, email, name, attributes, aliases, created, updated";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The insert and the update take the same parameters in the same order. */
    private static final String INSERT = "INSERT INTO customers "
            + "(external_id, email, name, attributes, aliases, created, updated, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE customers SET external_id = ?, email = ?, name = ?, attributes = ?, "
            + "aliases = ?, created = ?, updated = ? WHERE id = ?";

    private final DuckDbDatabase database;

    public DuckDbCustomerRepository(DuckDbDatabase database) {
        this.database = database;
    }

    /** The lock every write to customers and identity_links holds (erasure too). */
    Object writeLock() {
        return this;
    }

    @Override
    public synchronized List<Upserted> upsert(List<CustomerDraft> drafts) {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT);
                 PreparedStatement update = c.prepareStatement(UPDATE)) {
                CustomerBatch known = CustomerBatch.load(c, drafts);
                List<Upserted> out = new ArrayList<>(drafts.size());
                for (int i = 0; i < drafts.size(); i++) {
                    out.add(upsert(c, known, insert, update, i, drafts.get(i)));
                }
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot save customers: " + e.getMessage(), e);
        }
    }

    private Upserted upsert(Connection c, CustomerBatch known, PreparedStatement insert, PreparedStatement update,
                            int index, CustomerDraft d) throws SQLException {
        Customer byExternal = known.byExternalId(d.externalId());
        Customer byEmail = known.byEmail(d.email());
        if (byExternal != null && byEmail != null && !byExternal.id().equals(byEmail.id())) {
            throw new IllegalArgumentException(index + ": external id " + d.externalId() + " is customer "
                    + byExternal.id() + " but the email belongs to customer " + byEmail.id());
        }
        Customer existing = byExternal != null ? byExternal : byEmail;
        Instant now = Instant.now();
        if (existing == null) {
            Customer created = new Customer(newId(), d.externalId(), d.email(), d.name(), d.attributes(),
                    d.aliases() == null ? List.of() : d.aliases(), now, now);
            write(c, insert, created);
            known.written(null, created);
            return new Upserted(created, true);
        }
        Map<String, String> attributes = new LinkedHashMap<>(existing.attributes());
        d.attributes().forEach((k, v) -> {
            if (v == null) {
                attributes.remove(k);
            } else {
                attributes.put(k, v);
            }
        });
        if (attributes.size() > CustomerDraft.MAX_ATTRIBUTES) {
            throw new IllegalArgumentException(index + ": the customer would have more than "
                    + CustomerDraft.MAX_ATTRIBUTES + " attributes");
        }
        Customer updated = new Customer(existing.id(), d.externalId() != null ? d.externalId() : existing.externalId(),
                d.email() != null ? d.email() : existing.email(), d.name() != null ? d.name() : existing.name(),
                attributes, d.aliases() != null ? d.aliases() : existing.aliases(), existing.created(), now);
        write(c, update, updated);
        known.written(existing, updated);
        return new Upserted(updated, false);
    }

    private static void write(Connection c, Customer k, boolean insert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert ? INSERT : UPDATE)) {
            write(c, ps, k);
        }
    }

    /** With {@link #INSERT} or {@link #UPDATE}, prepared once for a whole import. */
    private static void write(Connection c, PreparedStatement ps, Customer k) throws SQLException {
        ps.setString(1, k.externalId());
        ps.setString(2, k.email());
        ps.setString(3, k.name());
        ps.setString(4, json(k.attributes()));
        ps.setArray(5, c.createArrayOf("VARCHAR", k.aliases().toArray()));
        ps.setTimestamp(6, Timestamp.from(k.created()));
        ps.setTimestamp(7, Timestamp.from(k.updated()));
        ps.setString(8, k.id());
        ps.executeUpdate();
    }

    @Override
    public Customer find(String id) {
        try (Connection c = database.connect()) {
            return findBy(c, "id = ?", id);
        } catch (SQLException e) {
            throw new StoreException("cannot read customer: " + e.getMessage(), e);
        }
    }

    @Override
    public Customer findByReference(String reference) {
        try (Connection c = database.connect()) {
            return findByReference(c, reference);
        } catch (SQLException e) {
            throw new StoreException("cannot read customer: " + e.getMessage(), e);
        }
    }

    private static Customer findByReference(Connection c, String reference) throws SQLException {
        Customer k = findBy(c, "external_id = ?", reference);
        if (k == null) {
            k = findBy(c, "email = ?", reference.toLowerCase(Locale.ROOT));
        }
        if (k == null) {
            k = findBy(c, "list_contains(aliases, ?)", reference);
        }
        return k;
    }

    private static Customer findBy(Connection c, String where, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM customers WHERE " + where
                + " ORDER BY created LIMIT 1")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? customer(rs) : null;
            }
        }
    }

    @Override
    public List<Customer> search(String text, int offset, int limit) {
        List<Customer> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM customers WHERE " + matching()
                     + " ORDER BY updated DESC, id LIMIT ? OFFSET ?")) {
            int i = bindSearch(ps, text);
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(customer(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot search customers: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public long count(String text) {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customers WHERE " + matching())) {
            bindSearch(ps, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count customers: " + e.getMessage(), e);
        }
    }

    private static String matching() {
        // contains() takes the text literally: no LIKE wildcards for a user to smuggle in
        return "(? IS NULL OR contains(lower(id), ?) OR contains(lower(coalesce(external_id, '')), ?) "
                + "OR contains(coalesce(email, ''), ?) OR contains(lower(coalesce(name, '')), ?))";
    }

    private static int bindSearch(PreparedStatement ps, String text) throws SQLException {
        String t = text == null || text.isBlank() ? null : text.trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i <= 5; i++) {
            ps.setString(i, t);
        }
        return 6;
    }

    @Override
    public synchronized int link(List<IdentityClaim> claims) {
        if (claims.isEmpty()) {
            return 0;
        }
        int linked = 0;
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try {
                Map<String, Customer> byReference = new LinkedHashMap<>();
                for (IdentityClaim claim : claims) {
                    Customer k = byReference.get(claim.reference());
                    if (k == null) {
                        k = findByReference(c, claim.reference());
                        if (k == null && claim.createsCustomer()) {
                            k = createFor(c, claim.reference());
                        }
                        if (k == null) {
                            continue;
                        }
                        byReference.put(claim.reference(), k);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO identity_links (customer_id, visitor_id, pixel, source, first_seen) "
                                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                                    + "first_seen = least(identity_links.first_seen, excluded.first_seen)")) {
                        ps.setString(1, k.id());
                        ps.setString(2, claim.visitorId());
                        ps.setString(3, claim.pixel());
                        ps.setString(4, claim.source());
                        ps.setTimestamp(5, Timestamp.from(Instant.ofEpochMilli(claim.time())));
                        ps.executeUpdate();
                    }
                    linked++;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot link visitors to customers: " + e.getMessage(), e);
        }
        return linked;
    }

    /** A signed identity for someone not imported yet: the site vouched for them, so they get a profile. */
    private static Customer createFor(Connection c, String reference) throws SQLException {
        boolean email = reference.contains("@");
        Instant now = Instant.now();
        Customer k;
        try {
            CustomerDraft d = new CustomerDraft(email ? null : reference, email ? reference : null, null, null, null);
            k = new Customer(newId(), d.externalId(), d.email(), null, Map.of(), List.of(), now, now);
        } catch (IllegalArgumentException e) {
            return null; // a reference no customer could have (too long, not an email): nothing to link
        }
        write(c, k, true);
        return k;
    }

    @Override
    public List<IdentityLink> links(String customerId) {
        List<IdentityLink> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT customer_id, visitor_id, pixel, source, first_seen "
                     + "FROM identity_links WHERE customer_id = ? ORDER BY first_seen")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IdentityLink(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read identity links: " + e.getMessage(), e);
        }
        return out;
    }

    static Customer customer(ResultSet rs) throws SQLException {
        return customerAt(rs, 1);
    }

    /** A customer from the {@link #COLUMNS}, the first at column {@code first}. */
    static Customer customerAt(ResultSet rs, int first) throws SQLException {
        Object[] aliases = (Object[]) rs.getArray(first + 5).getArray();
        return new Customer(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3),
                attributes(rs.getString(first + 4)), Arrays.stream(aliases).map(String::valueOf).toList(),
                rs.getTimestamp(first + 6).toInstant(), rs.getTimestamp(first + 7).toInstant());
    }

    private static Map<String, String> attributes(String json) {
        try {
            Map<String, String> m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
            m.values().removeIf(java.util.Objects::isNull);
            return m;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String json(Map<String, String> attributes) {
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "c_" + HexFormat.of().formatHex(b);
    }
}
