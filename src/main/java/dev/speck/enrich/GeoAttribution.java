package dev.speck.enrich;

/** The credit a geo database's licence asks for on every page and export that shows its results. */
public record GeoAttribution(String text, String url) {

    /** DB-IP Lite is CC BY 4.0: "you must include a link back to DB-IP.com on pages that display ... results". */
    public static final GeoAttribution DB_IP = new GeoAttribution("IP Geolocation by DB-IP", "https://db-ip.com");
}
