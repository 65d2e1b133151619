package dev.speck.enrich;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeZonesTest {

    @Test
    void theHourIsTheOneOnTheZonesClockWhateverItsOffsetAndSeason() {
        String[] zones = {"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
                "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC", "Pacific/Kiritimati"};
        long[] instants = {
                Instant.parse("2025-03-30T00:59:59Z").toEpochMilli(), // just before Europe springs forward
                Instant.parse("2025-03-30T01:00:00Z").toEpochMilli(),
                Instant.parse("2025-11-02T05:30:00Z").toEpochMilli(), // New York's repeated hour
                Instant.parse("2025-07-01T23:45:00Z").toEpochMilli(),
                Instant.parse("1969-12-31T23:30:00Z").toEpochMilli(), // before the epoch: floor, not truncation
                0L};
        for (String zone : zones) {
            for (long at : instants) {
                assertThat(TimeZones.hourAt(at, zone)).as(zone + " at " + Instant.ofEpochMilli(at))
                        .isEqualTo(Instant.ofEpochMilli(at).atZone(ZoneId.of(zone)).getHour());
            }
        }
    }

    @Test
    void anIdThatIsNoZoneIsRefused() {
        assertThatThrownBy(() -> TimeZones.hourAt(0L, "Mars/Olympus")).isInstanceOf(DateTimeException.class);
    }
}
