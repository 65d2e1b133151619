package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_ACHIEVEMENTS;
import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.Traffic;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sums up each past day's visitors into visitor_days, so that the goals report counts and filters
 * visitors without scanning every event. A day is rolled again when events for it arrive later (a
 * backfill); until then the report sees it has newer events and reads them instead, so reports
 * stay exact. Runs on its own thread, one day at a time, each in chunks of its visitors that fit
 * DuckDB's memory limit ({@link DayRollup}).
 */
public final class VisitorRollup implements AutoCloseable {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(VisitorRollup.class.getName());

    /**
     * An event's place in time order, (time, seq), as one HUGEINT for arg_min and min: DuckDB keeps a
     * struct key as a blob in each aggregate state, in memory it can neither spill nor free before the
     * query ends. Rolling up a day of 500,000 events took 203 MB and 4.7 s with (time, seq), 140 MB
     * and 2.2 s with this, same rows. Exact for every seq in [0, 2^64).
     */
    static final String ORDER = "(CAST(epoch_us(time) AS HUGEINT) * 18446744073709551616 + seq)";

    /** The visitor_days columns after pixel, day, visitor_id, and how to get each from a day's events. */
    static final String COLUMNS = "first_seen, channel, source, utm_campaign, utm_medium, landing_page, country, "
            + "device_class, browser, os";
    static final String FROM_EVENTS = "min(time), " + String.join(", ",
            first("channel"), first("source"), first("utm_campaign"), first("utm_medium"),
            "arg_min(path, " + ORDER + ") FILTER (WHERE kind = 'page_view')",
            first("country"), first("device_class"), first("browser"), first("os"));

    /** The goal_visitor_days columns after pixel, as a SELECT makes them. */
    static final String GOAL_COLUMNS = "day, goal, implicit, version, visitor_id, achievements, value, is_first, first_value, currency";

    private final DuckDbDatabase database;
    private final LongSupplier storedEvents;
    /** The server's clock: which days are past. */
    private final java.time.Clock clock;
    private final PeriodicJob job;
    private long storedAtLastRun = -1;
    private LocalDate dayOfLastRun;
    private final AtomicLong periodicRuns = new AtomicLong();

    /**
     * @param storedEvents events stored since start: while it stands still and the day has not
     *                     changed, the periodic run has nothing to roll and skips its queries (an
     *                     idle server then reads no event blocks back into memory every minute)
     */
    public VisitorRollup(DuckDbDatabase database, long intervalMillis, LongSupplier storedEvents) {
        this(database, intervalMillis, storedEvents, java.time.Clock.systemUTC());
    }

    /** @param clock the server's clock, which says which days are past */
    public VisitorRollup(DuckDbDatabase database, long intervalMillis, LongSupplier storedEvents, java.time.Clock clock) {
        this.database = database;
        this.storedEvents = storedEvents;
        this.clock = clock;
        this.job = new PeriodicJob("speck-rollup", intervalMillis, false,
                "visitor rollup failed; reports read events until it succeeds", this::runIfAnythingNew);
    }

    /** The periodic run: {@link #runOnce} unless no event was stored and no day ended since the last one. */
    synchronized int runIfAnythingNew() {
        long stored = storedEvents.getAsLong();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (stored == storedAtLastRun && today.equals(dayOfLastRun)) {
            return 0;
        }
        int rolled = runOnce();
        storedAtLastRun = stored; // read before the run: events stored during it are looked at next time
        dayOfLastRun = today;
        periodicRuns.incrementAndGet();
        return rolled;
    }

    /**
     * Periodic runs that queried the store (not the skipped ones). Each reads the newest events, so
     * DuckDB holds their blocks afterwards: the idle trim waits for the first run after a burst.
     */
    public long periodicRuns() {
        return periodicRuns.get();
    }

    /**
     * goal_visitor_days rows (without pixel) computed from stored achievements and events of the
     * traffic. The caller binds: pixel, the time condition's values, maxSeq;
     * {@link #goalDaysBinds} times (achievements, their traffic, then events).
     */
    static String goalDaysFromRaw(String timeCondition, Traffic traffic) {
        return goalDaysFromRaw(timeCondition, "TRUE", traffic);
    }

    /**
     * As {@link #goalDaysFromRaw(String, Traffic)}, of the rows that meet {@code rows} too (a condition
     * on visitor_id without values to bind: its visitors' rows are whole, as the windows need).
     */
    static String goalDaysFromRaw(String timeCondition, String rows, Traffic traffic) {
        String where = "pixel = ? AND (" + timeCondition + ") AND seq <= ?";
        String these = " AND (" + rows + ")";
        return "SELECT day, goal, implicit, version, visitor_id, n AS achievements, v AS value,"
                + " k = min(k) OVER (PARTITION BY goal, implicit, visitor_id) AS is_first,"
                + " CASE WHEN k = min(k) OVER (PARTITION BY goal, implicit, visitor_id) THEN coalesce(fv, 0) ELSE 0 END AS first_value,"
                + " cur AS currency FROM (SELECT CAST(min(time) AS DATE) AS day, goal, implicit, version, visitor_id,"
                + " count(*) AS n, coalesce(sum(value), 0) AS v, min(" + ORDER + ") AS k,"
                + " arg_min_null(value, " + ORDER + ") AS fv, max(currency) AS cur FROM ("
                + "SELECT goal_id AS goal, FALSE AS implicit, goal_version AS version, visitor_id, time, seq, value, currency"
                + " FROM " + VISIBLE_ACHIEVEMENTS + " WHERE " + where + these + TrafficSql.achievements(traffic, where)
                + " UNION ALL SELECT kind || ':' || coalesce(name, campaign, link, ''), TRUE, 0, visitor_id, time, seq, value,"
                + " currency FROM " + VISIBLE_EVENTS + " WHERE " + where + these + " AND kind <> 'page_view'" + TrafficSql.and(traffic)
                + ") GROUP BY goal, implicit, version, visitor_id)";
    }

    /** How many times {@link #goalDaysFromRaw}'s values are bound. */
    static int goalDaysBinds(Traffic traffic) {
        return TrafficSql.achievementBinds(traffic) + 1;
    }

    static String first(String column) {
        return "arg_min(" + column + ", " + ORDER + ")";
    }

    public void start() {
        job.start();
    }

    /** Rolls up every past day that has events not yet rolled up; returns how many (pixel, day) it rolled. */
    public synchronized int runOnce() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try (DuckDbDatabase.Lease writing = database.writing();
             Connection c = database.connect(); Statement st = c.createStatement()) {
            long watermark = watermark(st);
            long through;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM " + VISIBLE_EVENTS)) {
                rs.next();
                through = rs.getLong(1);
            }
            List<Object[]> dirty = new ArrayList<>();
            // new events for past days, and days that ended since the last run
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT pixel, CAST(time AS DATE) AS day FROM " + VISIBLE_EVENTS + " WHERE seq > ? AND seq <= ? AND time < ? "
                            + "UNION SELECT * FROM (SELECT DISTINCT pixel, CAST(time AS DATE) FROM " + VISIBLE_EVENTS + " "
                            + "WHERE time >= ? AND time < ? AND seq <= ? EXCEPT SELECT pixel, day FROM rolled_days) "
                            + "ORDER BY day, pixel")) {
                ps.setLong(1, watermark);
                ps.setLong(2, through);
                ps.setObject(3, today.atStartOfDay());
                ps.setObject(4, today.minusDays(3).atStartOfDay());
                ps.setObject(5, today.atStartOfDay());
                ps.setLong(6, through);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dirty.add(new Object[]{rs.getString(1), rs.getObject(2, LocalDate.class)});
                    }
                }
            }
            // days an admin's reclassification (or the upgrade to traffic quality) left to roll again
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT pixel, day FROM rollup_pending WHERE day < ?"
                    + " ORDER BY day, pixel")) {
                ps.setObject(1, today);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] d = {rs.getString(1), rs.getObject(2, LocalDate.class)};
                        if (dirty.stream().noneMatch(x -> x[0].equals(d[0]) && x[1].equals(d[1]))) {
                            dirty.add(d);
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rollup_pending WHERE day >= ?")) {
                ps.setObject(1, today); // today is read from events anyway; it is rolled when it has ended
                ps.executeUpdate();
            }
            // A clock that ran ahead and was set back had today (or a later day) rolled up as past: that
            // rollup misses the hits since, and the watermark passes them (only past days are rolled), so
            // the reports would count too few. Undone, rolled_days first: the reports read its events
            // again until the day has ended and is rolled once more.
            for (String table : List.of("rolled_days", "visitor_days", "goal_visitor_days", "set_apart_days")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE day >= ?")) {
                    ps.setObject(1, today);
                    ps.executeUpdate();
                }
            }
            long started = System.nanoTime();
            if (!dirty.isEmpty()) {
                LOG.info("visitor rollup: " + dirty.size() + " pixel-days to roll");
            }

            DayRollup days = DayRollup.on(c);
            for (Object[] d : dirty) {
                days.roll((String) d[0], (LocalDate) d[1], through);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO rollup_state (id, watermark) VALUES (1, ?)")) {
                ps.setLong(1, through);
                ps.executeUpdate();
            }
            if (!dirty.isEmpty()) {
                LOG.info("visitor rollup: " + dirty.size() + " pixel-days rolled in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
            return dirty.size();
        } catch (SQLException e) {
            throw new StoreException("visitor rollup failed: " + e.getMessage(), e);
        }
    }

    static long watermark(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT coalesce(max(watermark), 0) FROM rollup_state")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        job.close();
    }
}
