package dev.speck.enrich;

import com.maxmind.db.Reader;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The flat layout of the ip-location-db packages (DB-IP Lite among them): one record per network with
 * {@code country_code, state1, state2, city, postcode, latitude, longitude, timezone}, all strings
 * except the coordinates, and separate IPv4 and IPv6 files. Empty strings mean "not known".
 */
final class IpLocationDbLayout implements GeoDatabase {

    private final Reader ipv4;
    private final Reader ipv6;
    private final String name;
    private final Instant builtAt;
    private final boolean dbIp;

    /** Either reader may be null when only one address family is installed. */
    IpLocationDbLayout(Reader ipv4, Reader ipv6, boolean dbIp) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        Reader any = ipv4 != null ? ipv4 : ipv6;
        this.builtAt = any.getMetadata().getBuildDate().toInstant();
        this.dbIp = dbIp;
        String type = any.getMetadata().getDatabaseType();
        String kind = type.toLowerCase(java.util.Locale.ROOT).startsWith("country") ? "Country" : "City";
        this.name = dbIp ? GeoDatabases.dbIpName(kind, builtAt) : "ip-location-db " + type.split(" ")[0]
                + " " + GeoDatabases.month(builtAt);
    }

    /** True when a database type names this layout: "city ipv4", "country ipv6". */
    static boolean isLayoutOf(String databaseType) {
        return databaseType.matches("(?i)[a-z0-9-]*\\s*(city|country) ipv[46]");
    }

    @Override
    public Optional<GeoLocation> locate(InetAddress address) throws IOException {
        Reader reader = address instanceof Inet4Address ? ipv4 : ipv6;
        if (reader == null) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = reader.get(address, Map.class);
        if (record == null) {
            return Optional.empty();
        }
        String country = text(record, "country_code");
        if (country == null) {
            return Optional.empty();
        }
        return Optional.of(new GeoLocation(country, text(record, "state1"), text(record, "city"),
                number(record, "latitude"), number(record, "longitude"), text(record, "timezone"), name));
    }

    private static String text(Map<String, Object> record, String field) {
        return record.get(field) instanceof String s && !s.isBlank() ? s : null;
    }

    /** The files hold coordinates as floats; some builds of the layout use doubles or strings. */
    private static Double number(Map<String, Object> record, String field) {
        Object value = record.get(field);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException notACoordinate) {
                return null;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Instant builtAt() {
        return builtAt;
    }

    @Override
    public boolean needsDbIpAttribution() {
        return dbIp;
    }

    @Override
    public void close() throws IOException {
        try {
            if (ipv4 != null) {
                ipv4.close();
            }
        } finally {
            if (ipv6 != null) {
                ipv6.close();
            }
        }
    }
}
