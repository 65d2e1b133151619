package dev.speck.geo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.enrich.GeoFixtures;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Speck picking up what {@code speck geo update} installs, while it serves. */
class GeoIT {

    @TempDir
    Path directory;

    private void install(Path dataDir, Path database) throws Exception {
        GeoUpdater updater = new GeoUpdater(GeoFolder.in(dataDir),
                List.of(new ConfiguredSource(database.toString(), HttpClient.newHttpClient())),
                new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
        assertThat(updater.update().changed()).isTrue();
    }

    private static void hit(RunningSpeck speck, Pixel pixel, String ip) throws Exception {
        speck.getBytes("/p/" + pixel.id() + ".gif?u=https%3A%2F%2Fshop.example%2F", "X-Forwarded-For", ip);
    }

    @Test
    void databaseInstalledWhileServingIsSwappedInAndCreditedWhereGeodataIsShown() throws Exception {
        Path dataDir = directory.resolve("data");
        install(dataDir, GeoFixtures.writeDbIp(directory.resolve("may"), false));
        try (RunningSpeck speck = RunningSpeck.start(dataDir, Map.of(
                "collect.trusted-proxies", "127.0.0.1/32", "enrich.geo-watch-interval", "100ms"))) {
            Pixel pixel = speck.createPixel("Shop", List.of());

            hit(speck, pixel, "203.0.113.7");
            JsonNode london = speck.awaitEvents(pixel.id(), 1).get(0);
            assertThat(london.get("country").asText()).isEqualTo("GB");
            assertThat(london.get("city").asText()).isEqualTo("London");
            assertThat(london.get("time_zone").asText()).isEqualTo("Europe/London");
            assertThat(london.get("geo_database").asText()).isEqualTo("DB-IP City Lite 2026-05");
            assertThat(london.get("local_hour").asInt()).isBetween(0, 23);

            install(dataDir, GeoFixtures.writeDbIp(directory.resolve("june"), true));
            RunningSpeck.await(() -> {
                try {
                    hit(speck, pixel, "203.0.113.8");
                    return speck.events(pixel.id()).stream().anyMatch(e -> "IE".equals(e.path("country").asText()));
                } catch (Exception e) {
                    return false;
                }
            }, "a hit from 203.0.113.8 to be placed in Dublin by the new database");

            JsonNode events = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixel.id() + "/events").body());
            assertThat(events.path("attribution").path("text").asText()).isEqualTo("IP Geolocation by DB-IP");
            assertThat(events.path("attribution").path("url").asText()).isEqualTo("https://db-ip.com");
            String breakdown = "/api/pixels/" + pixel.id() + "/report/breakdown?dimension=country";
            assertThat(RunningSpeck.JSON.readTree(speck.get(breakdown).body()).path("attribution").path("text").asText())
                    .isEqualTo("IP Geolocation by DB-IP");
            assertThat(speck.get(breakdown + "&format=csv").body()).endsWith("# IP Geolocation by DB-IP (https://db-ip.com)\r\n");
            assertThat(RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixel.id()
                    + "/report/breakdown?dimension=channel").body()).has("attribution")).isFalse();
            assertThat(speck.metric("speck_geo_database_age_seconds")).isPositive();
            assertThat(speck.metric("speck_geo_miss_ratio")).isBetween(0.0, 1.0);
        }
    }

    @Test
    void hoursReportCountsEventsAndVisitorsPerHourOnTheVisitorsClock() throws Exception {
        Path dataDir = directory.resolve("data");
        install(dataDir, GeoFixtures.writeDbIp(directory.resolve("may"), false));
        try (RunningSpeck speck = RunningSpeck.start(dataDir, Map.of("collect.trusted-proxies", "127.0.0.1/32"))) {
            Pixel pixel = speck.createPixel("Shop", List.of());
            hit(speck, pixel, "203.0.113.7");
            hit(speck, pixel, "192.0.2.9");
            List<JsonNode> stored = speck.awaitEvents(pixel.id(), 2);

            JsonNode report = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixel.id() + "/hours").body());

            long events = 0;
            for (JsonNode hour : report.get("hours")) {
                assertThat(hour.get("hour").asInt()).isBetween(0, 23);
                events += hour.get("events").asLong();
            }
            assertThat(events).isEqualTo(2);
            assertThat(report.get("hours").size()).as("London and Sydney are never in the same hour")
                    .isEqualTo(2);
            assertThat(stored).extracting(e -> e.get("local_hour").asInt()).doesNotContainNull();
            assertThat(report.path("attribution").path("text").asText()).isEqualTo("IP Geolocation by DB-IP");
        }
    }

    @Test
    void withoutAGeoDatabaseResponsesCarryNoAttribution() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(directory.resolve("empty"), Map.of())) {
            Pixel pixel = speck.createPixel("Shop", List.of());

            JsonNode events = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixel.id() + "/events").body());

            assertThat(events.has("attribution")).isFalse();
            assertThat(speck.get("/").body()).doesNotContain("DB-IP");
        }
    }
}
