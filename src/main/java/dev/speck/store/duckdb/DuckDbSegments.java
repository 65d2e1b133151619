package dev.speck.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.customers.Customer;
import dev.speck.http.ApiJson;
import dev.speck.segments.Member;
import dev.speck.segments.Segment;
import dev.speck.segments.SegmentChange;
import dev.speck.segments.SegmentJson;
import dev.speck.segments.SegmentStore;
import dev.speck.store.StoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The segments, segment_members, segment_changes, segment_sizes and segment_watermark tables. */
public final class DuckDbSegments implements SegmentStore {

    private static final Logger LOG = Logger.getLogger(DuckDbSegments.class.getName());
    private static final String CUSTOMER = DuckDbCustomerRepository.COLUMNS.replaceAll("(\\w+)", "k.$1");

    private final DuckDbDatabase database;
    private final SegmentRejudge rejudge;

    public DuckDbSegments(DuckDbDatabase database) {
        this.database = database;
        this.rejudge = new SegmentRejudge(database);
    }

    @Override
    public List<Segment> all() {
        return select("", null);
    }

    @Override
    public Segment find(String id) {
        List<Segment> found = select(" WHERE id = ?", id);
        return found.isEmpty() ? null : found.get(0);
    }

    private List<Segment> select(String where, String value) {
        List<Segment> out = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, pixel, definition, created, updated FROM segments" + where + " ORDER BY created, id")) {
            if (value != null) {
                ps.setString(1, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    try {
                        JsonNode definition = ApiJson.MAPPER.readTree(rs.getString(3));
                        out.add(SegmentJson.read(definition, id, rs.getString(2), instant(rs, 4), instant(rs, 5), goal -> true));
                    } catch (IOException | IllegalArgumentException e) {
                        // a definition this version cannot read is left alone (and not judged), not lost
                        LOG.log(Level.WARNING, "segment " + id + " cannot be read and is not judged: " + e.getMessage());
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read segments: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Segment s) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO segments (id, pixel, name, definition, created, updated)"
                     + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.pixel());
            ps.setString(3, s.name());
            ps.setString(4, new String(ApiJson.write(SegmentJson.write(s)), StandardCharsets.UTF_8));
            ps.setObject(5, SegmentSql.time(s.created()));
            ps.setObject(6, SegmentSql.time(s.updated()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save segment: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String id) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            c.setAutoCommit(false);
            try {
                for (String table : List.of("segment_members", "segment_changes", "segment_sizes")) {
                    update(c, "DELETE FROM " + table + " WHERE segment_id = ?", id);
                }
                boolean existed = update(c, "DELETE FROM segments WHERE id = ?", id) > 0;
                c.commit();
                return existed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot delete segment: " + e.getMessage(), e);
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    @Override
    public Changed rejudge(Segment segment, Instant now) {
        return rejudge.rejudge(segment, now);
    }

    @Override
    public Map<String, Changed> rejudge(String pixel, List<Segment> segments, Instant now, Collection<String> visitors) {
        return rejudge.rejudge(pixel, segments, now, visitors);
    }

    @Override
    public Changed changeList(Segment s, Collection<String> customerIds, boolean add, Instant now) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE seg_list (person VARCHAR)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO seg_list SELECT DISTINCT unnest(string_split(?, ','))"
                    + " WHERE true")) {
                List<String> ids = customerIds.stream().filter(id -> id.indexOf(',') < 0).toList();
                ps.setString(1, String.join(",", ids));
                if (!ids.isEmpty()) {
                    ps.executeUpdate();
                }
            }
            String changed = add
                    ? "SELECT DISTINCT l.person FROM seg_list l JOIN customers k ON k.id = l.person WHERE NOT EXISTS"
                    + " (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.person = l.person)"
                    : "SELECT person FROM segment_members WHERE segment_id = ? AND person IN (SELECT person FROM seg_list)";
            try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE seg_changed AS " + changed)) {
                ps.setString(1, s.id());
                ps.executeUpdate();
            }
            c.setAutoCommit(false);
            try {
                int n = update(c, "INSERT INTO segment_changes (segment_id, pixel, person, entered, changed_at, dispatched)"
                        + " SELECT ?, ?, person, ?, ?, false FROM seg_changed", s.id(), s.pixel(), add, SegmentSql.time(now));
                if (add) {
                    update(c, "INSERT INTO segment_members (segment_id, person, entered) SELECT ?, person, ? FROM seg_changed",
                            s.id(), SegmentSql.time(now));
                } else {
                    update(c, "DELETE FROM segment_members WHERE segment_id = ? AND person IN (SELECT person FROM seg_changed)", s.id());
                }
                c.commit();
                return add ? new Changed(n, 0) : new Changed(0, n);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot change the list: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Member> members(String segmentId, String after, int limit) {
        List<Member> out = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT m.person, m.entered, " + CUSTOMER
                + " FROM segment_members m LEFT JOIN customers k ON k.id = m.person WHERE m.segment_id = ? AND m.person > ?"
                + " ORDER BY m.person LIMIT ?")) {
            ps.setString(1, segmentId);
            ps.setString(2, after == null ? "" : after);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Customer k = rs.getString(3) == null ? null : DuckDbCustomerRepository.customerAt(rs, 3);
                    out.add(new Member(rs.getString(1), k, instant(rs, 2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read segment members: " + e.getMessage(), e);
        }
    }

    @Override
    public int size(String segmentId) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM segment_members WHERE segment_id = ?")) {
            ps.setString(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count segment members: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<LocalDate, Integer> sizes(String segmentId, LocalDate from, LocalDate to) {
        Map<LocalDate, Integer> out = new LinkedHashMap<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT day, members FROM segment_sizes"
                + " WHERE segment_id = ? AND day >= ? AND day <= ? ORDER BY day")) {
            ps.setString(1, segmentId);
            ps.setObject(2, from);
            ps.setObject(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, LocalDate.class), rs.getInt(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read segment sizes: " + e.getMessage(), e);
        }
    }

    @Override
    public void recordSize(String segmentId, LocalDate day, int size) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            update(c, "INSERT OR REPLACE INTO segment_sizes (segment_id, day, members) VALUES (?, ?, ?)", segmentId, day, size);
        } catch (SQLException e) {
            throw new StoreException("cannot record a segment's size: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SegmentChange> undispatched(int limit) {
        return selectChanges(" WHERE NOT ch.dispatched ORDER BY ch.id LIMIT ?", limit);
    }

    @Override
    public List<SegmentChange> changes(String segmentId, int limit) {
        return selectChanges(" WHERE ch.segment_id = ? ORDER BY ch.id DESC LIMIT ?", segmentId, limit);
    }

    private List<SegmentChange> selectChanges(String where, Object... params) {
        List<SegmentChange> out = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT ch.id, ch.segment_id, ch.pixel,"
                + " ch.person, ch.entered, ch.changed_at, " + CUSTOMER + " FROM segment_changes ch LEFT JOIN customers k ON k.id = ch.person"
                + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Customer k = rs.getString(7) == null ? null : DuckDbCustomerRepository.customerAt(rs, 7);
                    out.add(new SegmentChange(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                            instant(rs, 6), k));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read segment changes: " + e.getMessage(), e);
        }
    }

    @Override
    public void dispatched(Collection<Long> changeIds) {
        if (changeIds.isEmpty()) {
            return;
        }
        StringBuilder ids = new StringBuilder();
        for (long id : changeIds) {
            ids.append(ids.length() == 0 ? "" : ",").append(id);
        }
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            update(c, "UPDATE segment_changes SET dispatched = true WHERE id IN (SELECT CAST(unnest(string_split(?, ',')) AS BIGINT))",
                    ids.toString());
        } catch (SQLException e) {
            throw new StoreException("cannot mark segment changes handed to triggers: " + e.getMessage(), e);
        }
    }

    @Override
    public long lastSeq() {
        return rejudge.lastSeq();
    }

    @Override
    public Map<String, Set<String>> touched(long afterSeq, long upToSeq) {
        return rejudge.touched(afterSeq, upToSeq);
    }

    @Override
    public Set<String> expired(String pixel, Set<Integer> windows, Instant from, Instant to) {
        return rejudge.expired(pixel, windows, from, to);
    }

    @Override
    public Watermark watermark() {
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, judged_at FROM segment_watermark LIMIT 1")) {
            return rs.next() ? new Watermark(rs.getLong(1), instant(rs, 2)) : null;
        } catch (SQLException e) {
            throw new StoreException("cannot read the segments' watermark: " + e.getMessage(), e);
        }
    }

    @Override
    public void saveWatermark(Watermark w) {
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            c.setAutoCommit(false);
            update(c, "DELETE FROM segment_watermark");
            update(c, "INSERT INTO segment_watermark (seq, judged_at) VALUES (?, ?)", w.seq(), SegmentSql.time(w.at()));
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot save the segments' watermark: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
