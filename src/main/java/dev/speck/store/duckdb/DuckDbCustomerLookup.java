package dev.speck.store.duckdb;

import dev.speck.store.StoreException;
import dev.speck.triggers.CustomerLookup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Visitors to customers through identity_links, for triggers: one query per chunk. */
public final class DuckDbCustomerLookup implements CustomerLookup {

    private final DuckDbDatabase database;

    public DuckDbCustomerLookup(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public Map<String, Known> customersOf(Collection<String> visitorIds) {
        Map<String, Known> out = new HashMap<>();
        if (visitorIds.isEmpty()) {
            return out;
        }
        // visitor ids are hex or base64url: a newline never occurs in one
        String sql = "SELECT l.visitor_id, epoch_ms(l.first_seen), "
                + DuckDbCustomerRepository.COLUMNS.replaceAll("(\\w+)", "k.$1")
                + " FROM identity_links l JOIN customers k ON k.id = l.customer_id"
                + " WHERE l.visitor_id IN (SELECT unnest(string_split(?, chr(10))))"
                + " ORDER BY l.first_seen";
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, String.join("\n", visitorIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the newest link wins (ordered by first_seen): a shared device's last identified person
                    out.put(rs.getString(1), new Known(DuckDbCustomerRepository.customerAt(rs, 3), rs.getLong(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot look up visitors' customers: " + e.getMessage(), e);
        }
    }
}
