package dev.speck.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.ApiJson;
import dev.speck.store.StoreException;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerJson;
import dev.speck.triggers.TriggerStore;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The triggers and trigger_firings tables. */
public final class DuckDbTriggers implements TriggerStore {

    private static final Logger LOG = Logger.getLogger(DuckDbTriggers.class.getName());
    private static final String COLUMNS = "id, pixel, definition, created, updated";
    /**
     * How much later than received a hit may be judged (a backlog, a restart reading the journal again):
     * its once-per limit looks back from when it was received.
     */
    static final Duration LATE_HITS = Duration.ofDays(1);

    private final DuckDbDatabase database;

    public DuckDbTriggers(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public List<Trigger> all() {
        return select("", null);
    }

    @Override
    public Trigger find(String id) {
        List<Trigger> found = select(" WHERE id = ?", id);
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public int count() {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM triggers");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new StoreException("cannot count triggers: " + e.getMessage(), e);
        }
    }

    private List<Trigger> select(String where, String value) {
        List<Trigger> out = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM triggers" + where + " ORDER BY created, id")) {
            if (value != null) {
                ps.setString(1, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Trigger t = read(rs);
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read triggers: " + e.getMessage(), e);
        }
    }

    private static Trigger read(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        try {
            JsonNode definition = ApiJson.MAPPER.readTree(rs.getString(3));
            return TriggerJson.read(definition, id, rs.getString(2), instant(rs, 4), instant(rs, 5), goal -> true);
        } catch (IOException | IllegalArgumentException e) {
            // a definition this version cannot read is left alone (and inactive), not lost
            LOG.log(Level.WARNING, "trigger " + id + " cannot be read and stays inactive: " + e.getMessage());
            return null;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    @Override
    public void save(Trigger t) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO triggers (id, pixel, name, enabled, definition, "
                     + "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.id());
            ps.setString(2, t.pixel());
            ps.setString(3, t.name());
            ps.setBoolean(4, t.enabled());
            ps.setString(5, new String(ApiJson.write(TriggerJson.stored(t)), java.nio.charset.StandardCharsets.UTF_8));
            ps.setObject(6, LocalDateTime.ofInstant(t.created(), ZoneOffset.UTC));
            ps.setObject(7, LocalDateTime.ofInstant(t.updated(), ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save trigger: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String id) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement firings = c.prepareStatement("DELETE FROM trigger_firings WHERE trigger_id = ?");
                 PreparedStatement trigger = c.prepareStatement("DELETE FROM triggers WHERE id = ?")) {
                firings.setString(1, id);
                firings.executeUpdate();
                trigger.setString(1, id);
                boolean existed = trigger.executeUpdate() > 0;
                c.commit();
                return existed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot delete trigger: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean claim(String triggerId, String subject, String key, Instant at, Duration oncePer) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            c.setAutoCommit(false);
            try {
                boolean fire = claim(c, triggerId, subject, key, at, oncePer);
                c.commit();
                return fire;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record a trigger's firing: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean[] claimAll(List<Claim> claims) {
        boolean[] out = new boolean[claims.size()];
        if (claims.isEmpty()) {
            return out;
        }
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < out.length; i++) {
                    Claim k = claims.get(i);
                    out[i] = claim(c, k.triggerId(), k.subject(), k.key(), k.at(), k.oncePer());
                }
                c.commit();
                return out;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record triggers' firings: " + e.getMessage(), e);
        }
    }

    private static boolean claim(Connection c, String triggerId, String subject, String key, Instant at, Duration oncePer)
            throws SQLException {
        try (PreparedStatement known = c.prepareStatement("SELECT 1 FROM trigger_firings WHERE key = ?")) {
            known.setString(1, key);
            try (ResultSet rs = known.executeQuery()) {
                if (rs.next()) {
                    return true; // the same hit read again: the outbox keeps its one delivery
                }
            }
        }
        if (oncePer != null) {
            try (PreparedStatement recent = c.prepareStatement("SELECT 1 FROM trigger_firings WHERE trigger_id = ? "
                    + "AND subject = ? AND fired_at > ? AND fired_at <= ? LIMIT 1")) {
                recent.setString(1, triggerId);
                recent.setString(2, subject);
                recent.setObject(3, LocalDateTime.ofInstant(at.minus(oncePer), ZoneOffset.UTC));
                recent.setObject(4, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
                try (ResultSet rs = recent.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO trigger_firings (key, trigger_id, subject, fired_at) "
                + "VALUES (?, ?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, triggerId);
            insert.setString(3, subject);
            insert.setObject(4, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return true;
    }

    /**
     * Deletes firing records older than {@code horizon}, but never one a trigger's once-per limit may
     * still need: a trigger keeps its firings for its once-per period and {@link #LATE_HITS} more when that
     * is longer. Firings of a trigger this version cannot read are kept. How many were deleted.
     */
    public long pruneFirings(Instant now, Duration horizon) {
        Map<Instant, List<String>> byCutoff = new HashMap<>();
        for (Trigger t : all()) {
            Duration oncePer = t.limits().oncePer();
            Duration keep = oncePer != null && oncePer.plus(LATE_HITS).compareTo(horizon) > 0 ? oncePer.plus(LATE_HITS) : horizon;
            byCutoff.computeIfAbsent(now.minus(keep), k -> new ArrayList<>()).add(t.id());
        }
        long deleted = 0;
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("DELETE FROM trigger_firings WHERE fired_at < ?"
                     + " AND trigger_id IN (SELECT unnest(string_split(?, chr(10))))")) { // ids never hold a newline
            for (Map.Entry<Instant, List<String>> cut : byCutoff.entrySet()) {
                ps.setObject(1, LocalDateTime.ofInstant(cut.getKey(), ZoneOffset.UTC));
                ps.setString(2, String.join("\n", cut.getValue()));
                deleted += ps.executeUpdate();
            }
            return deleted;
        } catch (SQLException e) {
            throw new StoreException("cannot prune trigger firings: " + e.getMessage(), e);
        }
    }

    @Override
    public void forgetSubject(String subject) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("DELETE FROM trigger_firings WHERE subject = ?")) {
            ps.setString(1, subject);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot forget a customer's trigger firings: " + e.getMessage(), e);
        }
    }
}
