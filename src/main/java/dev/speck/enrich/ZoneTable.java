package dev.speck.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A time zone for a place when the geo database gives none (DB-IP Lite never does), offline, from IANA's
 * zone1970.tab: among the zones listed for the country, the one whose principal city is nearest.
 */
final class ZoneTable {

    private record Zone(String id, double latitude, double longitude) {
    }

    private static final double EARTH_RADIUS_KM = 6371.0;

    private final Map<String, List<Zone>> zonesByCountry;

    private ZoneTable(Map<String, List<Zone>> zonesByCountry) {
        this.zonesByCountry = zonesByCountry;
    }

    /** The table shipped with Speck (tzdata's zone1970.tab, public domain). */
    static ZoneTable bundled() {
        try (InputStream in = ZoneTable.class.getResourceAsStream("zone1970.tab")) {
            if (in == null) {
                throw new IllegalStateException("zone1970.tab is missing from the classpath");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ZoneTable parse(BufferedReader lines) throws IOException {
        Map<String, List<Zone>> byCountry = new HashMap<>();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            double[] position = iso6709(columns[1]);
            Zone zone = new Zone(columns[2], position[0], position[1]);
            for (String country : columns[0].split(",")) {
                byCountry.computeIfAbsent(country, c -> new ArrayList<>()).add(zone);
            }
        }
        byCountry.replaceAll((country, zones) -> List.copyOf(zones));
        return new ZoneTable(Map.copyOf(byCountry));
    }

    /**
     * The zone of a place: the nearest listed zone of its country when the coordinates are known, else the
     * country's zone when it has only one; null when neither tells.
     */
    String zoneOf(String country, Double latitude, Double longitude) {
        List<Zone> zones = country == null ? null : zonesByCountry.get(country);
        if (zones == null) {
            return null;
        }
        if (zones.size() == 1) {
            return zones.get(0).id();
        }
        if (latitude == null || longitude == null) {
            return null;
        }
        Zone nearest = null;
        double best = Double.MAX_VALUE;
        for (Zone zone : zones) {
            double distance = kilometres(latitude, longitude, zone.latitude(), zone.longitude());
            if (distance < best) {
                best = distance;
                nearest = zone;
            }
        }
        return nearest.id();
    }

    /** The zones IANA lists for a country (empty for none or an unknown code). */
    List<String> zonesOf(String country) {
        List<Zone> zones = country == null ? null : zonesByCountry.get(country);
        return zones == null ? List.of() : zones.stream().map(Zone::id).toList();
    }

    /** Great-circle distance (haversine). */
    static double kilometres(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** "+513030-0000731" or "-3352+15113": sign, degrees, minutes and maybe seconds, latitude then longitude. */
    private static double[] iso6709(String text) {
        int split = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        return new double[] {degrees(text.substring(0, split), 2), degrees(text.substring(split), 3)};
    }

    private static double degrees(String part, int degreeDigits) {
        double sign = part.charAt(0) == '-' ? -1 : 1;
        String digits = part.substring(1);
        double value = Integer.parseInt(digits.substring(0, degreeDigits))
                + Integer.parseInt(digits.substring(degreeDigits, degreeDigits + 2)) / 60.0;
        if (digits.length() > degreeDigits + 2) {
            value += Integer.parseInt(digits.substring(degreeDigits + 2, degreeDigits + 4)) / 3600.0;
        }
        return sign * value;
    }
}
