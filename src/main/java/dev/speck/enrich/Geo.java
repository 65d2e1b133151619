package dev.speck.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Places a client address on the map with a geo database (GeoIP2 or ip-location-db layout, see
 * {@link GeoDatabases}) that can be swapped while serving, falling back to a trusted CDN's country header
 * when the database has no answer. Every located answer gets a time zone and rounded coordinates.
 */
final class Geo {

    static final String CDN_HEADER = "cdn-header";
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");

    /**
     * A database with its own cache and the zones of its places (null when none were computed for it), swapped
     * together so no answer of an old database outlives the swap.
     */
    private record Loaded(GeoDatabase database, Path path, Cache<String, Optional<GeoLocation>> cache,
                          ZoneSidecar placeZones) {
    }

    private final int cacheSize;
    private final ZoneTable zones = ZoneTable.bundled();
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();
    private final LongAdder lookups = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A Geo without a database: only the CDN country header answers until {@link #use(Path)}. */
    Geo(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /**
     * Opens and checks a database and serves from it from now on. The previous one is closed only after the
     * swap, and a lookup that still ran on it retries on the new one, so no lookup fails because of a swap.
     *
     * @throws IOException when the file is missing, truncated or corrupt; the current database stays in use
     * @throws IllegalArgumentException when it is neither a City nor a Country database
     */
    void use(Path database) throws IOException {
        GeoDatabase opened = GeoDatabases.open(database);
        Cache<String, Optional<GeoLocation>> cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        Loaded previous = loaded.getAndSet(new Loaded(opened, database, cache, ZoneSidecar.readFor(database, opened.builtAt())));
        if (previous != null) {
            previous.database().close();
        }
    }

    /**
     * Opens the database in use again and serves from the new mapping, keeping the cache (the same
     * file gives the same answers). The database file is memory-mapped: every page a lookup touched
     * stays in the process's resident memory while the mapping lives, up to the whole file (64 MB for
     * DB-IP City Lite) after a burst of many addresses. The old mapping is closed here and unmapped by
     * the next garbage collection. Does nothing when no database is in use or another swap came first.
     *
     * @return true when reopened
     * @throws IOException when the file can no longer be read; the current database stays in use
     */
    boolean reopen() throws IOException {
        Loaded current = loaded.get();
        if (current == null) {
            return false;
        }
        GeoDatabase opened = GeoDatabases.open(current.path());
        if (!loaded.compareAndSet(current, new Loaded(opened, current.path(), current.cache(), current.placeZones()))) {
            opened.close();
            return false;
        }
        current.database().close();
        return true;
    }

    /** The name of the database in use (e.g. "GeoLite2-City", "DB-IP City Lite 2026-06"), or null. */
    String databaseType() {
        Loaded current = loaded.get();
        return current == null ? null : current.database().name();
    }

    /** Where the database in use was opened from, or null. */
    Path databasePath() {
        Loaded current = loaded.get();
        return current == null ? null : current.path();
    }

    /** True when the database in use has its places' zones from the zone boundaries. */
    boolean hasPlaceZones() {
        Loaded current = loaded.get();
        return current != null && current.placeZones() != null;
    }

    /** When the database in use was built, or null. */
    Instant databaseBuiltAt() {
        Loaded current = loaded.get();
        return current == null ? null : current.database().builtAt();
    }

    boolean needsDbIpAttribution() {
        Loaded current = loaded.get();
        return current != null && current.database().needsDbIpAttribution();
    }

    /** Where an address is; the CDN's country when the database does not know; else UNKNOWN. */
    GeoLocation locate(String ip, String cdnCountry) {
        Loaded current = loaded.get();
        if (current != null) {
            lookups.increment();
            Optional<GeoLocation> found = locateIn(current, ip == null ? "" : ip);
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

    private Optional<GeoLocation> locateIn(Loaded first, String ip) {
        Loaded current = first;
        for (int attempt = 0; attempt < 3; attempt++) {
            Loaded serving = current;
            try {
                return current.cache().get(ip, key -> lookUp(serving, key));
            } catch (ClosedBySwap swapped) {
                current = loaded.get(); // the lookup raced a swap: ask the database that replaced it
            }
        }
        return Optional.empty();
    }

    private Optional<GeoLocation> lookUp(Loaded serving, String ip) {
        InetAddress address = IpPrefixes.parse(ip);
        if (address == null || address.isLoopbackAddress() || address.isSiteLocalAddress()
                || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
            return Optional.empty();
        }
        try {
            return serving.database().locate(address).map(raw -> finish(raw, serving.placeZones()));
        } catch (com.maxmind.db.ClosedDatabaseException closed) {
            throw new ClosedBySwap();
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Every layout alike: when the database has no zone, the zone of the place from the zone boundaries (computed
     * at install, {@link ZoneSidecar}), else the nearest zone IANA lists for the country; then coordinates rounded.
     */
    private GeoLocation finish(GeoLocation raw, ZoneSidecar placeZones) {
        String zone = raw.timeZone();
        if (zone == null && placeZones != null) {
            zone = placeZones.zoneAt(raw.latitude(), raw.longitude());
        }
        if (zone == null) {
            zone = zones.zoneOf(raw.country(), raw.latitude(), raw.longitude());
        }
        return new GeoLocation(raw.country(), raw.region(), raw.city(), round(raw.latitude()), round(raw.longitude()),
                zone, raw.database());
    }

    /** Two decimals: about a kilometre, enough for a city and too coarse for a street. */
    private static Double round(Double coordinate) {
        return coordinate == null ? null : Math.round(coordinate * 100) / 100.0;
    }

    /** CF-IPCountry and friends send XX for unknown and T1 for Tor: neither is a place. */
    private GeoLocation fromCdnHeader(String cdnCountry) {
        if (cdnCountry == null) {
            return GeoLocation.UNKNOWN;
        }
        String code = cdnCountry.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRY_CODE.matcher(code).matches() || code.equals("XX") || code.equals("T1")) {
            return GeoLocation.UNKNOWN;
        }
        return new GeoLocation(code, null, null, null, null, zones.zoneOf(code, null, null), CDN_HEADER);
    }

    /** Thrown out of the cache loader so that a racing lookup is retried rather than cached as a miss. */
    private static final class ClosedBySwap extends RuntimeException {
        ClosedBySwap() {
            super(null, null, false, false);
        }
    }
}
