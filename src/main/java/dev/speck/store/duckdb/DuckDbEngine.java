package dev.speck.store.duckdb;

import java.nio.file.Path;

/**
 * Everything Speck keeps, in one DuckDB file in the data folder: the event store and every
 * repository behind the domain's seams, opened together in the order their tables are created.
 * The one place that picks the embedded engine: a scale-out engine is another such set of parts.
 */
public record DuckDbEngine(DuckDbDatabase database, DuckDbEventStore events, DuckDbAuditTrail audit,
                           DuckDbAccessRepository access, DuckDbPixelRepository pixels, DuckDbGoalRepository goals,
                           DuckDbAccountSettingsRepository accountSettings, DuckDbCustomerRepository customers,
                           DuckDbCustomerData customerData, DuckDbReports reports, DuckDbGoalReports goalReports,
                           DuckDbOutbox outbox) {

    /** Opens (or creates) the file and every table; the caller closes {@link #events()}, then {@link #database()}. */
    public static DuckDbEngine open(Path dataDir, String memoryLimit, int threads, long checkpointThreshold) {
        DuckDbDatabase database = DuckDbDatabase.open(dataDir, memoryLimit, threads, checkpointThreshold);
        DuckDbEventStore events = null;
        try {
            events = new DuckDbEventStore(database);
            DuckDbAuditTrail audit = new DuckDbAuditTrail(database);
            DuckDbAccessRepository access = new DuckDbAccessRepository(database);
            DuckDbPixelRepository pixels = new DuckDbPixelRepository(database);
            DuckDbGoalRepository goals = new DuckDbGoalRepository(database);
            DuckDbAccountSettingsRepository accountSettings = new DuckDbAccountSettingsRepository(database);
            DuckDbCustomerRepository customers = new DuckDbCustomerRepository(database);
            return new DuckDbEngine(database, events, audit, access, pixels, goals, accountSettings, customers,
                    new DuckDbCustomerData(database, customers), new DuckDbReports(database),
                    new DuckDbGoalReports(database), new DuckDbOutbox(database));
        } catch (RuntimeException e) {
            if (events != null) {
                events.close();
            }
            database.close();
            throw e;
        }
    }
}
