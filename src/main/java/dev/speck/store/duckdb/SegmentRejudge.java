package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.segments.PersonHits;
import dev.speck.segments.Segment;
import dev.speck.segments.SegmentJudge;
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

    /** Judges everyone over the stored history: a backfill. */
    SegmentStore.Changed rejudge(Segment s, Instant now) {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE seg_judged (segment_id VARCHAR, person VARCHAR)");
            judge(c, List.of(s), now);
            return apply(c, List.of(s), s.pixel(), null, now).getOrDefault(s.id(), new SegmentStore.Changed(0, 0));
        } catch (SQLException e) {
            throw new StoreException("cannot judge segment " + s.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Judges the people of these visitors for each segment of one pixel: their events of the longest
     * window are read from the store once into a temporary table, all segments are judged from it in
     * a few statements, and the differences are written in one transaction.
     */
    Map<String, SegmentStore.Changed> rejudge(String pixel, List<Segment> segments, Instant now, Collection<String> visitors) {
        if (segments.isEmpty()) {
            return Map.of();
        }
        int days = segments.stream().mapToInt(s -> s.rule().days()).max().orElse(1);
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE seg_candidates (visitor_id VARCHAR)");
            insertVisitors(c, visitors);
            st.execute("CREATE OR REPLACE TEMP TABLE seg_scope AS WITH linked AS " + SegmentSql.LINKED + ", "
                    + SegmentSql.candidatePeople("seg_candidates") + " SELECT person FROM candp"
                    + " UNION SELECT 'v:' || visitor_id FROM seg_candidates");
            try (PreparedStatement ps = SegmentSql.prepareEvents(pixel, "seg_candidates", now, days).prepare(c)) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = SegmentSql.prepareAchievements(pixel, now, days).prepare(c)) {
                ps.executeUpdate();
            }
            st.execute("CREATE OR REPLACE TEMP TABLE seg_judged (segment_id VARCHAR, person VARCHAR)");
            // the candidates' rows are few: judged in the JVM, every segment over the same rows
            List<PersonHits> people = SegmentRows.read(c);
            SegmentJudge[] judges = new SegmentJudge[segments.size()];
            StringBuilder[] members = new StringBuilder[segments.size()];
            for (int i = 0; i < judges.length; i++) {
                judges[i] = SegmentJudge.of(segments.get(i).rule());
                members[i] = new StringBuilder();
            }
            for (PersonHits p : people) {
                if (p.person().indexOf(',') >= 0) {
                    continue;
                }
                Map<String, Object> shared = new HashMap<>();
                for (int i = 0; i < judges.length; i++) {
                    if (judges[i].member(now, p, shared)) {
                        members[i].append(members[i].length() == 0 ? "" : ",").append(p.person());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO seg_judged SELECT ?, unnest(string_split(?, ','))")) {
                for (int i = 0; i < judges.length; i++) {
                    if (members[i].length() > 0) {
                        ps.setString(1, segments.get(i).id());
                        ps.setString(2, members[i].toString());
                        ps.executeUpdate();
                    }
                }
            }
            return apply(c, segments, pixel, "seg_scope", now);
        } catch (SQLException e) {
            throw new StoreException("cannot judge the segments of " + pixel + ": " + e.getMessage(), e);
        }
    }

    private static void judge(Connection c, List<Segment> segments, Instant now) throws SQLException {
        SegmentSql insert = null;
        for (Segment s : segments) {
            SegmentSql one = SegmentSql.wrap("SELECT '" + s.id().replace("'", "''") + "' AS segment_id, person FROM (",
                    SegmentSql.members(s.pixel(), s.rule(), now));
            one.add(")");
            insert = insert == null ? SegmentSql.wrap("INSERT INTO seg_judged ", one) : SegmentSql.join(insert, " UNION ALL ", one);
        }
        try (PreparedStatement ps = insert.prepare(c)) {
            ps.executeUpdate();
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

    /** The differences between the judged people and the members (within scope, if any), written in one transaction. */
    private Map<String, SegmentStore.Changed> apply(Connection c, List<Segment> segments, String pixel, String scope, Instant now)
            throws SQLException {
        StringBuilder ids = new StringBuilder();
        for (Segment s : segments) {
            ids.append(ids.length() == 0 ? "" : ", ").append(quote(s.id()));
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE seg_entered AS SELECT DISTINCT segment_id, person FROM seg_judged j"
                    + " WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = j.segment_id AND m.person = j.person)");
            st.execute("CREATE OR REPLACE TEMP TABLE seg_left AS SELECT segment_id, person FROM segment_members m WHERE m.segment_id IN ("
                    + ids + ")" + (scope == null ? "" : " AND m.person IN (SELECT person FROM " + scope + ")")
                    + " AND NOT EXISTS (SELECT 1 FROM seg_judged j WHERE j.segment_id = m.segment_id AND j.person = m.person)");
        }
        Map<String, int[]> counts = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT segment_id, true, count(*) FROM seg_entered"
                + " GROUP BY ALL UNION ALL SELECT segment_id, false, count(*) FROM seg_left GROUP BY ALL")) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), k -> new int[2])[rs.getBoolean(2) ? 0 : 1] = rs.getInt(3);
            }
        }
        Map<String, SegmentStore.Changed> out = new HashMap<>();
        counts.forEach((id, n) -> out.put(id, new SegmentStore.Changed(n[0], n[1])));
        if (counts.isEmpty()) {
            return out;
        }
        try (DuckDbDatabase.Lease writing = database.writing()) {
            c.setAutoCommit(false);
            try (PreparedStatement leave = c.prepareStatement("DELETE FROM segment_members m WHERE EXISTS (SELECT 1 FROM seg_left l"
                    + " WHERE l.segment_id = m.segment_id AND l.person = m.person)");
                 PreparedStatement enter = c.prepareStatement("INSERT INTO segment_members (segment_id, person, entered)"
                         + " SELECT segment_id, person, ? FROM seg_entered");
                 PreparedStatement changes = c.prepareStatement("INSERT INTO segment_changes (segment_id, pixel, person, entered,"
                         + " changed_at, dispatched) SELECT segment_id, ?, person, true, ?, false FROM seg_entered"
                         + " UNION ALL SELECT segment_id, ?, person, false, ?, false FROM seg_left")) {
                leave.executeUpdate();
                enter.setObject(1, SegmentSql.time(now));
                enter.executeUpdate();
                changes.setString(1, pixel);
                changes.setObject(2, SegmentSql.time(now));
                changes.setString(3, pixel);
                changes.setObject(4, SegmentSql.time(now));
                changes.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return out;
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
