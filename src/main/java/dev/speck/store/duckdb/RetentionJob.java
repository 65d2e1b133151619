package dev.speck.store.duckdb;

import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.Pixel;
import dev.speck.privacy.AccountSettings;
import dev.speck.privacy.RetentionPolicy;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Deletes what each pixel's retention no longer allows: events, goal achievements and rolled-up
 * visitor rows of whole UTC days older than the pixel's retention, and raw IPs older than the
 * account's raw-IP retention (all of them once keeping raw IPs is off); {@link RetentionPolicy}
 * decides, this carries it out. Runs on its own low-priority thread; {@link #runOnce(Instant)}
 * takes the time, so tests need not wait for days.
 */
public final class RetentionJob implements AutoCloseable {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RetentionJob.class.getName());

    private final DuckDbDatabase database;
    private final Supplier<? extends Collection<Pixel>> pixels;
    private final Supplier<AccountSettings> account;
    private final SpeckMetrics metrics;
    private final PeriodicJob job;

    public RetentionJob(DuckDbDatabase database, Supplier<? extends Collection<Pixel>> pixels,
                        Supplier<AccountSettings> account, SpeckMetrics metrics, long intervalMillis) {
        this(database, pixels, account, metrics, intervalMillis, java.time.Clock.systemUTC());
    }

    /** @param clock the server's clock, read at each periodic run */
    public RetentionJob(DuckDbDatabase database, Supplier<? extends Collection<Pixel>> pixels,
                        Supplier<AccountSettings> account, SpeckMetrics metrics, long intervalMillis,
                        java.time.Clock clock) {
        this.database = database;
        this.pixels = pixels;
        this.account = account;
        this.metrics = metrics;
        this.job = new PeriodicJob("speck-retention", intervalMillis, true,
                "retention run failed; retried at the next run", () -> runOnce(clock.instant()));
    }

    public void start() {
        job.start();
    }

    /** What one run removed. */
    public record Deleted(long events, long achievements, long visitorDays, long goalVisitorDays, long rawIps) {
    }

    /** Applies every pixel's retention as of {@code now}; one transaction per pixel. */
    public synchronized Deleted runOnce(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long events = 0, achievements = 0, visitorDays = 0, goalDays = 0;
        long started = System.nanoTime();
        // A line at each end, hourly: an operator (and a test that kills it midway) sees a run begin and end.
        LOG.info("retention: run started as of " + today);
        try (DuckDbDatabase.Lease writing = database.writing(); Connection c = database.connect()) {
            for (Pixel pixel : pixels.get()) {
                LocalDate firstKept = RetentionPolicy.firstKeptDay(pixel.privacy(), today);
                if (firstKept == null) {
                    continue; // kept forever
                }
                c.setAutoCommit(false);
                try {
                    events += delete(c, "DELETE FROM events WHERE pixel = ? AND time < ?", pixel, firstKept.atStartOfDay());
                    achievements += delete(c, "DELETE FROM goal_achievements WHERE pixel = ? AND time < ?", pixel,
                            firstKept.atStartOfDay());
                    visitorDays += delete(c, "DELETE FROM visitor_days WHERE pixel = ? AND day < ?", pixel, firstKept);
                    goalDays += delete(c, "DELETE FROM goal_visitor_days WHERE pixel = ? AND day < ?", pixel, firstKept);
                    delete(c, "DELETE FROM rolled_days WHERE pixel = ? AND day < ?", pixel, firstKept);
                    delete(c, "DELETE FROM set_apart_days WHERE pixel = ? AND day < ?", pixel, firstKept);
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                // Rows still in the loader's in-memory generations (a late backfill), each delete a
                // transaction of its own (DuckDB writes one database per transaction), under the move
                // lock so that no move takes a row into the file that this removed from memory. Only
                // here: a move does not wait for the file's deletes, which can take a while.
                database.moves().lock();
                try {
                    for (int generation = 0; generation < 2; generation++) {
                        events += delete(c, "DELETE FROM " + DuckDbDatabase.loaded("events", generation)
                                + " WHERE pixel = ? AND time < ?", pixel, firstKept.atStartOfDay());
                        achievements += delete(c, "DELETE FROM " + DuckDbDatabase.loaded("goal_achievements", generation)
                                + " WHERE pixel = ? AND time < ?", pixel, firstKept.atStartOfDay());
                    }
                } finally {
                    database.moves().unlock();
                }
            }
            long rawIps = clearRawIps(c, "events", now);
            database.moves().lock();
            try {
                for (int generation = 0; generation < 2; generation++) {
                    rawIps += clearRawIps(c, DuckDbDatabase.loaded("events", generation), now);
                }
            } finally {
                database.moves().unlock();
            }
            metrics.retentionDeleted("events", events);
            metrics.retentionDeleted("goal_achievements", achievements);
            metrics.retentionDeleted("visitor_days", visitorDays);
            metrics.retentionDeleted("goal_visitor_days", goalDays);
            metrics.retentionDeleted("raw_ip", rawIps);
            LOG.info(String.format("retention: run done in %d ms; deleted %d events, %d goal achievements, %d visitor"
                            + " rows, %d goal visitor rows, %d raw IPs", (System.nanoTime() - started) / 1_000_000,
                    events, achievements, visitorDays, goalDays, rawIps));
            return new Deleted(events, achievements, visitorDays, goalDays, rawIps);
        } catch (SQLException e) {
            throw new StoreException("retention failed: " + e.getMessage(), e);
        }
    }

    private long clearRawIps(Connection c, String table, Instant now) throws SQLException {
        Instant clearedBefore = RetentionPolicy.rawIpsClearedBefore(account.get(), now);
        if (clearedBefore == null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET raw_ip = NULL WHERE raw_ip IS NOT NULL")) {
                return ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table + " SET raw_ip = NULL WHERE raw_ip IS NOT NULL AND time < ?")) {
            ps.setObject(1, clearedBefore.atOffset(ZoneOffset.UTC).toLocalDateTime());
            return ps.executeUpdate();
        }
    }

    private static long delete(Connection c, String sql, Pixel pixel, Object before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pixel.id());
            ps.setObject(2, before);
            return ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        job.close();
    }
}
