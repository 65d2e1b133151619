package dev.speck.store.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.deliver.Attempt;
import dev.speck.deliver.Delivery;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rows of the outbox's tables as deliveries and attempts. */
final class DeliveryRows {

    static final String COLUMNS = "d.key, d.source, d.customer_id, d.url, d.method, d.headers, d.body, d.created,"
            + " d.attempts, d.next_attempt, d.status, d.retries_from";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeliveryRows() {
    }

    static List<Delivery> deliveries(DuckDbDatabase database, String sql, List<Object> params) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), headers(rs.getString(6)), rs.getString(7), instant(rs, 8), rs.getInt(9),
                            instant(rs, 10), Delivery.Status.fromWireName(rs.getString(11)), instant(rs, 12)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the outbox: " + e.getMessage(), e);
        }
    }

    private static final String ATTEMPT = "attempt, started, outcome, status_code, error, latency_ms, excerpt,"
            + " retry_in_ms";

    static List<Attempt> attempts(DuckDbDatabase database, String key) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT " + ATTEMPT
                + " FROM delivery_attempts WHERE delivery_key = ? ORDER BY attempt")) {
            ps.setString(1, key);
            List<Attempt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(attempt(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the delivery log: " + e.getMessage(), e);
        }
    }

    /** The last attempt of each delivery named, in one query (a page of the log holds up to 200). */
    static Map<String, Attempt> lastAttempts(DuckDbDatabase database, List<String> keys) {
        String in = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT " + ATTEMPT
                + ", delivery_key FROM delivery_attempts WHERE delivery_key IN (" + in + ")"
                + " QUALIFY row_number() OVER (PARTITION BY delivery_key ORDER BY attempt DESC) = 1")) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(i + 1, keys.get(i));
            }
            Map<String, Attempt> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(9), attempt(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the delivery log: " + e.getMessage(), e);
        }
    }

    private static Attempt attempt(ResultSet rs) throws SQLException {
        return new Attempt(rs.getInt(1), instant(rs, 2), Attempt.Outcome.fromWireName(rs.getString(3)),
                (Integer) rs.getObject(4), rs.getString(5), nullableLong(rs, 6), rs.getString(7), nullableLong(rs, 8));
    }

    static LocalDateTime ts(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String headers(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    static Map<String, String> headers(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("a delivery's headers are not JSON: " + e.getMessage(), e);
        }
    }
}
