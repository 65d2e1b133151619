package dev.speck.enrich;

import java.time.Instant;

/**
 * Counters for the metrics endpoint.
 *
 * @param geoLookups lookups against a geo database (none are counted while there is no database)
 * @param geoMisses  of those, the ones the database had no answer for
 * @param geoDatabase the name of the geo database in use, or null
 * @param geoDatabaseBuiltAt when it was built (its metadata), or null
 */
public record EnrichmentStats(
        double userAgentCacheHitRate,
        long userAgentCacheSize,
        long geoLookups,
        long geoMisses,
        String geoDatabase,
        Instant geoDatabaseBuiltAt) {

    /** Share of lookups that found nothing; 0 before the first lookup. */
    public double geoMissRatio() {
        return geoLookups == 0 ? 0 : (double) geoMisses / geoLookups;
    }
}
