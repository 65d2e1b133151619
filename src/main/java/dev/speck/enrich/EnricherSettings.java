package dev.speck.enrich;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to build an {@link Enricher}.
 *
 * @param geoDatabase     a MaxMind-format City or Country .mmdb, or null to rely on the CDN country header only
 * @param saltDirectory   where the daily visitor-id salts live (created if missing)
 * @param userAgentCache  how many distinct user agents (with their client hints) to keep parsed
 * @param geoCache        how many addresses to keep located
 * @param referrerCache   how many referrer hosts to keep resolved
 */
public record EnricherSettings(Path geoDatabase, Path saltDirectory, int userAgentCache, int geoCache, int referrerCache) {

    public EnricherSettings {
        Objects.requireNonNull(saltDirectory, "saltDirectory");
        requirePositive("userAgentCache", userAgentCache);
        requirePositive("geoCache", geoCache);
        requirePositive("referrerCache", referrerCache);
    }

    /** Cache sizes that fit a few hundred MB of heap next to YAUAA's ~100 MB. */
    public static EnricherSettings defaults(Path geoDatabaseOrNull, Path saltDirectory) {
        return new EnricherSettings(geoDatabaseOrNull, saltDirectory, 20_000, 100_000, 10_000);
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " = " + value + ": must be a positive number of entries");
        }
    }
}
