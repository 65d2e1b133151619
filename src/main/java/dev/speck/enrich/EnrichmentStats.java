package dev.speck.enrich;

/**
 * Counters for the metrics endpoint.
 *
 * @param geoLookups lookups against a geo database (none are counted while there is no database)
 * @param geoMisses  of those, the ones the database had no answer for
 */
public record EnrichmentStats(
        double userAgentCacheHitRate,
        long userAgentCacheSize,
        long geoLookups,
        long geoMisses,
        String geoDatabase) {
}
