package dev.speck.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AbstractCountryResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Location;
import com.maxmind.geoip2.record.Subdivision;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Places a client address on the map with a MaxMind-format (.mmdb) City or Country database that can be
 * swapped while serving, falling back to a trusted CDN's country header when the database has no answer.
 */
final class Geo {

    static final String CDN_HEADER = "cdn-header";
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");

    /** A reader with its own cache, swapped together so no answer of an old database outlives the swap. */
    private record Loaded(DatabaseReader reader, String databaseType, boolean city, Cache<String, Optional<GeoLocation>> cache) {
    }

    private final int cacheSize;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();
    private final LongAdder lookups = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A Geo without a database: only the CDN country header answers until {@link #use(Path)}. */
    Geo(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /**
     * Opens a database and serves from it from now on; the previous one is closed. Lookups running during
     * the swap finish on the old reader or, at worst, find nothing: they never throw.
     *
     * @throws IOException when the file is not a readable .mmdb
     * @throws IllegalArgumentException when it is neither a City nor a Country database
     */
    void use(Path database) throws IOException {
        DatabaseReader reader = new DatabaseReader.Builder(database.toFile()).build();
        String type = reader.getMetadata().getDatabaseType();
        boolean city = type.contains("City");
        if (!city && !type.contains("Country")) {
            reader.close();
            throw new IllegalArgumentException("geo database " + database + " is a " + type
                    + " database; expected a City or Country database such as GeoLite2-City, GeoIP2-City,"
                    + " GeoLite2-Country or DBIP-City-Lite");
        }
        Cache<String, Optional<GeoLocation>> cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        Loaded previous = loaded.getAndSet(new Loaded(reader, type, city, cache));
        if (previous != null) {
            previous.reader().close();
        }
    }

    /** The database type in use (e.g. "GeoLite2-City"), or null when there is none. */
    String databaseType() {
        Loaded current = loaded.get();
        return current == null ? null : current.databaseType();
    }

    /** Where an address is; the CDN's country when the database does not know; else UNKNOWN. */
    GeoLocation locate(String ip, String cdnCountry) {
        Loaded current = loaded.get();
        if (current != null) {
            lookups.increment();
            Optional<GeoLocation> found = current.cache().get(ip == null ? "" : ip, key -> lookUp(current, key));
            if (found.isPresent()) {
                return found.get();
            }
            misses.increment();
        }
        return fromCdnHeader(cdnCountry);
    }

    long lookups() {
        return lookups.sum();
    }

    long misses() {
        return misses.sum();
    }

    private static Optional<GeoLocation> lookUp(Loaded current, String ip) {
        InetAddress address = IpPrefixes.parse(ip);
        if (address == null || address.isLoopbackAddress() || address.isSiteLocalAddress()
                || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
            return Optional.empty();
        }
        try {
            return current.city()
                    ? current.reader().tryCity(address).map(city -> fromCity(city, current.databaseType()))
                    : current.reader().tryCountry(address).map(country -> fromCountry(country, current.databaseType()));
        } catch (IOException | GeoIp2Exception | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static GeoLocation fromCity(CityResponse response, String database) {
        List<Subdivision> subdivisions = response.getSubdivisions();
        Location location = response.getLocation();
        return new GeoLocation(
                response.getCountry().getIsoCode(),
                subdivisions.isEmpty() ? null : subdivisions.get(0).getIsoCode(),
                response.getCity().getName(),
                round(location.getLatitude()),
                round(location.getLongitude()),
                location.getTimeZone(),
                database);
    }

    private static GeoLocation fromCountry(AbstractCountryResponse response, String database) {
        return new GeoLocation(response.getCountry().getIsoCode(), null, null, null, null, null, database);
    }

    private static Double round(Double coordinate) {
        return coordinate == null ? null : Math.round(coordinate * 100) / 100.0;
    }

    /** CF-IPCountry and friends send XX for unknown and T1 for Tor: neither is a place. */
    private static GeoLocation fromCdnHeader(String cdnCountry) {
        if (cdnCountry == null) {
            return GeoLocation.UNKNOWN;
        }
        String code = cdnCountry.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRY_CODE.matcher(code).matches() || code.equals("XX") || code.equals("T1")) {
            return GeoLocation.UNKNOWN;
        }
        return new GeoLocation(code, null, null, null, null, null, CDN_HEADER);
    }
}
