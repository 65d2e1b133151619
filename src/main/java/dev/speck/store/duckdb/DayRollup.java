package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_ACHIEVEMENTS;
import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.Traffic;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Rolls one pixel's day of events up (visitor_days, goal_visitor_days, set_apart_days) in chunks of
 * its visitors, by a hash of the visitor id, so that a day of any size fits DuckDB's memory limit.
 * DuckDB spills a hash aggregate's groups to disk but not the strings its aggregate states keep (a
 * visitor's first channel, source, landing page ...): one query over a day of 1.1 million events
 * failed at 256 MB. A chunk holds all of its visitors' rows, so every sum and window is whole.
 *
 * <p>A day of several chunks takes a transaction per chunk: the first removes the day from
 * rolled_days with its old rows, the last marks it rolled. In between, and after a crash in
 * between, reports read the day's events (RollupCoverage), so they stay exact; the rollup's
 * watermark and rollup_pending move on only once the day is marked, so the next run rolls it again.
 */
final class DayRollup {

    private static final Logger LOG = Logger.getLogger(DayRollup.class.getName());

    /**
     * DuckDB memory one visitor of a day takes in the visitor_days query, per worker thread (each
     * sums its share of the rows into a table of its own, where a visitor seen by several is in
     * each). Measured on large-day.sql's 500,000 events (167,000 visitors) under a 64 MB limit:
     * 1 thread failed at 157,000 visitors a chunk and passed at 78,000; 2 threads failed at 78,000
     * and passed at 52,000; 4 threads failed at 39,000 and passed at 26,000: 410-610 bytes.
     */
    static final long BYTES_PER_VISITOR = 600;

    /**
     * The same for one row of goal_visitor_days (a visitor's goal of the day). That query spills
     * well: the same day's 145,000 rows in one query passed at 32 MB with 2 threads.
     */
    static final long BYTES_PER_GOAL_ROW = 150;

    /** Chunks past this many would each read the day's events for almost nothing. */
    static final int MAX_CHUNKS = 4096;

    /** The share of DuckDB's memory limit a chunk may take: the rest is the loader's and readers'. */
    static final double SHARE = 0.5;

    private final Connection c;
    private final long budgetBytes;

    private DayRollup(Connection c, long budgetBytes) {
        this.c = c;
        this.budgetBytes = budgetBytes;
    }

    /** For rolling days up on this connection, chunked by the memory limit and threads DuckDB has now. */
    static DayRollup on(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT current_setting('memory_limit'), current_setting('threads')")) {
            rs.next();
            long limit = bytes(rs.getString(1));
            int threads = Math.max(1, rs.getInt(2));
            return new DayRollup(c, (long) (limit * SHARE / threads));
        }
    }

    /** DuckDB's way of writing a size ("244.1 MiB", "1.0 GiB", "512 bytes") in bytes. */
    static long bytes(String size) {
        String[] parts = size.trim().split("\\s+");
        double n = Double.parseDouble(parts[0]);
        String unit = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "bytes";
        long scale = switch (unit) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> 1;
        };
        return (long) (n * scale);
    }

    /** How many chunks of visitors a day's visitor_days and goal_visitor_days rows are made in. */
    record Chunks(int visitors, int goals) {
    }

    /** Rolls the day up, in as many chunks as its visitors need. */
    void roll(String pixel, LocalDate day, long through) throws SQLException {
        Chunks chunks = chunks(pixel, day, through);
        long started = System.nanoTime();
        roll(pixel, day, through, chunks);
        if (chunks.visitors() > 1 || chunks.goals() > 1) {
            LOG.info(String.format("rolled up pixel %s's %s in %d+%d chunks of visitors in %.1f s", pixel, day,
                    chunks.visitors(), chunks.goals(), (System.nanoTime() - started) / 1e9));
        }
    }

    /** How many chunks the day's visitors and goal rows need to fit the budget; at least one each. */
    Chunks chunks(String pixel, LocalDate day, long through) throws SQLException {
        String where = " WHERE pixel = ? AND time >= ? AND time < ? AND seq <= ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT approx_count_distinct(visitor_id), "
                + "count(*) FILTER (WHERE kind <> 'page_view'), (SELECT count(*) FROM " + VISIBLE_ACHIEVEMENTS + where
                + ") FROM " + VISIBLE_EVENTS + where + TrafficSql.and(Traffic.HUMAN))) {
            for (int i = 0; i < 2; i++) {
                ps.setString(4 * i + 1, pixel);
                ps.setObject(4 * i + 2, day.atStartOfDay());
                ps.setObject(4 * i + 3, day.plusDays(1).atStartOfDay());
                ps.setLong(4 * i + 4, through);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Chunks(chunks(rs.getLong(1) * BYTES_PER_VISITOR), chunks((rs.getLong(2) + rs.getLong(3)) * BYTES_PER_GOAL_ROW));
            }
        }
    }

    private int chunks(long bytes) {
        return (int) Math.max(1, Math.min(MAX_CHUNKS, (bytes + budgetBytes - 1) / Math.max(1, budgetBytes)));
    }

    /** Rolls the day up in the chunks given (one each: a single transaction, as any small day). */
    void roll(String pixel, LocalDate day, long through, Chunks chunks) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (String table : new String[]{"visitor_days", "goal_visitor_days", "set_apart_days", "rolled_days"}) {
                run("DELETE FROM " + table + " WHERE pixel = ? AND day = ?", pixel, day);
            }
            for (int chunk = 0; chunk < Math.max(chunks.visitors(), chunks.goals()); chunk++) {
                if (chunk > 0) {
                    c.commit();
                }
                if (chunk < chunks.visitors()) {
                    insertVisitors(pixel, day, through, chunk(chunk, chunks.visitors()));
                }
                if (chunk < chunks.goals()) {
                    insertGoalRows(pixel, day, through, chunk(chunk, chunks.goals()));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO set_apart_days (pixel, day, verdict, hits)"
                    + " SELECT pixel, CAST(? AS DATE), " + TrafficSql.VERDICT + " AS v, count(*) FROM " + VISIBLE_EVENTS
                    + " WHERE pixel = ? AND time >= ? AND time < ? AND seq <= ?" + TrafficSql.and(Traffic.NON_HUMAN)
                    + " GROUP BY pixel, v")) {
                bindDay(ps, pixel, day, through);
                ps.executeUpdate();
            }
            run("DELETE FROM rollup_pending WHERE pixel = ? AND day = ?", pixel, day);
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO rolled_days (pixel, day, through_seq) VALUES (?, ?, ?)")) {
                ps.setString(1, pixel);
                ps.setObject(2, day);
                ps.setLong(3, through);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The rows of one chunk of visitors (NULL visitor ids hash alike, so they stay together). */
    private static String chunk(int chunk, int of) {
        return of == 1 ? "TRUE" : "hash(visitor_id) % " + of + " = " + chunk;
    }

    private void insertVisitors(String pixel, LocalDate day, long through, String rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO visitor_days (pixel, day, visitor_id, "
                + VisitorRollup.COLUMNS + ") SELECT pixel, CAST(? AS DATE), visitor_id, " + VisitorRollup.FROM_EVENTS
                + " FROM " + VISIBLE_EVENTS + " WHERE pixel = ? AND time >= ? AND time < ? AND seq <= ?"
                + " AND visitor_id IS NOT NULL AND (" + rows + ")" + TrafficSql.and(Traffic.HUMAN)
                + " GROUP BY pixel, visitor_id")) {
            bindDay(ps, pixel, day, through);
            ps.executeUpdate();
        }
    }

    private void insertGoalRows(String pixel, LocalDate day, long through, String rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO goal_visitor_days (pixel, "
                + VisitorRollup.GOAL_COLUMNS + ") SELECT CAST(? AS VARCHAR), * FROM ("
                + VisitorRollup.goalDaysFromRaw("time >= ? AND time < ?", rows, Traffic.HUMAN) + ")")) {
            int i = 1;
            ps.setString(i++, pixel);
            for (int times = 0; times < VisitorRollup.goalDaysBinds(Traffic.HUMAN); times++) {
                ps.setString(i++, pixel);
                ps.setObject(i++, day.atStartOfDay());
                ps.setObject(i++, day.plusDays(1).atStartOfDay());
                ps.setLong(i++, through);
            }
            ps.executeUpdate();
        }
    }

    /** Binds the day, pixel, its times and the last seq, as the INSERT ... SELECTs above take them. */
    private static void bindDay(PreparedStatement ps, String pixel, LocalDate day, long through) throws SQLException {
        ps.setObject(1, day);
        ps.setString(2, pixel);
        ps.setObject(3, day.atStartOfDay());
        ps.setObject(4, day.plusDays(1).atStartOfDay());
        ps.setLong(5, through);
    }

    private void run(String sql, String pixel, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pixel);
            ps.setObject(2, day);
            ps.executeUpdate();
        }
    }
}
