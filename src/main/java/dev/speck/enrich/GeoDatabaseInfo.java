package dev.speck.enrich;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a geo database is, learnt by opening and checking it as {@link Enricher#useGeoDatabase} would:
 * lets an installer refuse a bad download before anything serves from it.
 *
 * @param name    e.g. "DB-IP City Lite 2026-06" or "GeoLite2-City"
 * @param builtAt the build date in its metadata
 */
public record GeoDatabaseInfo(String name, Instant builtAt, GeoAttribution attribution) {

    /**
     * @throws IOException when the file or folder is missing, truncated or corrupt
     * @throws IllegalArgumentException when it is not a City or Country database
     */
    public static GeoDatabaseInfo check(Path database) throws IOException {
        try (GeoDatabase opened = GeoDatabases.open(database)) {
            return new GeoDatabaseInfo(opened.name(), opened.builtAt(),
                    opened.needsDbIpAttribution() ? GeoAttribution.DB_IP : null);
        }
    }
}
