package dev.speck.enrich;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time zones from the zone boundaries against the nearest zone IANA lists for the country (what Speck did
 * before), over places near zone borders and in countries with many zones (src/test/resources/enrich/
 * zone-borders.tsv). Prints both accuracies; the figures are in docs/PERFORMANCE.md.
 */
class ZoneBoundariesAccuracyTest {

    record Known(double latitude, double longitude, String country, String zone, String place) {
    }

    private static List<Known> places;
    private static BoundaryZones boundaries;

    @BeforeAll
    static void load() throws IOException {
        places = knownPlaces();
        boundaries = BoundaryZones.world();
    }

    @Test
    void theSetCoversEnoughBorderPlaces() {
        assertThat(places).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void columbusOhioIsOnNewYorkTimeNotVevay() {
        assertThat(boundaries.zoneAt(39.96, -83.00, "US")).isEqualTo("America/New_York");
        assertThat(ZoneTable.bundled().zoneOf("US", 39.96, -83.00)).isEqualTo("America/Indiana/Vevay");
    }

    @Test
    void brokenHillKeepsItsOwnZone() {
        assertThat(boundaries.zoneAt(-31.95, 141.45, "AU")).isEqualTo("Australia/Broken_Hill");
    }

    @Test
    void zoneBoundariesNameEveryKnownPlaceRightWhereTheNearestListedCityOftenFails() {
        ZoneTable table = ZoneTable.bundled();
        List<String> oldMisses = misses(k -> table.zoneOf(k.country(), k.latitude(), k.longitude()));
        List<String> newMisses = misses(k -> boundaries.zoneAt(k.latitude(), k.longitude(), k.country()));

        System.out.printf("time zones of %d border places: nearest listed city %d right (%.0f %%), zone boundaries"
                        + " %d right (%.0f %%)%n", places.size(), places.size() - oldMisses.size(),
                100.0 * (places.size() - oldMisses.size()) / places.size(), places.size() - newMisses.size(),
                100.0 * (places.size() - newMisses.size()) / places.size());
        System.out.println("nearest listed city missed: " + String.join("; ", oldMisses));
        System.out.println("zone boundaries missed: " + String.join("; ", newMisses));

        assertThat(newMisses).isEmpty();
        assertThat(oldMisses.size()).isGreaterThan(places.size() / 10); // 29 of 161 when measured
    }

    @Test
    void theSidecarKeyKeepsTwoDecimalsOfEveryPlace() {
        for (Known k : places) {
            int key = ZoneSidecar.key(k.latitude(), k.longitude());
            assertThat(ZoneSidecar.latitudeOf(key)).isCloseTo(k.latitude(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(ZoneSidecar.longitudeOf(key)).isCloseTo(k.longitude(), org.assertj.core.data.Offset.offset(1e-9));
        }
        for (double[] corner : new double[][] {{-90, -180}, {90, 180}, {-90, 180}, {90, -180}, {0, 0}}) {
            int key = ZoneSidecar.key(corner[0], corner[1]);
            assertThat(ZoneSidecar.latitudeOf(key)).isEqualTo(corner[0]);
            assertThat(ZoneSidecar.longitudeOf(key)).isEqualTo(corner[1]);
        }
    }

    private static List<String> misses(Function<Known, String> zoneOf) {
        List<String> misses = new ArrayList<>();
        for (Known k : places) {
            String zone = zoneOf.apply(k);
            if (!Objects.equals(zone, k.zone())) {
                misses.add(k.place() + " " + zone + " (right: " + k.zone() + ")");
            }
        }
        return misses;
    }

    static List<Known> knownPlaces() throws IOException {
        List<Known> known = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                ZoneBoundariesAccuracyTest.class.getResourceAsStream("/enrich/zone-borders.tsv")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t");
                known.add(new Known(Double.parseDouble(c[0]), Double.parseDouble(c[1]), c[2], c[3], c[4]));
            }
        }
        return known;
    }
}
