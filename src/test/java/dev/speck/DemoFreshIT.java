package dev.speck;

import dev.speck.testing.RunningSpeck;
import dev.speck.testing.SpeckProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code speck demo --fresh} empties a demo's folder only when no Speck runs on it. */
class DemoFreshIT {

    @TempDir
    Path dir;

    @Test
    void freshRefusesInOneLineNamingTheRunningSpeckAndLeavesItsDataAsItWas() throws Exception {
        Path data = dir.resolve("demo-data");
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            String pixel = speck.createPixel("Demo shop", List.of()).id();
            int status = speck.anonymous().get("/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example%2F",
                    "User-Agent", RunningSpeck.BROWSER).statusCode();
            assertThat(status).isEqualTo(200);
            speck.awaitEvents(pixel, 1);
            Files.writeString(data.resolve("demo-seeded.txt"), "7 days of traffic were replayed\n"); // a demo's folder

            // another process, as a second terminal runs it
            Process demo = SpeckProcess.start("demo", "--fresh", "--exit", "--data-dir", data.toString(), "--port", "0",
                    "--days", "1", "--visits-per-day", "1");
            assertThat(demo.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(demo.exitValue()).as(output).isEqualTo(1);
            // the JVM's own warnings aside (./speck passes --enable-native-access; this JVM does not): one line, no trace
            assertThat(output.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).toList()).as(output).containsExactly("speck: a Speck (process " + ProcessHandle.current().pid() + ") is running on "
                            + data.toAbsolutePath() + "; stop it first (Ctrl-C where it runs, or kill "
                            + ProcessHandle.current().pid() + "), then run demo --fresh again");
            assertThat(output).doesNotContain("\tat ");
            assertThat(data.resolve("demo-seeded.txt")).isRegularFile();
            assertThat(data.resolve("speck.duckdb")).isRegularFile();
            assertThat(speck.events(pixel)).hasSize(1);
        }
    }
}
