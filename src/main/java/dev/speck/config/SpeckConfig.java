package dev.speck.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Speck's configuration, one typed tree, validated when loaded (see docs/CONFIGURATION.md). */
public record SpeckConfig(Path dataDir, Http http, Collect collect, Journal journal, Store store, Enrich enrich) {

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

    public record Collect(List<String> trustedProxies, String countryHeader, String backfillToken,
                          int maxBatchEvents, int maxProps) {
    }

    public record Journal(int segmentBytes, long maxBytes, Duration syncInterval) {
    }

    public record Store(String memoryLimit, int threads, int batchSize, Duration pollInterval) {
    }

    /**
     * @param geoAutoInstall   whether serve and demo install DB-IP City Lite on first start when there is no database
     * @param geoSource        where {@code speck geo update} gets the database first (a file, folder or URL), or null
     * @param geoWatchInterval how often a running Speck looks for a database that {@code speck geo update} installed
     */
    public record Enrich(Path geoDatabase, int userAgentCacheSize, int geoCacheSize,
                         String geoSource, Duration geoWatchInterval, boolean geoAutoInstall) {
    }
}
