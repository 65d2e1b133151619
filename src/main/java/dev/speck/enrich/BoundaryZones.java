package dev.speck.enrich;

import net.iakovlev.timeshape.TimeZoneEngine;

import java.time.ZoneId;
import java.util.List;

/**
 * The time zone of a point from the zone boundaries (timezone-boundary-builder's polygons, from OpenStreetMap,
 * through the timeshape library). The world engine costs ~190 MB of heap and seconds to build, so Speck
 * builds it only while installing a geo database ({@link ZoneSidecar}), never in a serving process.
 */
final class BoundaryZones {

    private final TimeZoneEngine engine;
    private final ZoneTable table;

    private BoundaryZones(TimeZoneEngine engine, ZoneTable table) {
        this.engine = engine;
        this.table = table;
    }

    /** The whole world, with each polygon's raster index (more memory, ~3x faster point queries: measured). */
    static BoundaryZones world() {
        return new BoundaryZones(TimeZoneEngine.initialize(-90, -180, 90, 180, true), ZoneTable.bundled());
    }

    /**
     * The zone whose boundary holds the point, or null (none: the data covers oceans too, so only at the poles).
     * Where zones overlap (disputed areas), the one IANA lists for the country wins, else the first by name.
     */
    String zoneAt(double latitude, double longitude, String country) {
        if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
            return null;
        }
        List<ZoneId> all = engine.queryAll(latitude, longitude);
        if (all.isEmpty()) {
            return null;
        }
        if (all.size() == 1) {
            return all.get(0).getId();
        }
        List<String> ids = all.stream().map(ZoneId::getId).sorted().toList();
        List<String> listed = table.zonesOf(country);
        return ids.stream().filter(listed::contains).findFirst().orElse(ids.get(0));
    }
}
