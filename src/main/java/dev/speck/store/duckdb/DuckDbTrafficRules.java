package dev.speck.store.duckdb;

import dev.speck.enrich.TrafficRule;
import dev.speck.enrich.TrafficRules;
import dev.speck.enrich.Verdict;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The traffic_rules table. */
public final class DuckDbTrafficRules implements TrafficRules {

    private final DuckDbDatabase database;

    public DuckDbTrafficRules(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public List<TrafficRule> list() {
        List<TrafficRule> out = new ArrayList<>();
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, kind, pattern, verdict, note, created FROM traffic_rules"
                     + " ORDER BY created DESC, id DESC")) {
            while (rs.next()) {
                out.add(new TrafficRule(rs.getString(1), TrafficRule.Kind.fromWireName(rs.getString(2)), rs.getString(3),
                        Verdict.fromWireName(rs.getString(4)), rs.getString(5),
                        rs.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read traffic rules: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(TrafficRule rule) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO traffic_rules (id, kind, pattern, verdict, note, created)"
                     + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, rule.id());
            ps.setString(2, rule.kind().wireName());
            ps.setString(3, rule.pattern());
            ps.setString(4, rule.verdict().wireName());
            ps.setString(5, rule.note());
            ps.setObject(6, LocalDateTime.ofInstant(rule.created(), ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save traffic rule: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String id) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("DELETE FROM traffic_rules WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot delete traffic rule: " + e.getMessage(), e);
        }
    }
}
