package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.Signals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Turns a Hit into an Event: device, place, traffic source, visitor id and the truncated IP.
 * Runs on the loader thread, in batches, but is thread-safe; bad input gives unknown parts, never an exception.
 */
public final class Enricher {

    private static final Logger LOG = Logger.getLogger(Enricher.class.getName());

    /** User agents whose traffic verdict is kept; as many as the device cache holds by default. */
    private static final int TRAFFIC_CACHE = 10_000;

    /** The longest user agent stored (for reclassification); the analyzer reads no more either. */
    static final int MAX_STORED_AGENT = 512;

    private final UserAgents userAgents;
    private final Geo geo;
    private final TrafficSources trafficSources;
    private final VisitorIds visitorIds;
    private final FirstPartyIds firstPartyIds;
    private final BooleanSupplier keepRawIp;
    private final TrafficClassifier traffic = new TrafficClassifier(TRAFFIC_CACHE);

    Enricher(UserAgents userAgents, Geo geo, TrafficSources trafficSources, VisitorIds visitorIds) {
        this(userAgents, geo, trafficSources, visitorIds, new FirstPartyIds(FirstPartyIds.randomKey()), () -> false);
    }

    Enricher(UserAgents userAgents, Geo geo, TrafficSources trafficSources, VisitorIds visitorIds,
             FirstPartyIds firstPartyIds, BooleanSupplier keepRawIp) {
        this.firstPartyIds = firstPartyIds;
        this.keepRawIp = keepRawIp;
        this.userAgents = userAgents;
        this.geo = geo;
        this.trafficSources = trafficSources;
        this.visitorIds = visitorIds;
    }

    /**
     * Builds an enricher; the user-agent analyzer is built lazily (see {@link #warmUp()}).
     *
     * @throws IllegalArgumentException when the geo database or the salt directory cannot be used
     */
    public static Enricher create(EnricherSettings settings) {
        return create(settings, FirstPartyIds.randomKey(), () -> false);
    }

    /**
     * @param firstPartyKey the secret that turns the tag's first-party ids into stored visitor ids
     * @param keepRawIp     read per hit: whether an admin keeps raw IPs now
     */
    public static Enricher create(EnricherSettings settings, byte[] firstPartyKey, BooleanSupplier keepRawIp) {
        Geo geo = new Geo(settings.geoCache());
        try {
            if (settings.geoDatabase() != null) {
                geo.use(settings.geoDatabase());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("geoDatabase = " + settings.geoDatabase()
                    + ": not a usable geo database (" + e.getMessage() + ")", e);
        }
        VisitorIds visitorIds;
        try {
            visitorIds = new VisitorIds(settings.saltDirectory(), Clock.systemUTC());
        } catch (IOException e) {
            throw new IllegalArgumentException("saltDirectory = " + settings.saltDirectory()
                    + ": cannot be created or read (" + e.getMessage() + ")", e);
        }
        return new Enricher(new UserAgents(settings.userAgentCache()), geo,
                new TrafficSources(new Referrers(settings.referrerCache())), visitorIds,
                new FirstPartyIds(firstPartyKey), keepRawIp);
    }

    /** Builds the user-agent analyzer (seconds, ~65 MB); call it on the loader thread before the first batch. */
    public void warmUp() {
        userAgents.warmUp();
        traffic.warmUp();
    }

    /** An admin's traffic rules, in force from the next hit on (earlier in the list wins). */
    public void useTrafficRules(java.util.List<TrafficRule> rules) {
        traffic.useRules(rules);
    }

    public Event enrich(Hit hit) {
        Objects.requireNonNull(hit, "hit");
        Hit.Client client = hit.client();
        Device device = safely(() -> userAgents.parse(client.userAgent(), client.clientHints()), Device.UNKNOWN);
        GeoLocation place = safely(() -> geo.locate(client.ip(), client.cdnCountry()), GeoLocation.UNKNOWN);
        TrafficSource source = safely(() -> trafficSources.classify(hit), TrafficSource.DIRECT);
        boolean anonymous = "1".equals(hit.signals().get(Signals.ANONYMOUS));
        String firstPartyId = hit.signals().get(Signals.FIRST_PARTY_ID);
        // Without an address (a proxy forwarded none usable) a cookieless id would be the user agent's
        // alone and merge every such visitor into one: such a hit is no one's visit, like an anonymous one.
        String visitorId = anonymous ? null : firstPartyId != null
                ? safely(() -> firstPartyIds.idFor(hit.pixel(), firstPartyId), null)
                : client.ip() == null ? null : safely(() -> visitorIds.idFor(hit), null);
        String ipPrefix = anonymous ? null : safely(() -> IpPrefixes.truncate(client.ip()), null);
        String rawIp = !anonymous && keepRawIp.getAsBoolean() && IpPrefixes.parse(client.ip()) != null ? client.ip() : null;
        String timeZone = safely(() -> TimeZones.choose(client.timeZone(), place.timeZone()), null);
        Integer localHour = safely(() -> localHour(hit.receivedAt(), timeZone), null);
        TrafficQuality quality = safely(() -> traffic.classify(hit, device), TrafficQuality.HUMAN);
        String ua = client.userAgent();
        String storedAgent = ua == null || ua.length() <= MAX_STORED_AGENT ? ua : ua.substring(0, MAX_STORED_AGENT);
        return new Event(hit.withoutRequestDetails(), visitorId, ipPrefix, place, device, source, timeZone, localHour, rawIp,
                storedAgent, quality);
    }

    /** The visitor's hour of day (0-23) when the hit arrived, on their clock; null when their zone is unknown. */
    static Integer localHour(long receivedAtMillis, String timeZone) {
        return timeZone == null ? null : TimeZones.hourAt(receivedAtMillis, timeZone);
    }

    /** Where an address is, as {@link #enrich} would place it (for the geo benchmark and diagnostics). */
    public GeoLocation locate(String ip) {
        return safely(() -> geo.locate(ip, null), GeoLocation.UNKNOWN);
    }

    /**
     * Serves geodata from another database from now on (a fresh download, say); the old one is closed.
     *
     * @throws UncheckedIOException when the file cannot be read; the current database stays in use
     */
    public void useGeoDatabase(Path database) {
        try {
            geo.use(database);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read geo database " + database, e);
        }
    }

    /**
     * While idle: lets go of the geo database's pages that earlier lookups left resident (it is
     * reopened; the old mapping goes at the next garbage collection). Best effort: a database that
     * cannot be reopened stays in use as it is.
     */
    public void shed() {
        try {
            geo.reopen();
        } catch (IOException e) {
            LOG.fine("geo database not reopened: " + e.getMessage());
        }
    }

    public EnrichmentStats stats() {
        return new EnrichmentStats(userAgents.cacheHitRate(), userAgents.cacheSize(),
                geo.lookups(), geo.misses(), geo.databaseType(), geo.databaseBuiltAt());
    }

    /** Where the geo database in use was opened from; null when there is none. */
    public Path geoDatabasePath() {
        return geo.databasePath();
    }

    /** True when the database in use came with its places' time zones (time-zones.bin, see ZoneSidecar). */
    public boolean geoPlaceZones() {
        return geo.hasPlaceZones();
    }

    /**
     * The credit the geo database's licence asks for wherever its results are shown ("IP Geolocation by DB-IP"
     * for DB-IP's CC BY 4.0 data); null when the database in use asks for none.
     */
    public GeoAttribution geoAttribution() {
        return geo.needsDbIpAttribution() ? GeoAttribution.DB_IP : null;
    }

    /** The parts already swallow bad input; this is the last line, so one surprise cannot stop a batch. */
    private static <T> T safely(Supplier<T> part, T fallback) {
        try {
            return part.get();
        } catch (RuntimeException surprise) {
            return fallback;
        }
    }
}
