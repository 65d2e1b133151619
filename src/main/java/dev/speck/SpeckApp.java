package dev.speck;

import dev.speck.access.AccessControl;
import dev.speck.audit.AuditLog;
import dev.speck.http.ClientAddresses;
import dev.speck.collect.CollectSettings;
import dev.speck.http.HttpServer;
import dev.speck.http.HttpsPolicy;
import dev.speck.collect.HitEndpoints;
import dev.speck.collect.HitRecorder;
import dev.speck.collect.LinkSigner;
import dev.speck.collect.PixelActivity;
import dev.speck.config.SpeckConfig;
import dev.speck.customers.Erasure;
import dev.speck.customers.IdentitySigner;
import dev.speck.customers.JournalBarrier;
import dev.speck.customers.LandingTokens;
import dev.speck.customers.Recognition;
import dev.speck.journal.JournalPosition;
import dev.speck.store.duckdb.DuckDbCustomerData;
import dev.speck.store.duckdb.DuckDbCustomerRepository;
import dev.speck.web.CustomerRoutes;
import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.geo.GeoFolder;
import dev.speck.geo.GeoWatcher;
import dev.speck.goals.GoalRegistry;
import dev.speck.journal.MappedJournal;
import dev.speck.memory.HeapTrimmer;
import dev.speck.memory.IdleHeapTrim;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.AccountSettingsRegistry;
import dev.speck.store.BurstDeferral;
import dev.speck.store.EventLoader;
import dev.speck.store.duckdb.DuckDbAccessRepository;
import dev.speck.store.duckdb.DuckDbAccountSettingsRepository;
import dev.speck.store.duckdb.DuckDbAuditTrail;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbEventStore;
import dev.speck.store.duckdb.DuckDbGoalReports;
import dev.speck.store.duckdb.DuckDbGoalRepository;
import dev.speck.store.duckdb.DuckDbPixelRepository;
import dev.speck.store.duckdb.DuckDbReports;
import dev.speck.store.duckdb.PeriodicJob;
import dev.speck.store.duckdb.RetentionJob;
import dev.speck.store.duckdb.VisitorRollup;
import dev.speck.tls.ServerTls;
import dev.speck.web.ConsoleApi;
import dev.speck.web.LiveFeed;
import dev.speck.web.Routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The one place where Speck's parts are built and wired: store, journal, enrichment, loader,
 * collector. A hit flows collect → journal → (loader) enrich → store; see docs/ARCHITECTURE.md.
 */
public final class SpeckApp implements AutoCloseable {

    static {
        // YAUAA logs through the Log4j API; without a provider it complains at start. Its simple
        // logger to stderr, at WARN, is all Speck needs.
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.setProperty("org.apache.logging.log4j.simplelog.level", "WARN");
    }

    private final SpeckConfig config;
    private final SpeckMetrics metrics = new SpeckMetrics();
    private DuckDbDatabase database;
    private DuckDbEventStore store;
    private MappedJournal journal;
    private Enricher enricher;
    private EventLoader loader;
    private GeoWatcher geoWatcher;
    private HttpServer server;
    private ServerTls tls;
    private ExecutorService webWorkers;
    private PixelRegistry pixels;
    private GoalRegistry goals;
    private VisitorRollup rollup;
    private AuditLog audit;
    private AccessControl access;
    private Recognition recognition;
    private AccountSettingsRegistry accountSettings;
    private RetentionJob retention;
    private PeriodicJob heapTrim;
    private int port;

    private SpeckApp(SpeckConfig config) {
        this.config = config;
    }

    /** Opens the store, replays the journal in the background and starts answering hits. */
    public static SpeckApp start(SpeckConfig config) throws IOException, InterruptedException {
        SpeckApp app = new SpeckApp(config);
        try {
            app.open();
        } catch (IOException | InterruptedException | RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    private void open() throws IOException, InterruptedException {
        if (config.http().tls().enabled()) {
            tls = ServerTls.start(config.http().tls()); // first: a bad certificate stops the start before anything opens
        }
        Path data = config.dataDir();
        Files.createDirectories(data);
        database = DuckDbDatabase.open(data, config.store().memoryLimit(), config.store().threads(),
                config.store().checkpointThreshold());
        store = new DuckDbEventStore(database);
        ClientAddresses addresses = new ClientAddresses(config.collect().trustedProxies());
        audit = new DuckDbAuditTrail(database);
        access = AccessControl.open(new DuckDbAccessRepository(database), config.access(), audit, addresses, metrics,
                System.out);
        pixels = new PixelRegistry(new DuckDbPixelRepository(database));
        goals = new GoalRegistry(new DuckDbGoalRepository(database));
        accountSettings = new AccountSettingsRegistry(new DuckDbAccountSettingsRepository(database));
        LiveFeed live = new LiveFeed();
        journal = MappedJournal.open(data.resolve("journal"), config.http().eventLoops(),
                config.journal().segmentBytes(), config.journal().maxBytes(), config.journal().syncInterval(),
                store.checkpoints());
        enricher = Enricher.create(new EnricherSettings(config.enrich().geoDatabase(), data.resolve("salts"),
                config.enrich().userAgentCacheSize(), config.enrich().geoCacheSize(), 10_000),
                secret(data.resolve("secrets").resolve("first-party-id.key")), () -> accountSettings.get().keepRawIp());
        if (config.enrich().geoDatabase() == null) {
            // A configured database is the operator's choice; otherwise serve what `speck geo update` installs.
            geoWatcher = new GeoWatcher(GeoFolder.in(data), enricher).start(config.enrich().geoWatchInterval());
        }
        IdentitySigner identitySigner = new IdentitySigner(java.util.HexFormat.of()
                .formatHex(secret(data.resolve("secrets").resolve("identity.key"))));
        DuckDbCustomerRepository customers = new DuckDbCustomerRepository(database);
        recognition = new Recognition(identitySigner, customers, config.customers().unsignedIdentify());
        // Landing-URL identities leave the URL before enrichment; recognition runs before each batch is stored.
        loader = new EventLoader(journal, hit -> enricher.enrich(LandingTokens.strip(hit)), store, metrics,
                config.store().batchSize(), config.store().pollInterval(), enricher::warmUp,
                events -> {
                    recognition.recognise(events);
                    return goals.achievements(events);
                }, live,
                new BurstDeferral(config.store().burstDeferral(), config.journal().maxBytes() / 4));
        registerGauges();
        loader.start();
        rollup = new VisitorRollup(database, 60_000, store::storedEvents);
        rollup.start();
        retention = new RetentionJob(database, pixels::pixels, accountSettings, metrics, 3_600_000);
        retention.start();
        startHeapTrim();
        webWorkers = new ThreadPoolExecutor(config.http().webWorkers(), config.http().webWorkers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "speck-web");
                    t.setDaemon(true);
                    return t;
                });
        LinkSigner signer = new LinkSigner(secret(data.resolve("secrets").resolve("link-signing.key")));
        SpeckConfig.Collect c = config.collect();
        PixelActivity activity = new PixelActivity();
        HitRecorder recorder = new HitRecorder(journal, metrics, activity);
        DuckDbCustomerData customerData = new DuckDbCustomerData(database, customers);
        Erasure erasure = new Erasure(customerData, journalBarrier(), audit, config.customers().eraseWait(),
                this::checkpointStore);
        CustomerRoutes customerRoutes = new CustomerRoutes(customers, customerData, erasure, identitySigner, pixels,
                config.customers().importMaxRows(), config.customers().exportMaxEvents(),
                config.customers().landingTokenDays());
        ConsoleApi console = new ConsoleApi(goals, new DuckDbGoalReports(database), activity, recorder, live);
        HttpsPolicy https = new HttpsPolicy(tls != null, addresses, config.http().tls().hsts());
        HitEndpoints hits = new HitEndpoints(new CollectSettings(c.trustedProxies(), c.countryHeader(),
                c.backfillToken(), c.maxBatchEvents(), c.maxProps()), pixels, recorder, signer, addresses,
                accountSettings);
        server = new HttpServer(config.http().eventLoops(), https, hits,
                access.guard(new Routes(access, pixels, new DuckDbReports(database), signer::sign, metrics, this::health,
                        console, enricher::geoAttribution, customerRoutes, accountSettings, audit).all(), pixels),
                webWorkers, tls, config.customers().importMaxBytes());
        port = server.start(config.http().host(), config.http().port());
        warnIfPlainHttpInPublic();
    }

    /**
     * Gives the memory grown under a load burst back once no hit has come and none was stored for memory.idle-trim-after:
     * at most one full GC per quiet spell and every 2 minutes, only when the heap grew by 32 MB since
     * the last one (see IdleHeapTrim; docs/PERFORMANCE.md has the figures).
     */
    private void startHeapTrim() {
        java.time.Duration idleAfter = config.memory().idleTrimAfter();
        if (idleAfter == null) {
            return;
        }
        // Idle means no hit taken, none stored and no rollup run since: a trim while the loader still
        // worked off a burst found DuckDB's checkpoint refused (a write transaction open), and the
        // loader's own checkpoint seconds later read 47 MB of table blocks back in, which then
        // stayed; the rollup's first run after a burst read ~9 MB back in after the trim.
        HeapTrimmer trimmer = new HeapTrimmer(new IdleHeapTrim(idleAfter, java.time.Duration.ofMinutes(2), 32L << 20),
                () -> journal.appendedHits() + store.storedEvents() + rollup.periodicRuns(), this::shedOutsideTheHeap);
        metrics.gauge("speck_heap_trims", "Full GCs run since start to give the heap back after traffic",
                trimmer::trims);
        heapTrim = new PeriodicJob("speck-heap-trim", Math.min(5_000, idleAfter.toMillis()), true,
                "heap trim failed", trimmer);
        heapTrim.start();
    }

    /**
     * What an idle trim also lets go of, just before its collection: the journal's and the geo
     * database's pages touched during the burst (resident while mapped) and DuckDB's cached blocks.
     */
    private void shedOutsideTheHeap() {
        journal.shed();
        enricher.shed();
        database.releaseCache();
    }

    /** Pixels on plain HTTP beyond this machine leak the pages they are on, and browsers block them on HTTPS sites. */
    private void warnIfPlainHttpInPublic() {
        if (tls != null || !config.collect().trustedProxies().isEmpty() || loopback(config.http().host())) {
            return;
        }
        Logger.getLogger(SpeckApp.class.getName()).warning("listening on " + config.http().host() + ":" + port
                + " with plain HTTP and no trusted proxy: pixels and the console travel unencrypted. Set "
                + "http.tls-certificate and http.tls-key, or put Speck behind an HTTPS proxy listed in "
                + "collect.trusted-proxies (see docs/OPERATIONS.md)");
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private JournalBarrier journalBarrier() {
        return new JournalBarrier() {
            @Override
            public java.util.List<JournalPosition> appendedEnd() {
                return journal.appendedEnd();
            }

            @Override
            public boolean storedThrough(java.util.List<JournalPosition> ends) {
                store.persistSoon(); // loaded rows are in memory until moved into the file
                return journal.storedThrough(ends);
            }

            @Override
            public void scrubStored() {
                journal.scrubStored();
            }
        };
    }

    /** After an erasure: DuckDB folds its write-ahead log into the file, so the log keeps no copy of erased rows. */
    private void checkpointStore() {
        try (DuckDbDatabase.Lease writing = database.writing();
             java.sql.Connection c = database.connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            // a checkpoint runs at close anyway; the rows are deleted either way
        }
    }

    private void registerGauges() {
        if (tls != null) {
            metrics.gauge("speck_tls_certificate_expiry_seconds", "Seconds until the certificate being served expires",
                    () -> (tls.notAfter().toEpochMilli() - System.currentTimeMillis()) / 1000.0);
        }
        metrics.gauge("speck_store_memory_bytes", "Bytes DuckDB's buffer manager holds (blocks, transaction data)",
                () -> database.memoryInUse());
        metrics.gauges("speck_store_memory_tag_bytes", "Bytes DuckDB's buffer manager holds, by what for (duckdb_memory() tags)",
                "tag", database::memoryByTag);
        metrics.gauge("speck_customer_import_uploads", "Customer import bodies being uploaded now (at most 2 at once)",
                () -> server == null ? 0 : server.importUploadsInProgress());
        metrics.gauge("speck_journal_backlog_bytes", "Journal bytes written but not yet stored (the loader's lag)",
                () -> journal.backlogBytes());
        metrics.gauge("speck_store_events_in_memory", "Events stored and visible but not yet moved into the database "
                + "file (the journal keeps them until then)", () -> store.eventsInMemory());
        metrics.gauge("speck_loader_deferring", "1 while the loader stands back for a burst it could not keep up with",
                () -> loader.deferring() ? 1 : 0);
        metrics.gauge("speck_loader_rate", "Hits per second the loader stored in its last full batches",
                () -> loader.measuredRate());
        metrics.gauge("speck_store_last_write_age_seconds", "Seconds since the loader last stored a batch",
                () -> (System.currentTimeMillis() - loader.lastStoredAt()) / 1000.0);
        metrics.gauge("speck_user_agent_cache_hit_ratio", "Share of user agents answered from the cache",
                () -> enricher.stats().userAgentCacheHitRate());
        metrics.gauge("speck_customers_recognised", "Identity claims that named a customer since start",
                () -> recognition.recognised());
        metrics.gauge("speck_customers_refused_claims", "Identity claims refused for a missing, wrong or expired signature",
                () -> recognition.refused());
        metrics.gauge("speck_geo_lookups", "Geo database lookups since start", () -> enricher.stats().geoLookups());
        metrics.gauge("speck_geo_misses", "Geo lookups the database had no answer for", () -> enricher.stats().geoMisses());
        metrics.gauge("speck_geo_miss_ratio", "Share of geo lookups the database had no answer for",
                () -> enricher.stats().geoMissRatio());
        metrics.gauge("speck_geo_database_age_seconds", "Seconds since the geo database in use was built (NaN: none)",
                () -> {
                    java.time.Instant built = enricher.stats().geoDatabaseBuiltAt();
                    return built == null ? Double.NaN : (System.currentTimeMillis() - built.toEpochMilli()) / 1000.0;
                });
    }

    private Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        long backlog = journal.backlogBytes();
        long sinceStore = System.currentTimeMillis() - loader.lastStoredAt();
        boolean loaderStuck = backlog > 0 && sinceStore > 60_000;
        String journalProblem = journal.allocationError();
        h.put("status", loaderStuck || journalProblem != null ? "degraded" : "ok");
        h.put("transport", server.transport());
        h.put("journalBacklogBytes", backlog);
        h.put("storedEvents", store.storedEvents());
        h.put("secondsSinceLastStore", sinceStore / 1000);
        if (journalProblem != null) {
            h.put("journal", journalProblem);
        }
        return h;
    }

    /** A random key kept in the data folder, made on first start; readable by the owner only. */
    static byte[] secret(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readAllBytes(file);
            }
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, key);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }

    public int port() {
        return port;
    }

    /** https when Speck serves TLS itself, else http (a proxy in front may still make it HTTPS to visitors). */
    public String scheme() {
        return tls != null ? "https" : "http";
    }

    public PixelRegistry pixels() {
        return pixels;
    }

    /** Sums up past days' visitors for the goals report; runs every minute on its own. */
    public VisitorRollup rollup() {
        return rollup;
    }

    /** The account-wide settings in force (pixels on/off, raw IPs). */
    public AccountSettingsRegistry accountSettings() {
        return accountSettings;
    }

    /** Deletes what pixels' retention no longer allows; hourly on its own, or on demand. */
    public RetentionJob retention() {
        return retention;
    }

    public GoalRegistry goals() {
        return goals;
    }

    public SpeckMetrics metrics() {
        return metrics;
    }

    /** Where admin actions are recorded (AuditTrail for routes that record, AuditLog to read). */
    public AuditLog audit() {
        return audit;
    }

    /** Users and API keys (tests and the demo make them directly). */
    public AccessControl access() {
        return access;
    }

    public DuckDbDatabase database() {
        return database;
    }

    /** Stops taking hits, stores what the journal holds, and closes everything in order. */
    @Override
    public void close() {
        if (geoWatcher != null) {
            geoWatcher.close();
        }
        if (server != null) {
            server.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (webWorkers != null) {
            webWorkers.shutdown();
        }
        if (loader != null) {
            loader.close();
            loader.drain();
        }
        if (rollup != null) {
            rollup.close();
        }
        if (retention != null) {
            retention.close();
        }
        if (heapTrim != null) {
            heapTrim.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (store != null) {
            store.close();
        }
        if (database != null) {
            database.close();
        }
        // A closed app may stay reachable (a test's static field): let the user-agent analyzer
        // (~100 MB, held by the enricher and everything that calls it) be collected.
        enricher = null;
        loader = null;
        geoWatcher = null;
        server = null;
    }
}
