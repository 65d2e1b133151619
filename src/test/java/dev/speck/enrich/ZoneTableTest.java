package dev.speck.enrich;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneTableTest {

    private static final ZoneTable ZONES = ZoneTable.bundled();

    @ParameterizedTest(name = "{0} ({1}, {2}) is in {3}")
    @CsvSource({
            "GB, 51.5074, -0.1278, Europe/London",
            "AU, -33.8688, 151.2093, Australia/Sydney",
            "RU, 55.7558, 37.6173, Europe/Moscow",
            "BR, -23.5505, -46.6333, America/Sao_Paulo",
            "US, 37.3861, -122.0839, America/Los_Angeles",
            "US, 61.2181, -149.9003, America/Anchorage",
    })
    void coordinatesPickTheNearestZoneOfTheCountry(String country, double latitude, double longitude, String zone) {
        assertThat(ZONES.zoneOf(country, latitude, longitude)).isEqualTo(zone);
    }

    @Test
    void countryWithOneZoneNeedsNoCoordinates() {
        assertThat(ZONES.zoneOf("JP", null, null)).isEqualTo("Asia/Tokyo");
        assertThat(ZONES.zoneOf("FR", null, null)).isEqualTo("Europe/Paris");
    }

    @Test
    void countryWithManyZonesAndNoCoordinatesGetsNone() {
        assertThat(ZONES.zoneOf("US", null, null)).isNull();
    }

    @Test
    void unknownCountryGetsNone() {
        assertThat(ZONES.zoneOf("ZZ", 10.0, 10.0)).isNull();
        assertThat(ZONES.zoneOf(null, 10.0, 10.0)).isNull();
    }
}
