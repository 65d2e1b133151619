package dev.speck.enrich;

import java.io.Closeable;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * One opened geo database, whatever its record layout. Answers carry raw coordinates and may lack a
 * time zone: {@link Geo} fills the zone in and rounds the coordinates for every layout alike.
 */
sealed interface GeoDatabase extends Closeable permits GeoIp2Layout, IpLocationDbLayout {

    /** Where an address is; empty when the database has no answer. May throw on a corrupt file. */
    Optional<GeoLocation> locate(InetAddress address) throws Exception;

    /** Which database answers, for the events' geo_database column (e.g. "DB-IP City Lite 2026-06"). */
    String name();

    /** When the database was built, from its metadata. */
    Instant builtAt();

    /** True for DB-IP's data, whose licence (CC BY 4.0) asks for "IP Geolocation by DB-IP" where it is shown. */
    boolean needsDbIpAttribution();
}
