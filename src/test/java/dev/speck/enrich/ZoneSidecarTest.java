package dev.speck.enrich;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The zones of a database's places, computed at install into time-zones.bin and served from it. */
class ZoneSidecarTest {

    /** The test DB-IP's build date (write-test-city.pl): the file must be made for this build to count. */
    private static final Instant MAY_BUILD = Instant.ofEpochSecond(1777852800);

    @TempDir
    Path directory;

    private static Geo geoWith(Path database) throws Exception {
        Geo geo = new Geo(100);
        geo.use(database);
        return geo;
    }

    @Test
    void buildingWritesTheZoneOfEveryPlaceFromTheZoneBoundariesBesideTheDatabase() throws Exception {
        Path dbIp = GeoFixtures.writeDbIp(directory.resolve("dbip"), false);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int places = ZoneSidecar.build(dbIp, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(places).isEqualTo(4); // London, Mountain View, Sydney (IPv4) and Tokyo (IPv6)
        assertThat(dbIp.resolve("time-zones.bin")).isRegularFile();
        ZoneSidecar zones = ZoneSidecar.readFor(dbIp, MAY_BUILD);
        assertThat(zones.size()).isEqualTo(4);
        assertThat(zones.zoneAt(37.422, -122.085)).isEqualTo("America/Los_Angeles");
        assertThat(zones.zoneAt(-33.8688, 151.209)).isEqualTo("Australia/Sydney");
        assertThat(zones.zoneAt(35.6895, 139.69171)).isEqualTo("Asia/Tokyo");
        assertThat(zones.zoneAt(40.0, -83.0)).isNull(); // not a place of this database
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("time zones of 4 places written");
        assertThat(geoWith(dbIp).locate("203.0.113.7", null).timeZone()).isEqualTo("Europe/London");
    }

    @Test
    void theZoneBesideTheDatabaseWinsOverTheNearestListedCity() throws Exception {
        Path dbIp = GeoFixtures.writeDbIp(directory.resolve("dbip"), false);
        // a zone the nearest listed city would never give, so the answer shows where it came from
        ZoneSidecar.write(ZoneSidecar.fileOf(dbIp), MAY_BUILD,
                new int[] {ZoneSidecar.key(37.422, -122.085)}, new String[] {"America/Boise"});

        GeoLocation mountainView = geoWith(dbIp).locate("198.51.100.7", null);

        assertThat(mountainView.timeZone()).isEqualTo("America/Boise");
        assertThat(geoWith(dbIp).locate("203.0.113.7", null).timeZone())
                .as("a place the file does not list falls back to the nearest listed city").isEqualTo("Europe/London");
    }

    @Test
    void aFileMadeForAnotherReleaseOfTheDatabaseIsIgnored() throws Exception {
        Path dbIp = GeoFixtures.writeDbIp(directory.resolve("dbip"), false);
        ZoneSidecar.write(ZoneSidecar.fileOf(dbIp), MAY_BUILD.plusSeconds(86_400),
                new int[] {ZoneSidecar.key(37.422, -122.085)}, new String[] {"America/Boise"});

        assertThat(geoWith(dbIp).locate("198.51.100.7", null).timeZone()).isEqualTo("America/Los_Angeles");
    }

    @Test
    void aDamagedFileIsIgnoredAndTheHitStillGetsAZone() throws Exception {
        Path dbIp = GeoFixtures.writeDbIp(directory.resolve("dbip"), false);
        Files.write(ZoneSidecar.fileOf(dbIp), new byte[] {0, 9, 'S', 'P', 'E', 'C', 'K'});

        assertThat(geoWith(dbIp).locate("198.51.100.7", null).timeZone()).isEqualTo("America/Los_Angeles");
    }

    @Test
    void aDatabaseWithItsOwnZonesKeepsThem() throws Exception {
        Path city = GeoFixtures.write(directory, "city");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int places = ZoneSidecar.build(city, new PrintStream(printed, true, StandardCharsets.UTF_8));
        ZoneSidecar.write(ZoneSidecar.fileOf(city), geoWith(city).databaseBuiltAt(),
                new int[] {ZoneSidecar.key(48.13743, 11.57549)}, new String[] {"Europe/Zurich"});

        assertThat(places).isZero(); // every GeoIP2 place with coordinates names its zone
        assertThat(ZoneSidecar.fileOf(city).getFileName().toString()).isEqualTo("test-city.mmdb.time-zones.bin");
        assertThat(geoWith(city).locate("203.0.113.7", null).timeZone()).isEqualTo("Europe/Berlin");
    }
}
