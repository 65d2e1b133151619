package dev.speck.enrich;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Chooses an event's time zone: the browser knows the visitor's clock better than an IP database does. */
final class TimeZones {

    /** Region ids only ("Europe/Paris"): ZoneId.of would also accept offsets like "+02:00", which are not zones. */
    private static final Set<String> IANA_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

    /** Each zone's rules, looked up once: ZoneId.of and a ZonedDateTime per hit were ~2.5 % of the loader's time. */
    private static final ConcurrentHashMap<String, ZoneRules> RULES = new ConcurrentHashMap<>();

    private TimeZones() {
    }

    static String choose(String browserZone, String geoZone) {
        if (browserZone != null && IANA_IDS.contains(browserZone.strip())) {
            return browserZone.strip();
        }
        return geoZone != null && IANA_IDS.contains(geoZone) ? geoZone : null;
    }

    /**
     * The hour of day (0-23) on the clock of {@code zone} (a region id, as {@link #choose} gives) at an instant.
     *
     * @throws java.time.DateTimeException for an id that is not a zone
     */
    static int hourAt(long epochMillis, String zone) {
        ZoneRules rules = IANA_IDS.contains(zone) // the cache holds region ids only: a bounded set
                ? RULES.computeIfAbsent(zone, z -> ZoneId.of(z).getRules())
                : ZoneId.of(zone).getRules();
        long localSeconds = Math.floorDiv(epochMillis, 1000)
                + rules.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
        return (int) Math.floorMod(Math.floorDiv(localSeconds, 3600), 24);
    }
}
