package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.segments.Segment;
import dev.speck.segments.SegmentStore;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a rule segment's people again and writes who entered and who left. The members are
 * judged into a temporary table by a read-only query first ({@link SegmentSql}); only the
 * difference against segment_members is written, in one short transaction, so a backfill's long
 * query never holds the loader's tables.
 */
final class SegmentRejudge {

    /** Visitor ids passed to DuckDB in one string: they are base64url, never holding a comma. */
    private static final int PER_INSERT = 5_000;

    private final DuckDbDatabase database;

    SegmentRejudge(DuckDbDatabase database) {
        this.database = database;
    }

    SegmentStore.Changed rejudge(Segment s, Instant now, Collection<String> visitors) {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE seg_judged (person VARCHAR)");
            String scope = null;
            if (visitors != null) {
                st.execute("CREATE OR REPLACE TEMP TABLE seg_candidates (visitor_id VARCHAR)");
                insertVisitors(c, visitors);
                st.execute("CREATE OR REPLACE TEMP TABLE seg_scope AS WITH linked AS " + SegmentSql.LINKED + ", "
                        + SegmentSql.candidatePeople("seg_candidates") + " SELECT person FROM candp"
                        + " UNION SELECT 'v:' || visitor_id FROM seg_candidates");
                scope = "seg_scope";
            }
            SegmentSql members = SegmentSql.members(s.pixel(), s.rule(), now, visitors == null ? null : "seg_candidates");
            SegmentSql insert = SegmentSql.wrap("INSERT INTO seg_judged ", members);
            try (PreparedStatement ps = insert.prepare(c)) {
                ps.executeUpdate();
            }
            return apply(c, s, scope, now);
        } catch (SQLException e) {
            throw new StoreException("cannot judge segment " + s.id() + ": " + e.getMessage(), e);
        }
    }

    private static void insertVisitors(Connection c, Collection<String> visitors) throws SQLException {
        List<String> batch = new ArrayList<>(Math.min(visitors.size(), PER_INSERT));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO seg_candidates SELECT DISTINCT unnest(string_split(?, ','))")) {
            for (String v : visitors) {
                if (v != null && !v.isEmpty() && v.indexOf(',') < 0) {
                    batch.add(v);
                }
                if (batch.size() == PER_INSERT) {
                    ps.setString(1, String.join(",", batch));
                    ps.executeUpdate();
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                ps.setString(1, String.join(",", batch));
                ps.executeUpdate();
            }
        }
    }

    /** The difference between the judged people and the members (within scope, if any), written. */
    private SegmentStore.Changed apply(Connection c, Segment s, String scope, Instant now) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE seg_entered AS SELECT DISTINCT person FROM seg_judged j"
                    + " WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = " + quote(s.id())
                    + " AND m.person = j.person)");
            st.execute("CREATE OR REPLACE TEMP TABLE seg_left AS SELECT person FROM segment_members m WHERE m.segment_id = "
                    + quote(s.id()) + (scope == null ? "" : " AND m.person IN (SELECT person FROM " + scope + ")")
                    + " AND m.person NOT IN (SELECT person FROM seg_judged)");
        }
        int entered = count(c, "seg_entered");
        int left = count(c, "seg_left");
        if (entered == 0 && left == 0) {
            return new SegmentStore.Changed(0, 0);
        }
        try (DuckDbDatabase.Lease writing = database.writing()) {
            c.setAutoCommit(false);
            try (PreparedStatement out = c.prepareStatement("DELETE FROM segment_members WHERE segment_id = ?"
                    + " AND person IN (SELECT person FROM seg_left)");
                 PreparedStatement in = c.prepareStatement("INSERT INTO segment_members (segment_id, person, entered)"
                         + " SELECT ?, person, ? FROM seg_entered");
                 PreparedStatement changes = c.prepareStatement("INSERT INTO segment_changes (segment_id, pixel, person, entered, changed_at,"
                         + " dispatched) SELECT ?, ?, person, true, ?, false FROM seg_entered"
                         + " UNION ALL SELECT ?, ?, person, false, ?, false FROM seg_left")) {
                out.setString(1, s.id());
                out.executeUpdate();
                in.setString(1, s.id());
                in.setObject(2, SegmentSql.time(now));
                in.executeUpdate();
                changes.setString(1, s.id());
                changes.setString(2, s.pixel());
                changes.setObject(3, SegmentSql.time(now));
                changes.setString(4, s.id());
                changes.setString(5, s.pixel());
                changes.setObject(6, SegmentSql.time(now));
                changes.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return new SegmentStore.Changed(entered, left);
    }

    private static int count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    long lastSeq() {
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM " + VISIBLE_EVENTS)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the last event: " + e.getMessage(), e);
        }
    }

    Map<String, Set<String>> touched(long afterSeq, long upToSeq) {
        Map<String, Set<String>> out = new HashMap<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT DISTINCT pixel, visitor_id FROM "
                + VISIBLE_EVENTS + " WHERE seq > ? AND seq <= ? AND visitor_id IS NOT NULL")) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, upToSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), p -> new HashSet<>()).add(rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the newly stored visitors: " + e.getMessage(), e);
        }
    }

    Set<String> expired(String pixel, Set<Integer> windows, Instant from, Instant to) {
        Set<String> out = new HashSet<>();
        if (windows.isEmpty() || !to.isAfter(from)) {
            return out;
        }
        StringBuilder sql = new StringBuilder("SELECT DISTINCT visitor_id FROM " + VISIBLE_EVENTS
                + " WHERE pixel = ? AND visitor_id IS NOT NULL AND (false");
        List<Object> params = new ArrayList<>(List.of(pixel));
        for (int days : windows) {
            sql.append(" OR (time > ? AND time <= ?)");
            params.add(SegmentSql.time(from.minus(Duration.ofDays(days))));
            params.add(SegmentSql.time(to.minus(Duration.ofDays(days))));
        }
        sql.append(")");
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read visitors whose hits left a segment's window: " + e.getMessage(), e);
        }
    }
}
