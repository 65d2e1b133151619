package dev.speck.store.duckdb;

import dev.speck.deliver.Attempt;
import dev.speck.deliver.Delivery;
import dev.speck.deliver.Outbox;
import dev.speck.deliver.Signature;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.speck.store.duckdb.DeliveryRows.ts;

/**
 * The outbox in the store's file (tables deliveries, delivery_attempts, delivery_secrets): what a
 * restart finds again. Writes that meet another transaction's (DuckDB's optimistic concurrency) are
 * tried again.
 */
public final class DuckDbOutbox implements Outbox {

    /** Erasing a customer deletes these (DuckDbCustomerData, in the erasure's transaction), in this order. */
    static final String CUSTOMER_ATTEMPTS = "delivery_key IN (SELECT key FROM deliveries WHERE customer_id = ?)";
    static final String CUSTOMER_DELIVERIES = "customer_id = ?";

    private static final int TRIES = 5;

    private final DuckDbDatabase database;

    public DuckDbOutbox(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public boolean enqueue(Delivery d) {
        return write("enqueue a delivery", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (key, source, customer_id, url, method,"
                    + " headers, body, created, retries_from, attempts, next_attempt, status)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'pending') ON CONFLICT DO NOTHING")) {
                ps.setString(1, d.key());
                ps.setString(2, d.source());
                ps.setString(3, d.customerId());
                ps.setString(4, d.url());
                ps.setString(5, d.method());
                ps.setString(6, DeliveryRows.headers(d.headers()));
                ps.setString(7, d.body());
                ps.setObject(8, ts(d.created()));
                ps.setObject(9, ts(d.retriesFrom()));
                ps.setObject(10, ts(d.nextAttempt()));
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<Delivery> due(Instant now, int limit) {
        return DeliveryRows.deliveries(database, "SELECT " + DeliveryRows.COLUMNS + " FROM deliveries d"
                + " WHERE d.status = 'pending' AND d.next_attempt <= ? AND NOT EXISTS (SELECT 1 FROM deliveries e"
                + " WHERE e.customer_id = d.customer_id AND e.status = 'pending' AND e.seq < d.seq)"
                + " ORDER BY d.next_attempt, d.seq LIMIT ?", List.of(ts(now), limit));
    }

    @Override
    public Optional<Instant> nextDue() {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT min(next_attempt) FROM deliveries WHERE status = 'pending'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(DeliveryRows.instant(rs, 1));
        } catch (SQLException e) {
            throw new StoreException("cannot read the outbox: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Integer> claim(String key, Instant now, Instant leaseUntil) {
        return write("claim a delivery", c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET attempts = attempts + 1,"
                    + " next_attempt = ? WHERE key = ? AND status = 'pending' RETURNING attempts")) {
                ps.setObject(1, ts(leaseUntil));
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    n = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO delivery_attempts"
                    + " (delivery_key, attempt, started, outcome) VALUES (?, ?, ?, 'in-flight')")) {
                ps.setString(1, key);
                ps.setInt(2, n);
                ps.setObject(3, ts(now));
                ps.executeUpdate();
            }
            return Optional.of(n);
        });
    }

    @Override
    public void record(String key, Attempt a, Delivery.Status status, Instant nextAttempt) {
        write("record a delivery attempt", c -> {
            // The finished attempt replaces the in-flight row rather than updating it: DuckDB 1.4.4 invalidated
            // the database ("Unaligned fetch in validity and main column data for update") on an UPDATE that
            // set these NULL columns of a row checkpointed since it was written (PERFORMANCE.md, session 16).
            java.time.LocalDateTime started = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT started FROM delivery_attempts WHERE delivery_key = ? AND attempt = ?")) {
                ps.setString(1, key);
                ps.setInt(2, a.number());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        started = rs.getObject(1, java.time.LocalDateTime.class);
                    }
                }
            }
            if (started != null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM delivery_attempts WHERE delivery_key = ? AND attempt = ?")) {
                    ps.setString(1, key);
                    ps.setInt(2, a.number());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_attempts (delivery_key, attempt, started, outcome,"
                        + " status_code, error, latency_ms, excerpt, retry_in_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, key);
                    ps.setInt(2, a.number());
                    ps.setObject(3, started);
                    ps.setString(4, a.outcome().wireName());
                    ps.setObject(5, a.statusCode());
                    ps.setString(6, a.error());
                    ps.setObject(7, a.latencyMs());
                    ps.setString(8, a.excerpt());
                    ps.setObject(9, a.retryInMs());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = ?, next_attempt = ?"
                    + " WHERE key = ? AND attempts = ? AND status = 'pending'")) {
                ps.setString(1, status.wireName());
                ps.setObject(2, ts(nextAttempt));
                ps.setString(3, key);
                ps.setInt(4, a.number());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int recover(Instant now) {
        return write("take back interrupted attempts", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET next_attempt = ? WHERE status = 'pending'"
                    + " AND key IN (SELECT delivery_key FROM delivery_attempts WHERE outcome = 'in-flight')")) {
                ps.setObject(1, ts(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery_attempts SET outcome = 'interrupted',"
                    + " error = 'Speck stopped during the attempt; it is made again' WHERE outcome = 'in-flight'")) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Delivery> get(String key) {
        return DeliveryRows.deliveries(database, "SELECT " + DeliveryRows.COLUMNS + " FROM deliveries d WHERE d.key = ?",
                List.of(key)).stream().findFirst();
    }

    @Override
    public List<Attempt> attempts(String key) {
        return DeliveryRows.attempts(database, key);
    }

    @Override
    public Map<String, Attempt> lastAttempts(List<String> keys) {
        return keys.isEmpty() ? Map.of() : DeliveryRows.lastAttempts(database, keys);
    }

    @Override
    public List<Delivery> list(String source, Delivery.Status status, String beforeKey, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + DeliveryRows.COLUMNS + " FROM deliveries d WHERE true");
        List<Object> params = new ArrayList<>();
        if (source != null) {
            sql.append(" AND d.source = ?");
            params.add(source);
        }
        if (status != null) {
            sql.append(" AND d.status = ?");
            params.add(status.wireName());
        }
        if (beforeKey != null) {
            sql.append(" AND d.seq < coalesce((SELECT seq FROM deliveries WHERE key = ?), -1)");
            params.add(beforeKey);
        }
        sql.append(" ORDER BY d.seq DESC LIMIT ?");
        params.add(limit);
        return DeliveryRows.deliveries(database, sql.toString(), params);
    }

    @Override
    public boolean redeliver(String key, Instant now) {
        return write("re-deliver", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = 'pending', next_attempt = ?,"
                    + " retries_from = ? WHERE key = ? AND status = 'dead'")) {
                ps.setObject(1, ts(now));
                ps.setObject(2, ts(now));
                ps.setString(3, key);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int forgetCustomer(String customerId) {
        return write("forget a customer's deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM delivery_attempts WHERE " + CUSTOMER_ATTEMPTS)) {
                ps.setString(1, customerId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM deliveries WHERE " + CUSTOMER_DELIVERIES)) {
                ps.setString(1, customerId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes finished deliveries (delivered, dead letters) that ended before {@code endedBefore}, with
     * their attempts; pending ones are never touched. How many deliveries went.
     */
    public int prune(Instant endedBefore) {
        return write("prune the delivery log", c -> {
            String finished = "SELECT key FROM deliveries WHERE status IN ('delivered', 'dead') AND next_attempt < ?";
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM delivery_attempts WHERE delivery_key IN (" + finished + ")")) {
                ps.setObject(1, ts(endedBefore));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM deliveries WHERE key IN (" + finished + ")")) {
                ps.setObject(1, ts(endedBefore));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public String secret(String endpoint) {
        return write("make a target's secret", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_secrets (endpoint, secret, created)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, endpoint);
                ps.setString(2, Signature.newSecret());
                ps.setObject(3, ts(Instant.now()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM delivery_secrets WHERE endpoint = ?")) {
                ps.setString(1, endpoint);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /**
     * Whether another transaction's write caused it: a conflict, or a key that a concurrent transaction
     * inserted first (DuckDB's ON CONFLICT does not see uncommitted rows and says "Duplicate key": two
     * workers making one target's secret at once). Tried again, the statement sees the committed row.
     */
    private static boolean concurrent(SQLException e) {
        String m = e.getMessage();
        return m != null && (m.contains("onflict") || m.contains("Duplicate key"));
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction, tried again when it meets another writer's. */
    private <T> T write(String what, Work<T> work) {
        SQLException last = null;
        for (int i = 0; i < TRIES; i++) {
            try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    try {
                        c.rollback();
                    } catch (SQLException notActive) {
                        // DuckDB ends a transaction whose commit failed: the first error is what happened
                        e.addSuppressed(notActive);
                    }
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                if (!concurrent(e)) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
        throw new StoreException("cannot " + what + ": " + last.getMessage(), last);
    }
}
