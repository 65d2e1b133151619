package dev.speck.store.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.audit.AuditLog;
import dev.speck.audit.Requester;
import dev.speck.enrich.IpPrefixes;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The audit log in its own table: who did what to what, when, from which network. */
public final class DuckDbAuditTrail implements AuditLog {

    private static final int MAX_TARGET = 256;
    private static final int MAX_DETAILS = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DuckDbDatabase database;
    public DuckDbAuditTrail(DuckDbDatabase database) {
        this.database = database;
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SEQUENCE IF NOT EXISTS audit_seq");
            st.execute("CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'), "
                    + "time TIMESTAMP NOT NULL, actor_kind VARCHAR NOT NULL, actor VARCHAR NOT NULL, "
                    + "action VARCHAR NOT NULL, target VARCHAR, details VARCHAR NOT NULL, client VARCHAR)");
        } catch (SQLException e) {
            throw new StoreException("cannot create the audit log: " + e.getMessage(), e);
        }
    }

    @Override
    public void record(Requester requester, String action, String target, Map<String, Object> details) {
        Requester who = requester == null ? Requester.SPECK : requester;
        String kind = who.actorKind();
        String actor = who.actor();
        String client = who.client() == null ? null : IpPrefixes.truncate(who.client());
        String json;
        try {
            json = JSON.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            json = "{}";
        }
        if (json.length() > MAX_DETAILS) {
            json = "{\"truncated\":true}";
        }
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (time, actor_kind, actor, action, "
                     + "target, details, client) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, kind);
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, target == null || target.length() <= MAX_TARGET ? target : target.substring(0, MAX_TARGET));
            ps.setString(6, json);
            ps.setString(7, client);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot record " + action + " in the audit log: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Entry> newest(Long beforeSeq, int limit) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT seq, time, actor_kind, actor, action, target, details, "
                     + "client FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?")) {
            ps.setLong(1, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit log: " + e.getMessage(), e);
        }
        return out;
    }
}
