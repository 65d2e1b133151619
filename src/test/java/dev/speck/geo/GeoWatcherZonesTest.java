package dev.speck.geo;

import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.enrich.GeoFixtures;
import dev.speck.enrich.ZoneSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A database installed on first start without its places' zones gets them from a later 'geo update', live. */
class GeoWatcherZonesTest {

    @TempDir
    Path directory;

    private GeoFolder installWithoutZones() throws Exception {
        GeoFolder folder = GeoFolder.in(directory.resolve("data"));
        Path may = GeoFixtures.writeDbIp(directory.resolve("may"), false);
        new GeoUpdater(folder, List.of(new ConfiguredSource(may.toString(), HttpClient.newHttpClient())),
                new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC()).update();
        return folder;
    }

    @Test
    void zonesWrittenBesideTheDatabaseInUseAreServedWithoutARestart() throws Exception {
        GeoFolder folder = installWithoutZones();
        Enricher enricher = Enricher.create(EnricherSettings.defaults(null, directory.resolve("salts")));
        try (GeoWatcher watcher = new GeoWatcher(folder, enricher)) {
            assertThat(watcher.check()).isTrue();
            assertThat(enricher.geoPlaceZones()).isFalse();
            assertThat(watcher.check()).isFalse();

            ZoneSidecar.build(folder.databaseOf(folder.current().orElseThrow()), new PrintStream(OutputStream.nullOutputStream()));

            assertThat(watcher.check()).isTrue();
            assertThat(enricher.geoPlaceZones()).isTrue();
            assertThat(enricher.locate("198.51.100.7").timeZone()).isEqualTo("America/Los_Angeles");
            assertThat(watcher.check()).isFalse();
        }
    }

    @Test
    void aZoneFileThatCannotBeUsedIsTriedOnceNotAtEveryCheck() throws Exception {
        GeoFolder folder = installWithoutZones();
        Enricher enricher = Enricher.create(EnricherSettings.defaults(null, directory.resolve("salts")));
        try (GeoWatcher watcher = new GeoWatcher(folder, enricher)) {
            assertThat(watcher.check()).isTrue();
            Files.write(ZoneSidecar.fileOf(folder.databaseOf(folder.current().orElseThrow())), new byte[] {1, 2, 3});

            assertThat(watcher.check()).isTrue();
            assertThat(enricher.geoPlaceZones()).isFalse();
            assertThat(watcher.check()).isFalse();
            assertThat(enricher.locate("198.51.100.7").timeZone()).isEqualTo("America/Los_Angeles");
        }
    }
}
