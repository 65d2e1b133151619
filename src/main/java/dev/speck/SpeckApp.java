package dev.speck;

import dev.speck.ops.OperatorRequests;
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
import dev.speck.config.Secrets;
import dev.speck.config.SpeckConfig;
import dev.speck.customers.Erasure;
import dev.speck.customers.IdentitySigner;
import dev.speck.customers.Recognition;
import dev.speck.deliver.Deliverer;
import dev.speck.web.CustomerRoutes;
import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.geo.GeoFolder;
import dev.speck.geo.GeoWatcher;
import dev.speck.goals.GoalRegistry;
import dev.speck.journal.MappedJournal;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.AccountSettingsRegistry;
import dev.speck.pipeline.BurstDeferral;
import dev.speck.pipeline.ErasureBarrier;
import dev.speck.pipeline.EventLoader;
import dev.speck.pipeline.Health;
import dev.speck.pipeline.Pipeline;
import dev.speck.store.duckdb.ActionLogRetention;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbEngine;
import dev.speck.store.duckdb.DuckDbEventStore;
import dev.speck.store.duckdb.PeriodicJob;
import dev.speck.store.duckdb.RetentionJob;
import dev.speck.store.duckdb.DuckDbTrafficRules;
import dev.speck.store.duckdb.DuckDbTriggers;
import dev.speck.store.duckdb.DuckDbTriggerHistory;
import dev.speck.store.duckdb.DuckDbCustomerLookup;
import dev.speck.segments.SegmentJob;
import dev.speck.store.duckdb.DuckDbSegments;
import dev.speck.triggers.PatternJob;
import dev.speck.triggers.TriggerEngine;
import dev.speck.store.duckdb.TrafficHistory;
import dev.speck.store.duckdb.VisitorRollup;
import dev.speck.web.TrafficRuleRoutes;
import dev.speck.web.SegmentRoutes;
import dev.speck.web.TriggerRoutes;
import dev.speck.tls.PlainHttpWarning;
import dev.speck.tls.ServerTls;
import dev.speck.web.ConsoleApi;
import dev.speck.web.DeliveryRoutes;
import dev.speck.web.LiveFeed;
import dev.speck.web.Routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one place where Speck's parts are built, wired and closed: store, journal, enrichment, pipeline,
 * collector. A hit flows collect → journal → pipeline (strip landing tokens, enrich, recognise
 * customers, goals) → store; see docs/ARCHITECTURE.md.
 */
public final class SpeckApp implements AutoCloseable {

    static {
        // YAUAA logs through the Log4j API; without a provider it complains at start. Its simple
        // logger to stderr, at WARN, is all Speck needs.
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.setProperty("org.apache.logging.log4j.simplelog.level", "WARN");
        // Netty would pick SLF4J, on the classpath for timeshape (geo update only) without a binding:
        // its warnings would vanish. The Log4j API it used before, as YAUAA does.
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.netty.util.internal.logging.Log4J2LoggerFactory.INSTANCE);
        allowHostHeader();
    }

    /** Webhooks send the name in Host to the address they checked (docs/DELIVERY.md): read once, at first use. */
    static void allowHostHeader() {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private final SpeckConfig config;
    private final SpeckMetrics metrics = new SpeckMetrics();
    private DuckDbEngine engine;
    private MappedJournal journal;
    private Enricher enricher;
    private EventLoader loader;
    private DuckDbTriggers triggerStore;
    private TriggerEngine triggers;
    private PatternJob patternJob;
    private SegmentJob segmentJob;
    private long storedBeforeStop;
    private GeoWatcher geoWatcher;
    private HttpServer server;
    private ServerTls tls;
    private ExecutorService webWorkers;
    private PixelRegistry pixels;
    private GoalRegistry goals;
    private VisitorRollup rollup;
    private TrafficHistory trafficHistory;
    private AccessControl access;
    private AccountSettingsRegistry accountSettings;
    private RetentionJob retention;
    private ActionLogRetention actionLogRetention;
    private PeriodicJob heapTrim;
    private PeriodicJob operatorRequests;
    private Deliverer deliverer;
    private int port;

    /** The server's clock: hits' times and the jobs' days (the system's; tests make it jump). */
    private final java.time.Clock clock;

    private SpeckApp(SpeckConfig config, java.time.Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Opens the store, replays the journal in the background and starts answering hits. */
    public static SpeckApp start(SpeckConfig config) throws IOException, InterruptedException {
        return start(config, java.time.Clock.systemUTC());
    }

    /** As {@link #start(SpeckConfig)}, on the given clock. */
    public static SpeckApp start(SpeckConfig config, java.time.Clock clock) throws IOException, InterruptedException {
        SpeckApp app = new SpeckApp(config, clock);
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
        engine = DuckDbEngine.open(data, config.store().memoryLimit(), config.store().threads(),
                config.store().checkpointThreshold());
        DuckDbDatabase database = engine.database();
        DuckDbEventStore store = engine.events();
        ClientAddresses addresses = new ClientAddresses(config.collect().trustedProxies(),
                ClientAddresses.Header.named(config.collect().clientAddressHeader()));
        access = AccessControl.open(engine.access(), config.access(), engine.audit(), addresses, metrics);
        pixels = new PixelRegistry(engine.pixels());
        goals = new GoalRegistry(engine.goals());
        accountSettings = new AccountSettingsRegistry(engine.accountSettings());
        LiveFeed live = new LiveFeed();
        Secrets secrets = new Secrets(data);
        journal = MappedJournal.open(data.resolve("journal"), config.http().eventLoops(),
                config.journal().segmentBytes(), config.journal().maxBytes(), config.journal().syncInterval(),
                store.checkpoints());
        enricher = Enricher.create(new EnricherSettings(config.enrich().geoDatabase(), data.resolve("salts"),
                config.enrich().userAgentCacheSize(), config.enrich().geoCacheSize(), 10_000),
                secrets.firstPartyIdKey(), () -> accountSettings.get().keepRawIp());
        DuckDbTrafficRules trafficRules = new DuckDbTrafficRules(database);
        enricher.useTrafficRules(trafficRules.list()); // before the loader replays the journal
        if (config.enrich().geoDatabase() == null) {
            // A configured database is the operator's choice; otherwise serve what `speck geo update` installs.
            geoWatcher = new GeoWatcher(GeoFolder.in(data), enricher).start(config.enrich().geoWatchInterval());
        }
        IdentitySigner identitySigner = new IdentitySigner(HexFormat.of().formatHex(secrets.identityKey()));
        Recognition recognition = new Recognition(identitySigner, engine.customers(),
                config.customers().unsignedIdentify());
        triggerStore = new DuckDbTriggers(database);
        deliverer = new Deliverer(engine.outbox(), config.deliver()); // started last: nothing goes out unless Speck starts
        triggers = new TriggerEngine(triggerStore, new DuckDbCustomerLookup(database),
                new TriggerDeliveries(engine.outbox(), deliverer::wake));
        loader = new EventLoader(journal, Pipeline.of(enricher, recognition, goals, triggers), store, metrics,
                config.store().batchSize(), config.store().pollInterval(), live,
                new BurstDeferral(config.store().burstDeferral(), config.journal().maxBytes() / 4));
        DuckDbTriggerHistory triggerHistory = new DuckDbTriggerHistory(database);
        patternJob = new PatternJob(triggers, triggerHistory).start(Duration.ofSeconds(15));
        DuckDbSegments segmentStore = new DuckDbSegments(database);
        segmentJob = new SegmentJob(segmentStore, new SegmentTriggers(triggers), clock).start(config.segments().interval());
        Gauges.register(metrics, tls, database, () -> server, journal, store, () -> loader, () -> enricher, recognition);
        loader.start();
        rollup = new VisitorRollup(database, 60_000, store::storedEvents, clock);
        rollup.start();
        trafficHistory = new TrafficHistory(database, rollup);
        retention = new RetentionJob(database, pixels::pixels, accountSettings, metrics, 3_600_000, clock);
        retention.start();
        actionLogRetention = new ActionLogRetention(triggerStore, engine.outbox(), config.deliver().logRetention(),
                3_600_000, clock).start();
        heapTrim = IdleHeapTrimJob.start(config.memory().idleTrimAfter(), metrics, journal, store, rollup, enricher,
                database);
        webWorkers = new ThreadPoolExecutor(config.http().webWorkers(), config.http().webWorkers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), Thread.ofPlatform().name("speck-web").daemon().factory());
        LinkSigner signer = new LinkSigner(secrets.linkSigningKey());
        SpeckConfig.Collect c = config.collect();
        PixelActivity activity = new PixelActivity();
        HitRecorder recorder = new HitRecorder(journal, metrics, activity);
        // After an erasure DuckDB folds its write-ahead log into the file, so the log keeps no copy of erased rows.
        Erasure erasure = new Erasure(engine.customerData(), new ErasureBarrier(journal, store), engine.audit(),
                config.customers().eraseWait(), database::checkpoint);
        CustomerRoutes customerRoutes = new CustomerRoutes(engine.customers(), engine.customerData(), erasure,
                identitySigner, pixels,
                config.customers().importMaxRows(), config.customers().exportMaxEvents(),
                config.customers().landingTokenDays());
        ConsoleApi console = new ConsoleApi(goals, engine.goalReports(), activity, recorder, live);
        Health health = new Health(journal, loader, store, () -> server.transport());
        HttpsPolicy https = new HttpsPolicy(tls != null, addresses, config.http().tls().hsts());
        HitEndpoints hits = new HitEndpoints(new CollectSettings(c.trustedProxies(), c.countryHeader(),
                c.backfillToken(), c.maxBatchEvents(), c.maxProps()), pixels, recorder, signer, addresses,
                accountSettings, goals::takesRefunds, clock);
        server = new HttpServer(config.http().eventLoops(), https, hits,
                access.guard(new Routes(access, pixels, engine.reports(), signer::sign, metrics, health::report,
                        console, enricher::geoAttribution, customerRoutes, accountSettings, engine.audit(),
                        new TrafficRuleRoutes(trafficRules, this::useTrafficRules, trafficHistory::ruleAdded,
                                trafficHistory::ruleRemoved, engine.audit()),
                        new TriggerRoutes(triggerStore, triggers, goals, engine.audit(), triggerHistory),
                        new DeliveryRoutes(engine.outbox(), deliverer::wake, engine.audit()),
                        new SegmentRoutes(segmentStore, segmentJob, goals, engine.customers(), engine.audit())).all(),
                        pixels),
                webWorkers, tls, config.customers().importMaxBytes());
        port = server.start(config.http().host(), config.http().port());
        access.createFirstAdmin(config.access().adminPassword(), System.out);
        operatorRequests = OperatorRequests.start(data, access.users(), engine.audit(), journal, database);
        deliverer.start();
        PlainHttpWarning.warnIfPublic(tls != null, !config.collect().trustedProxies().isEmpty(), config.http().host(),
                port);
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

    private void useTrafficRules(java.util.List<dev.speck.enrich.TrafficRule> rules) {
        Enricher e = enricher;
        if (e != null) {
            e.useTrafficRules(rules);
        }
    }

    /** Carries an admin's traffic rules into stored history, in the background. */
    public TrafficHistory trafficHistory() {
        return trafficHistory;
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
        return engine.audit();
    }

    /** Users and API keys (tests and the demo make them directly). */
    public AccessControl access() {
        return access;
    }

    /** Webhook deliveries: what triggers enqueue into (the deliverer sends them). */
    public dev.speck.deliver.Outbox outbox() {
        return engine.outbox();
    }

    public DuckDbDatabase database() {
        return engine.database();
    }

    /** Stops taking hits, stores what the journal holds, and closes everything in order. */
    @Override
    public void close() {
        closeOpened(operatorRequests, patternJob, segmentJob, geoWatcher, server, tls);
        if (webWorkers != null) {
            webWorkers.shutdown();
        }
        if (loader != null) {
            loader.close();
            loader.drain();
            storedBeforeStop = loader.storedSinceStart();
        }
        closeOpened(deliverer, trafficHistory, rollup, retention, actionLogRetention, heapTrim, journal);
        if (engine != null) {
            closeOpened(engine.events(), engine.database());
        }
        // A closed app may stay reachable (a test's static field): let the user-agent analyzer
        // (~100 MB, held by the enricher and everything that calls it) be collected.
        enricher = null;
        loader = null;
        heapTrim = null;
        geoWatcher = null;
        deliverer = null;
        server = null;
    }

    /** Events the loader stored since start, counted up to the end of {@link #close()}'s drain. */
    public long storedSinceStart() {
        EventLoader l = loader;
        return l != null ? l.storedSinceStart() : storedBeforeStop;
    }

    /** Closes each part in turn; null for one the start did not get to. */
    private static void closeOpened(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + part, e); // none of Speck's parts throws one
            }
        }
    }
}
