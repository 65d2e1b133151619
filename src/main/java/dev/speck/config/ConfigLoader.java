package dev.speck.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the configuration from, in rising precedence: the defaults, a properties file,
 * environment variables (SPECK_HTTP_PORT for http.port) and command-line settings.
 */
public final class ConfigLoader {

    /** Every key with its default; an unknown key in a file or flag is an error, not ignored. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("data-dir", "speck-data");
        d.put("http.host", "0.0.0.0");
        d.put("http.port", "8080");
        d.put("http.event-loops", Integer.toString(Runtime.getRuntime().availableProcessors()));
        d.put("http.web-workers", "2");
        d.put("http.tls-certificate", "");
        d.put("http.tls-key", "");
        d.put("http.tls-reload-interval", "1m");
        d.put("http.hsts", "max-age=31536000");
        d.put("collect.trusted-proxies", "");
        d.put("collect.country-header", "");
        d.put("collect.client-address-header", "X-Forwarded-For");
        d.put("collect.backfill-token", "");
        d.put("collect.max-batch-events", "50");
        d.put("collect.max-props", "30");
        d.put("journal.segment-size", "32MB");
        d.put("journal.max-size", "2GB");
        d.put("journal.sync-interval", "1s");
        d.put("store.memory-limit", "256MB");
        d.put("store.threads", "2");
        d.put("store.batch-size", "10000");
        d.put("store.poll-interval", "200ms");
        d.put("store.checkpoint-threshold", "128MB");
        d.put("store.burst-deferral", "30s");
        d.put("enrich.geo-database", "");
        d.put("enrich.user-agent-cache-size", "20000");
        d.put("enrich.geo-cache-size", "50000");
        d.put("enrich.geo-source", "");
        d.put("enrich.geo-watch-interval", "5s");
        d.put("enrich.geo-auto-install", "true");
        d.put("access.admin-password", "");
        d.put("access.session-idle-timeout", "60m");
        d.put("access.session-lifetime", "720m");
        d.put("access.sign-in-limit", "5");
        d.put("access.sign-in-window", "15m");
        d.put("customers.unsigned-identify", "false");
        d.put("customers.landing-token-days", "30");
        d.put("customers.import-max-rows", "100000");
        d.put("customers.import-max-bytes", "8MB");
        d.put("customers.export-max-events", "100000");
        d.put("customers.erase-wait", "60s");
        d.put("memory.idle-trim-after", "30s");
        d.put("deliver.timeout", "10s");
        d.put("deliver.retry-base", "30s");
        d.put("deliver.retry-horizon", "24h");
        d.put("deliver.rate-limit", "20");
        d.put("deliver.concurrency", "4");
        d.put("deliver.allow-private", "");
        d.put("segments.interval", "5s");
        d.put("deliver.log-retention", "720h");
        return Map.copyOf(d);
    }

    public ConfigLoader file(Path file) {
        if (file == null) {
            return this;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigError("--config", file.toString(), "a readable properties file (" + e.getMessage() + ")");
        }
        p.stringPropertyNames().forEach(k -> set(k, p.getProperty(k).trim()));
        return this;
    }

    /** SPECK_HTTP_PORT → http.port, SPECK_JOURNAL_MAX_SIZE → journal.max-size, SPECK_DATA_DIR → data-dir. */
    public ConfigLoader environment(Map<String, String> env) {
        for (String key : DEFAULTS.keySet()) {
            String name = "SPECK_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            String v = env.get(name);
            if (v != null) {
                values.put(key, v.trim());
            }
        }
        String adminPassword = env.get("SPECK_ADMIN_PASSWORD"); // the short name the quick start uses
        if (adminPassword != null && env.get("SPECK_ACCESS_ADMIN_PASSWORD") == null) {
            values.put("access.admin-password", adminPassword);
        }
        return this;
    }

    public ConfigLoader set(String key, String value) {
        if (!DEFAULTS.containsKey(key)) {
            throw new ConfigError(key, value, SettingNames.unknown(key, DEFAULTS.keySet()));
        }
        values.put(key, value);
        return this;
    }

    public SpeckConfig load() {
        return new SpeckConfig(
                Path.of(string("data-dir")),
                new SpeckConfig.Http(string("http.host"), integer("http.port", 0, 65535),
                        integer("http.event-loops", 1, 64), integer("http.web-workers", 1, 64), tls()),
                new SpeckConfig.Collect(list("collect.trusted-proxies"), optional("collect.country-header"),
                        optional("collect.backfill-token"), integer("collect.max-batch-events", 1, 1000),
                        integer("collect.max-props", 0, 200), clientAddressHeader()),
                new SpeckConfig.Journal((int) bytes("journal.segment-size", 1L << 20, 1L << 30),
                        bytes("journal.max-size", 64L << 20, Long.MAX_VALUE), duration("journal.sync-interval")),
                new SpeckConfig.Store(string("store.memory-limit"), integer("store.threads", 1, 64),
                        integer("store.batch-size", 1, 1_000_000), duration("store.poll-interval"),
                        bytes("store.checkpoint-threshold", 1L << 20, 1L << 40),
                        "off".equalsIgnoreCase(values.get("store.burst-deferral").trim()) ? Duration.ZERO
                                : duration("store.burst-deferral")),
                new SpeckConfig.Enrich(optional("enrich.geo-database") == null ? null
                        : Path.of(string("enrich.geo-database")),
                        integer("enrich.user-agent-cache-size", 0, 10_000_000),
                        integer("enrich.geo-cache-size", 0, 10_000_000),
                        optional("enrich.geo-source"), duration("enrich.geo-watch-interval"),
                        bool("enrich.geo-auto-install")),
                new SpeckConfig.Access(optional("access.admin-password"), duration("access.session-idle-timeout"),
                        duration("access.session-lifetime"), integer("access.sign-in-limit", 1, 1000),
                        duration("access.sign-in-window")),
                new SpeckConfig.Customers(bool("customers.unsigned-identify"),
                        integer("customers.landing-token-days", 1, 365),
                        integer("customers.import-max-rows", 1, 1_000_000),
                        (int) bytes("customers.import-max-bytes", 64L << 10, 256L << 20),
                        integer("customers.export-max-events", 1, 10_000_000), duration("customers.erase-wait")),
                new SpeckConfig.Memory("off".equalsIgnoreCase(values.get("memory.idle-trim-after").trim()) ? null
                        : duration("memory.idle-trim-after")),
                new SpeckConfig.Deliver(duration("deliver.timeout"), duration("deliver.retry-base"),
                        duration("deliver.retry-horizon"), integer("deliver.rate-limit", 1, 10_000),
                        integer("deliver.concurrency", 1, 64), list("deliver.allow-private"), logRetention()),
                new SpeckConfig.Segments(duration("segments.interval")));
    }

    /**
     * At least a day: a hit read again from the journal (a backlog, a restart) finds its firing and its
     * delivery still there, so it is never sent twice.
     */
    private Duration logRetention() {
        Duration d = duration("deliver.log-retention");
        if (d.compareTo(Duration.ofDays(1)) < 0) {
            throw new ConfigError("deliver.log-retention", values.get("deliver.log-retention"), "at least 24h");
        }
        return d;
    }

    /** Certificate and key come together or not at all; the files themselves are read when the server starts. */
    private SpeckConfig.Tls tls() {
        String certificate = optional("http.tls-certificate");
        String key = optional("http.tls-key");
        if ((certificate == null) != (key == null)) {
            String missing = certificate == null ? "http.tls-certificate" : "http.tls-key";
            throw new ConfigError(missing, null, "required with "
                    + (certificate == null ? "http.tls-key" : "http.tls-certificate") + ": HTTPS needs both files");
        }
        String hsts = optional("http.hsts");
        if (hsts != null && !HSTS.matcher(hsts).matches()) {
            throw new ConfigError("http.hsts", hsts,
                    "a Strict-Transport-Security value such as max-age=31536000 (optionally ; includeSubDomains ; preload), or empty for none");
        }
        return new SpeckConfig.Tls(certificate == null ? null : Path.of(certificate), key == null ? null : Path.of(key),
                duration("http.tls-reload-interval"), hsts);
    }

    private static final java.util.regex.Pattern HSTS = java.util.regex.Pattern.compile(
            "max-age=\\d{1,10}(\\s*;\\s*includeSubDomains)?(\\s*;\\s*preload)?", java.util.regex.Pattern.CASE_INSENSITIVE);

    private String clientAddressHeader() {
        String v = string("collect.client-address-header").strip();
        for (String header : List.of("X-Forwarded-For", "Forwarded")) {
            if (header.equalsIgnoreCase(v)) {
                return header;
            }
        }
        throw new ConfigError("collect.client-address-header", v, "X-Forwarded-For or Forwarded");
    }

    private String string(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigError(key, v, "a value is required");
        }
        return v;
    }

    private String optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    private List<String> list(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private boolean bool(String key) {
        String v = values.get(key);
        if ("true".equalsIgnoreCase(v) || "false".equalsIgnoreCase(v)) {
            return Boolean.parseBoolean(v);
        }
        throw new ConfigError(key, v, "true or false");
    }

    private int integer(String key, int min, int max) {
        String v = values.get(key);
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new ConfigError(key, v, "an integer from " + min + " to " + max);
            }
            return i;
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigError(key, v, "an integer from " + min + " to " + max);
        }
    }

    /** Sizes such as 512KB, 32MB, 2GB (powers of 1024) or plain bytes. */
    static long parseBytes(String v) {
        String s = v.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][]{{"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"B", "1"}}) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        return Math.multiplyExact(Long.parseLong(s), unit);
    }

    private long bytes(String key, long min, long max) {
        String v = values.get(key);
        String allowed = "a size such as 512KB, 32MB or 2GB, from " + min + " to " + max + " bytes";
        try {
            long b = parseBytes(v);
            if (b < min || b > max) {
                throw new ConfigError(key, v, allowed);
            }
            return b;
        } catch (NumberFormatException | ArithmeticException | NullPointerException e) {
            throw new ConfigError(key, v, allowed);
        }
    }

    /** Durations such as 250ms, 5s, 2m, 24h. */
    private Duration duration(String key) {
        String v = values.get(key);
        String allowed = "a duration such as 250ms, 5s, 2m or 24h";
        try {
            String s = v.trim().toLowerCase(Locale.ROOT);
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                throw new ConfigError(key, v, allowed);
            }
            if (d.isNegative() || d.isZero()) {
                throw new ConfigError(key, v, "a positive duration");
            }
            return d;
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigError(key, v, allowed);
        }
    }
}
