package dev.speck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RunningSpeck;
import dev.speck.testing.SpeckProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** speck backup and speck restore: a restored folder answers the same reports, with no hit lost or counted twice. */
class BackupRestoreIT {

    @TempDir
    Path dir;

    @Test
    void aBackupTakenWhileSpeckServesHoldsEveryHitAcknowledgedBeforeItOnce() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("restored");
        String pixel;
        String statsBefore;
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            pixel = speck.createPixel("Shop", List.of()).id();
            sendHits(speck, pixel, 0, 200);
            speck.awaitEvents(pixel, 200);
            sendHits(speck, pixel, 200, 250); // acknowledged: in the journal, maybe not stored yet

            // another process, as an operator runs it: the running Speck holds the store's lock
            Process cli = SpeckProcess.start("backup", "--data-dir", data.toString(), "--to", backup.toString());
            assertThat(cli.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String output = new String(cli.getInputStream().readAllBytes());
            assertThat(cli.exitValue()).as(output).isZero();
            assertThat(output).contains("while Speck ran");

            speck.awaitEvents(pixel, 250);
            statsBefore = speck.get("/api/pixels/" + pixel + "/stats").body();
        }
        assertThat(Files.exists(backup.resolve("geo"))).isFalse();

        assertThat(run("restore", "--from", backup.toString(), "--data-dir", restored.toString())).isZero();
        try (RunningSpeck speck = RunningSpeck.start(restored, Map.of())) {
            speck.awaitEvents(pixel, 250);
            assertThat(speck.get("/api/pixels/" + pixel + "/stats").body()).isEqualTo(statsBefore);
            sendHits(speck, pixel, 250, 251); // a marker after the replay's hits
            List<JsonNode> events = speck.awaitEvents(pixel, 251);
            assertThat(events).hasSize(251);
            assertThat(distinctUrls(events)).as("no hit counted twice").isEqualTo(251);
        }
    }

    @Test
    void aBackupOfAStoppedSpeckRestoresToTheSameReport() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("restored");
        String pixel;
        String stats;
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            pixel = speck.createPixel("Shop", List.of()).id();
            sendHits(speck, pixel, 0, 120);
            speck.awaitEvents(pixel, 120);
            stats = speck.get("/api/pixels/" + pixel + "/stats").body();
        }

        StringWriter out = new StringWriter();
        assertThat(run(out, "backup", "--data-dir", data.toString(), "--to", backup.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("Speck was stopped");
        assertThat(run("restore", "--from", backup.toString(), "--data-dir", restored.toString())).isZero();

        try (RunningSpeck speck = RunningSpeck.start(restored, Map.of())) {
            assertThat(speck.awaitEvents(pixel, 120)).hasSize(120);
            assertThat(speck.get("/api/pixels/" + pixel + "/stats").body()).isEqualTo(stats);
        }
    }

    @Test
    void restoreRefusesAFolderThatAlreadyHoldsAStore() throws Exception {
        Path data = dir.resolve("data");
        RunningSpeck.start(data, Map.of()).close();
        assertThat(run("backup", "--data-dir", data.toString(), "--to", dir.resolve("backup").toString())).isZero();

        StringWriter out = new StringWriter();
        assertThat(run(out, "restore", "--from", dir.resolve("backup").toString(), "--data-dir", data.toString()))
                .isNotZero();
        assertThat(out.toString()).contains("already holds a store");
    }

    private static void sendHits(RunningSpeck speck, String pixel, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            int status = speck.anonymous().get("/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example%2Fpage-" + i,
                    "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0").statusCode();
            assertThat(status).isEqualTo(200);
        }
    }

    private static int distinctUrls(List<JsonNode> events) {
        List<String> urls = new ArrayList<>();
        events.forEach(e -> urls.add(e.path("url").asText()));
        return new HashSet<>(urls).size();
    }

    private static int run(String... args) {
        return run(new StringWriter(), args);
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(new Speck());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }
}
