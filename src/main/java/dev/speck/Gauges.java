package dev.speck;

import dev.speck.customers.Recognition;
import dev.speck.enrich.Enricher;
import dev.speck.http.HttpServer;
import dev.speck.journal.MappedJournal;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pipeline.EventLoader;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbEventStore;
import dev.speck.tls.ServerTls;

import java.util.function.Supplier;

/** The gauges {@code /metrics} reads from the running parts when it is scraped. */
final class Gauges {

    private Gauges() {
    }

    /**
     * @param tls    null when Speck serves plain HTTP
     * @param server the server, the loader and the enricher are read at each scrape: the server does
     *               not exist yet, and a closed app lets go of all three (they hold the user-agent
     *               analyzer, ~100 MB) while its metrics may stay reachable
     */
    static void register(SpeckMetrics metrics, ServerTls tls, DuckDbDatabase database, Supplier<HttpServer> server,
                         MappedJournal journal, DuckDbEventStore store, Supplier<EventLoader> loader,
                         Supplier<Enricher> enricher, Recognition recognition) {
        if (tls != null) {
            metrics.gauge("speck_tls_certificate_expiry_seconds", "Seconds until the certificate being served expires",
                    () -> (tls.notAfter().toEpochMilli() - System.currentTimeMillis()) / 1000.0);
        }
        metrics.gauge("speck_store_memory_bytes", "Bytes DuckDB's buffer manager holds (blocks, transaction data)",
                () -> database.memoryInUse());
        metrics.gauges("speck_store_memory_tag_bytes", "Bytes DuckDB's buffer manager holds, by what for (duckdb_memory() tags)",
                "tag", database::memoryByTag);
        metrics.gauge("speck_customer_import_uploads", "Customer import bodies being uploaded now (at most 2 at once)",
                () -> server.get() == null ? 0 : server.get().importUploadsInProgress());
        metrics.gauge("speck_journal_backlog_bytes", "Journal bytes written but not yet stored (the loader's lag)",
                () -> journal.backlogBytes());
        metrics.gauge("speck_store_events_in_memory", "Events stored and visible but not yet moved into the database "
                + "file (the journal keeps them until then)", () -> store.eventsInMemory());
        metrics.gauge("speck_loader_deferring", "1 while the loader stands back for a burst it could not keep up with",
                () -> loader.get().deferring() ? 1 : 0);
        metrics.gauge("speck_loader_rate", "Hits per second the loader stored in its last full batches",
                () -> loader.get().measuredRate());
        metrics.gauge("speck_store_last_write_age_seconds", "Seconds since the loader last stored a batch",
                () -> (System.currentTimeMillis() - loader.get().lastStoredAt()) / 1000.0);
        metrics.gauge("speck_user_agent_cache_hit_ratio", "Share of user agents answered from the cache",
                () -> enricher.get().stats().userAgentCacheHitRate());
        metrics.gauge("speck_customers_recognised", "Identity claims that named a customer since start",
                () -> recognition.recognised());
        metrics.gauge("speck_customers_refused_claims", "Identity claims refused for a missing, wrong or expired signature",
                () -> recognition.refused());
        metrics.gauge("speck_geo_lookups", "Geo database lookups since start",
                () -> enricher.get().stats().geoLookups());
        metrics.gauge("speck_geo_misses", "Geo lookups the database had no answer for",
                () -> enricher.get().stats().geoMisses());
        metrics.gauge("speck_geo_miss_ratio", "Share of geo lookups the database had no answer for",
                () -> enricher.get().stats().geoMissRatio());
        metrics.gauge("speck_geo_database_age_seconds", "Seconds since the geo database in use was built (NaN: none)",
                () -> {
                    java.time.Instant built = enricher.get().stats().geoDatabaseBuiltAt();
                    return built == null ? Double.NaN : (System.currentTimeMillis() - built.toEpochMilli()) / 1000.0;
                });
    }
}
