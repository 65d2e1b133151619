package dev.speck.enrich;

import java.time.ZoneId;
import java.util.Set;

/** Chooses an event's time zone: the browser knows the visitor's clock better than an IP database does. */
final class TimeZones {

    /** Region ids only ("Europe/Paris"): ZoneId.of would also accept offsets like "+02:00", which are not zones. */
    private static final Set<String> IANA_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

    private TimeZones() {
    }

    static String choose(String browserZone, String geoZone) {
        if (browserZone != null && IANA_IDS.contains(browserZone.strip())) {
            return browserZone.strip();
        }
        return geoZone != null && IANA_IDS.contains(geoZone) ? geoZone : null;
    }
}
