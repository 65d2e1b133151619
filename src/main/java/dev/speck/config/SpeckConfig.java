package dev.speck.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Speck's configuration, one typed tree, validated when loaded (see docs/CONFIGURATION.md). */
public record SpeckConfig(Path dataDir, Http http, Collect collect, Journal journal, Store store, Enrich enrich,
                          Access access, Customers customers, Memory memory, Deliver deliver,
                          Segments segments) {

    public record Http(String host, int port, int eventLoops, int webWorkers, Tls tls) {
    }

    /**
     * HTTPS served by Speck itself.
     *
     * @param certificate    PEM certificate chain (leaf first), or null: plain HTTP
     * @param key            PEM PKCS#8 private key (RSA or EC) of that certificate, or null
     * @param reloadInterval how often the files are checked for a renewed certificate
     * @param hsts           the Strict-Transport-Security value sent over HTTPS, or null: none
     */
    public record Tls(Path certificate, Path key, Duration reloadInterval, String hsts) {

        public boolean enabled() {
            return certificate != null;
        }
    }

    /**
     * @param clientAddressHeader the forwarding header trusted proxies write: {@code X-Forwarded-For} or
     *                            {@code Forwarded} (RFC 7239); only that one is read
     */
    public record Collect(List<String> trustedProxies, String countryHeader, String backfillToken,
                          int maxBatchEvents, int maxProps, String clientAddressHeader) {
    }

    public record Journal(int segmentBytes, long maxBytes, Duration syncInterval) {
    }

    /**
     * @param checkpointThreshold the write-ahead log size at which DuckDB checkpoints even under load, bytes
     * @param burstDeferral       how long the loader may stand back while hits arrive faster than it stores them
     *                            (zero: never)
     */
    public record Store(String memoryLimit, int threads, int batchSize, Duration pollInterval, long checkpointThreshold,
                        Duration burstDeferral) {
    }

    /**
     * @param geoAutoInstall   whether serve and demo install DB-IP City Lite on first start when there is no database
     * @param geoSource        where {@code speck geo update} gets the database first (a file, folder or URL), or null
     * @param geoWatchInterval how often a running Speck looks for a database that {@code speck geo update} installed
     */
    public record Enrich(Path geoDatabase, int userAgentCacheSize, int geoCacheSize,
                         String geoSource, Duration geoWatchInterval, boolean geoAutoInstall) {
    }

    /**
     * @param adminPassword     the first admin's password on first start, or null to generate one (printed once)
     * @param sessionIdle       a session unused this long ends
     * @param sessionLifetime   a session ends this long after sign-in, used or not
     * @param signInLimit       failed sign-ins per account within the window before it is locked (an address gets 4×)
     * @param signInWindow      how far back failed sign-ins count
     */
    public record Access(String adminPassword, Duration sessionIdle, Duration sessionLifetime, int signInLimit,
                         Duration signInWindow) {

        @Override
        public String toString() { // never print the password with the configuration
            return "Access[sessionIdle=" + sessionIdle + ", sessionLifetime=" + sessionLifetime
                    + ", signInLimit=" + signInLimit + ", signInWindow=" + signInWindow + "]";
        }
    }

    /**
     * @param unsignedIdentify whether speck('identify', id) without a signature is believed (off: see docs/CUSTOMERS.md)
     * @param landingTokenDays how long a signed landing-URL identity stays valid by default
     * @param importMaxRows    rows a customer CSV import may hold
     * @param importMaxBytes   the largest customer CSV import body, in bytes (every other request keeps 64 KiB)
     * @param exportMaxEvents  events an export returns at most
     * @param eraseWait        how long an erasure waits for the loader to store the journal's backlog
     */
    public record Customers(boolean unsignedIdentify, int landingTokenDays, int importMaxRows, int importMaxBytes,
                            int exportMaxEvents, Duration eraseWait) {
    }

    /** @param idleTrimAfter quiet time (no hit) after which the heap grown under load is given back, or null: never */
    public record Memory(Duration idleTrimAfter) {
    }

    /**
     * Webhook deliveries (docs/DELIVERY.md).
     *
     * @param timeout      how long one attempt may take, answer and body excerpt included
     * @param retryBase    the wait after a first failed attempt; each later wait doubles (capped at an hour), ±20 %
     * @param retryHorizon how long after it was enqueued a delivery is retried before it becomes a dead letter
     * @param rateLimit    attempts per second at most, over all targets
     * @param concurrency  attempts in flight at once
     * @param allowPrivate hosts and address ranges (CIDR) an admin allows though they are private or loopback
     * @param logRetention how long finished deliveries (delivered, dead letters) and their attempts are kept
     *                     after they ended, and trigger firing records after they fired (longer for a
     *                     trigger whose once-per period is longer)
     */
    public record Deliver(Duration timeout, Duration retryBase, Duration retryHorizon, int rateLimit, int concurrency,
                          List<String> allowPrivate, Duration logRetention) {

        public static final Duration DEFAULT_LOG_RETENTION = Duration.ofDays(30);

        public Deliver(Duration timeout, Duration retryBase, Duration retryHorizon, int rateLimit, int concurrency,
                       List<String> allowPrivate) {
            this(timeout, retryBase, retryHorizon, rateLimit, concurrency, allowPrivate, DEFAULT_LOG_RETENTION);
        }
    }

    /**
     * Segments (docs/SEGMENTS.md).
     *
     * @param interval how often rule segments are judged again for the people whose hits were stored
     *                 meanwhile (and whose hits left a window): how soon an entry or exit is seen
     */
    public record Segments(Duration interval) {
    }
}
