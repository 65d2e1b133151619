package dev.speck.enrich;

/**
 * Where a hit came from. Coordinates are rounded (about 1 km) before they leave enrichment.
 *
 * @param database which database answered ("cdn-header" when only a trusted CDN country was known)
 */
public record GeoLocation(
        String country,
        String region,
        String city,
        Double latitude,
        Double longitude,
        String timeZone,
        String database) {

    public static final GeoLocation UNKNOWN = new GeoLocation(null, null, null, null, null, null, null);
}
