package dev.speck.enrich;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Location;
import com.maxmind.geoip2.record.Subdivision;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** GeoIP2/GeoLite2 City or Country, and DB-IP's own .mmdb downloads, which share MaxMind's layout. */
final class GeoIp2Layout implements GeoDatabase {

    private final DatabaseReader reader;
    private final boolean city;
    private final String name;
    private final Instant builtAt;
    private final boolean dbIp;

    GeoIp2Layout(DatabaseReader reader) {
        this.reader = reader;
        String type = reader.getMetadata().getDatabaseType();
        this.city = type.contains("City");
        this.builtAt = reader.getMetadata().getBuildDate().toInstant();
        this.dbIp = type.startsWith("DBIP");
        this.name = dbIp ? GeoDatabases.dbIpName(city ? "City" : "Country", builtAt) : type;
    }

    @Override
    public Optional<GeoLocation> locate(InetAddress address) throws Exception {
        return city ? reader.tryCity(address).map(this::fromCity) : reader.tryCountry(address).map(this::fromCountry);
    }

    private GeoLocation fromCity(CityResponse response) {
        List<Subdivision> subdivisions = response.getSubdivisions();
        Location location = response.getLocation();
        return new GeoLocation(
                response.getCountry().getIsoCode(),
                subdivisions.isEmpty() ? null : subdivisions.get(0).getIsoCode(),
                response.getCity().getName(),
                location.getLatitude(),
                location.getLongitude(),
                location.getTimeZone(),
                name);
    }

    private GeoLocation fromCountry(CountryResponse response) {
        return new GeoLocation(response.getCountry().getIsoCode(), null, null, null, null, null, name);
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
        reader.close();
    }
}
