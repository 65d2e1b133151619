package dev.speck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk under the journal and the store: hits are refused (503, the beacon's answer for "not
 * now") rather than acknowledged and lost, and once there is room again Speck takes hits and stores
 * every acknowledged one, without a restart. The data folder is a small tmpfs of its own, so the
 * disk really is full (needs root and mount; skipped where the machine allows neither).
 */
class DiskFullIT {

    private static final String BROWSER =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String PAGE = "https://shop.example.com/" + "p".repeat(900);

    @TempDir
    Path dir;
    private Path disk;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(60, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeTrue(mounted, "mounting a tmpfs needs root: " + new String(mount.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    void aFullDiskRefusesHitsInsteadOfLosingThemAndSpeckRecoversWhenThereIsRoomAgain() throws Exception {
        Path filler = disk.resolve("filler");
        long acknowledged = 0;
        try (RunningSpeck speck = RunningSpeck.start(disk.resolve("data"), Map.of("journal.segment-size", "1MB"))) {
            String pixel = speck.createPixel("Shop", List.of()).id();
            acknowledged += send(speck, pixel, 0);
            awaitStored(speck, pixel, acknowledged);

            fill(filler);
            int refused = 0;
            for (int batch = 1; batch < 5_000 && refused == 0; batch++) {
                HttpResponse<String> r = post(speck, pixel, batch);
                if (r.statusCode() == 202) {
                    acknowledged += 20;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    // the events before the one that found no room are kept, and the answer says how many
                    acknowledged += RunningSpeck.JSON.readTree(r.body()).get("accepted").asLong();
                    refused++;
                }
            }
            assertThat(refused).as("a full disk refuses hits").isPositive();
            assertThat(speck.anonymous().get("/healthz").statusCode()).isEqualTo(503);

            Files.delete(filler);
            long accepted = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (int batch = 10_000; accepted == 0; batch++) {
                assertThat(System.nanoTime()).as("hits accepted again once there is room").isLessThan(deadline);
                HttpResponse<String> r = post(speck, pixel, batch);
                if (r.statusCode() == 202) {
                    accepted = 20;
                } else {
                    acknowledged += RunningSpeck.JSON.readTree(r.body()).get("accepted").asLong();
                    Thread.sleep(100);
                }
            }
            acknowledged += accepted;
            awaitStored(speck, pixel, acknowledged);
        }
    }

    private static long send(RunningSpeck speck, String pixel, int batch) throws Exception {
        assertThat(post(speck, pixel, batch).statusCode()).isEqualTo(202);
        return 20;
    }

    private static HttpResponse<String> post(RunningSpeck speck, String pixel, int batch) throws Exception {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 20; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"page_view\",\"url\":\"").append(PAGE).append("?b=")
                    .append(batch).append("&i=").append(i).append("\"}");
        }
        return speck.anonymous().post("/p/" + pixel + "/events", body.append("]}").toString(),
                "Content-Type", "text/plain;charset=UTF-8", "User-Agent", BROWSER);
    }

    /** Writes until the disk says no more. */
    private static void fill(Path filler) {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device: what this test wants
        }
    }

    private static void awaitStored(RunningSpeck speck, String pixel, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        long stored = -1;
        while (System.nanoTime() < deadline) {
            JsonNode days = RunningSpeck.JSON.readTree(speck.get("/api/pixels/" + pixel + "/stats").body()).get("days");
            stored = 0;
            for (JsonNode d : days) {
                stored += d.get("events").asLong();
            }
            assertThat(stored).as("never more than acknowledged (none counted twice)").isLessThanOrEqualTo(expected);
            if (stored == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stored " + stored + " of " + expected + " acknowledged events");
    }
}
