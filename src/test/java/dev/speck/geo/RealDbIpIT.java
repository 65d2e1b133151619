package dev.speck.geo;

import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.enrich.GeoLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real DB-IP City Lite, installed by {@code speck geo update} into the data folder named by SPECK_TEST_GEO_DIR
 * (or -Dspeck.test.geo-dir); skipped without it. Asserts only what does not change month to month.
 */
class RealDbIpIT {

    @TempDir
    static Path salts;
    private static Enricher enricher;

    @BeforeAll
    static void openInstalledDatabase() {
        String dir = System.getProperty("speck.test.geo-dir", System.getenv("SPECK_TEST_GEO_DIR"));
        assumeTrue(dir != null && !dir.isBlank(), "SPECK_TEST_GEO_DIR is not set: no real geo database to test");
        GeoFolder folder = GeoFolder.in(Path.of(dir));
        InstalledGeo installed = folder.current().orElse(null);
        assumeTrue(installed != null, "no geo database installed in " + dir + " (run ./speck geo update --data-dir " + dir + ")");
        enricher = Enricher.create(EnricherSettings.defaults(folder.databaseOf(installed), salts));
    }

    @Test
    void googleDnsIsInTheUnitedStates() {
        GeoLocation place = enricher.locate("8.8.8.8");

        assertThat(place.country()).isEqualTo("US");
        assertThat(place.timeZone()).startsWith("America/");
        assertThat(place.database()).startsWith("DB-IP City Lite ");
    }

    @Test
    void aLondonAddressIsInBritainOnLondonTime() {
        GeoLocation place = enricher.locate("81.2.69.142");

        assertThat(place.country()).isEqualTo("GB");
        assertThat(place.timeZone()).isEqualTo("Europe/London");
    }

    @Test
    void ipv6AddressesAreLocatedToo() {
        assertThat(enricher.locate("2001:4860:4860::8888").country()).isNotNull();
    }

    @Test
    void dbIpDataIsCredited() {
        assertThat(enricher.geoAttribution()).isNotNull();
    }
}
