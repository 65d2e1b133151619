package dev.speck.enrich;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GeoTest {

    /** MaxMind's published test databases, checked out next to the project when available. */
    private static final Path MAXMIND_TEST_DATA = Path.of("..", "shared", "testdata", "geoip");

    @TempDir
    static Path databases;
    private static Path cityDatabase;
    private static Path countryDatabase;

    @BeforeAll
    static void writeDatabases() throws Exception {
        cityDatabase = GeoFixtures.write(databases, "city");
        countryDatabase = GeoFixtures.write(databases, "country");
    }

    private static Geo geoWith(Path database) throws Exception {
        Geo geo = new Geo(100);
        geo.use(database);
        return geo;
    }

    @Test
    void cityDatabaseGivesCountryRegionCityAndZone() throws Exception {
        GeoLocation munich = geoWith(cityDatabase).locate("203.0.113.7", null);

        assertThat(munich).isEqualTo(new GeoLocation("DE", "BY", "Munich", 48.14, 11.58, "Europe/Berlin", "GeoIP2-City"));
    }

    @Test
    void ipv6AddressesAreLocatedToo() throws Exception {
        GeoLocation tokyo = geoWith(cityDatabase).locate("2001:db8:1::5", null);

        assertThat(tokyo.country()).isEqualTo("JP");
        assertThat(tokyo.city()).isEqualTo("Tokyo");
        assertThat(tokyo.timeZone()).isEqualTo("Asia/Tokyo");
    }

    @Test
    void networkWithOnlyACountryGivesTheCountryAndItsOnlyZone() throws Exception {
        GeoLocation france = geoWith(cityDatabase).locate("198.51.100.1", null);

        assertThat(france).isEqualTo(new GeoLocation("FR", null, null, null, null, "Europe/Paris", "GeoIP2-City"));
    }

    @Test
    void countryDatabaseIsDetectedFromItsMetadata() throws Exception {
        Geo geo = geoWith(countryDatabase);

        assertThat(geo.databaseType()).isEqualTo("GeoIP2-Country");
        assertThat(geo.locate("203.0.113.7", null))
                .isEqualTo(new GeoLocation("AT", null, null, null, null, "Europe/Vienna", "GeoIP2-Country"));
    }

    @Test
    void swappedDatabaseAnswersFromThenOn() throws Exception {
        Geo geo = geoWith(cityDatabase);
        assertThat(geo.locate("203.0.113.7", null).country()).isEqualTo("DE");

        geo.use(countryDatabase);

        assertThat(geo.locate("203.0.113.7", null).country()).isEqualTo("AT");
        assertThat(geo.databaseType()).isEqualTo("GeoIP2-Country");
    }

    @Test
    void reopeningAnswersAlikeAndLetsTheOldMappingGoAtTheNextCollection() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux's /proc/self/maps");
        Path own = Files.copy(cityDatabase, databases.resolve("reopened-city.mmdb")); // mapped by this test only
        Geo geo = geoWith(own);
        GeoLocation before = geo.locate("203.0.113.7", null);

        assertThat(geo.reopen()).isTrue();

        assertThat(geo.locate("203.0.113.7", null)).isEqualTo(before); // from the cache
        assertThat(geo.locate("2001:db8:1::5", null).city()).isEqualTo("Tokyo"); // from the new mapping
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (mappingsOf(maps, own) > 1) { // the old buffer's cleaner runs after a collection finds it
            assertThat(System.nanoTime()).as("the old mapping of " + own + " to go").isLessThan(deadline);
            System.gc();
            Thread.sleep(20);
        }
        assertThat(mappingsOf(maps, own)).isEqualTo(1);
    }

    @Test
    void reopeningWithoutADatabaseDoesNothing() throws Exception {
        assertThat(new Geo(10).reopen()).isFalse();
    }

    private static long mappingsOf(Path maps, Path file) throws Exception {
        String name = file.toRealPath().toString();
        return Files.readAllLines(maps).stream().filter(l -> l.endsWith(name)).count();
    }

    @Test
    void unknownPrivateLoopbackAndInvalidAddressesAreMissesNotErrors() throws Exception {
        Geo geo = geoWith(cityDatabase);

        for (String ip : new String[] {"192.0.2.1", "10.0.0.1", "127.0.0.1", "::1", "fe80::1", "bogus", "", null}) {
            assertThat(geo.locate(ip, null)).as(ip).isEqualTo(GeoLocation.UNKNOWN);
        }
        assertThat(geo.lookups()).isEqualTo(8);
        assertThat(geo.misses()).isEqualTo(8);
    }

    @Test
    void lookupsAndMissesAreCounted() throws Exception {
        Geo geo = geoWith(cityDatabase);

        geo.locate("203.0.113.7", null);
        geo.locate("203.0.113.7", null);
        geo.locate("192.0.2.1", null);

        assertThat(geo.lookups()).isEqualTo(3);
        assertThat(geo.misses()).isEqualTo(1);
    }

    @Test
    void withoutADatabaseTheCdnCountryHeaderIsUsedWithTheCountrysOnlyZone() {
        Geo geo = new Geo(100);

        assertThat(geo.locate("203.0.113.7", "nl"))
                .isEqualTo(new GeoLocation("NL", null, null, null, null, "Europe/Brussels", "cdn-header"));
        assertThat(geo.locate("203.0.113.7", "US").timeZone()).as("a country of many zones").isNull();
        assertThat(geo.lookups()).isZero();
    }

    @Test
    void cdnCountryFillsInWhenTheDatabaseHasNoAnswer() throws Exception {
        assertThat(geoWith(cityDatabase).locate("192.0.2.1", "SE").country()).isEqualTo("SE");
    }

    @Test
    void cdnPlaceholdersForUnknownAndTorAreIgnored() {
        Geo geo = new Geo(100);

        for (String header : new String[] {"XX", "T1", "", "USA", "1A", null}) {
            assertThat(geo.locate("203.0.113.7", header)).as(header).isEqualTo(GeoLocation.UNKNOWN);
        }
    }

    @Test
    void databaseOfAnotherKindIsRejectedByName() throws Exception {
        Path asn = MAXMIND_TEST_DATA.resolve("GeoLite2-ASN-Test.mmdb");
        assumeTrue(Files.isRegularFile(asn), "MaxMind test data not checked out at " + MAXMIND_TEST_DATA);

        assertThatThrownBy(() -> new Geo(10).use(asn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GeoLite2-ASN");
    }

    @Test
    void maxMindsOwnCityTestDatabasePutsALondonAddressInLondon() throws Exception {
        Path city = MAXMIND_TEST_DATA.resolve("GeoIP2-City-Test.mmdb");
        assumeTrue(Files.isRegularFile(city), "MaxMind test data not checked out at " + MAXMIND_TEST_DATA);

        GeoLocation london = geoWith(city).locate("81.2.69.142", null);

        assertThat(london.country()).isEqualTo("GB");
        assertThat(london.region()).isEqualTo("ENG");
        assertThat(london.city()).isEqualTo("London");
        assertThat(london.latitude()).isEqualTo(51.51);
        assertThat(london.longitude()).isEqualTo(-0.09);
        assertThat(london.timeZone()).isEqualTo("Europe/London");
        assertThat(london.database()).isEqualTo("GeoIP2-City");
    }
}
