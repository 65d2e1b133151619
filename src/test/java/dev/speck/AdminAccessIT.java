package dev.speck;

import dev.speck.access.Users;
import dev.speck.config.ConfigLoader;
import dev.speck.config.SpeckConfig;
import dev.speck.store.duckdb.DuckDbEngine;
import dev.speck.testing.RunningSpeck;
import dev.speck.testing.SpeckProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Admin access that cannot be lost, and starts that fail say why in one line before making anything. */
class AdminAccessIT {

    private static final Pattern PRINTED = Pattern.compile("is now: (\\S+)");

    @TempDir
    Path dir;

    @Test
    void aResetWhileSpeckRunsIsTakenWithinSecondsAndRecordedInTheAuditTrail() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of())) {
            // another process, as an operator runs it: the running Speck holds the store's lock
            Process cli = SpeckProcess.start("admin", "reset-password", "--data-dir", dir.toString());
            assertThat(cli.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String output = new String(cli.getInputStream().readAllBytes());
            assertThat(cli.exitValue()).as(output).isZero();
            assertThat(output).contains("Speck is running on");
            String password = printedPassword(output);

            speck.signIn("admin", password); // throws unless the new password works
            assertThat(speck.get("/api/audit").body()).contains("user.reset-password");
        }
    }

    @Test
    void aStoppedSpeckGetsTheNewPasswordFromTheCommandAtOnce() throws Exception {
        RunningSpeck.start(dir, Map.of()).close();

        StringWriter output = new StringWriter();
        assertThat(resetPassword(output)).as(output.toString()).isZero();
        String password = printedPassword(output.toString());

        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of("access.admin-password", ""))) {
            speck.signIn("admin", password);
        }
    }

    @Test
    void aStartThatFailsOnABusyPortSaysWhichPortAndMakesNoAdmin() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SpeckConfig config = new ConfigLoader().set("data-dir", dir.toString()).set("http.host", "127.0.0.1")
                    .set("http.port", Integer.toString(busy.getLocalPort())).set("journal.segment-size", "1MB").load();

            assertThatThrownBy(() -> Speck.start(config))
                    .isInstanceOf(StartupProblem.class)
                    .hasMessageContaining("port " + busy.getLocalPort() + " is already in use")
                    .hasMessageContaining("--port");
        }
        DuckDbEngine engine = DuckDbEngine.open(dir, "64MB", 1, 0);
        try {
            assertThat(new Users(engine.access()).list()).as("the one showing of a generated password is not spent").isEmpty();
        } finally {
            engine.events().close();
            engine.database().close();
        }
    }

    @Test
    void aDataFolderThatCannotBeWrittenIsSaidInOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        SpeckConfig config = new ConfigLoader().set("data-dir", file.resolve("data").toString()).load();

        assertThatThrownBy(() -> StartupProblem.checkBeforeStart(config))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("cannot write to the data folder " + file.resolve("data"))
                .hasMessageContaining("--data-dir");
    }

    @Test
    void aMissingGeoFileIsSaidInOneLine() {
        SpeckConfig config = new ConfigLoader().set("data-dir", dir.toString())
                .set("enrich.geo-database", dir.resolve("GeoLite2-City.mmdb").toString()).load();

        assertThatThrownBy(() -> StartupProblem.checkBeforeStart(config))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("GeoLite2-City.mmdb does not exist")
                .hasMessageContaining("--geo-db");
    }

    @Test
    void anotherSpeckOnTheSameFolderIsNamedNotTraced() throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(dir, Map.of())) {
            Process second = SpeckProcess.start("serve", "--data-dir", dir.toString(), "--port", "0",
                    "--set", "enrich.geo-auto-install=false");
            boolean exited;
            String output = "";
            try {
                exited = second.waitFor(3, TimeUnit.MINUTES);
                if (exited) {
                    output = new String(second.getInputStream().readAllBytes());
                }
            } finally {
                second.destroyForcibly();
            }
            assertThat(exited).as("the second Speck stops at once").isTrue();
            assertThat(second.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("speck: another Speck (process " + ProcessHandle.current().pid() + ")")
                    .contains("is using the data folder").doesNotContain("Exception", "\tat ");
        }
    }

    private int resetPassword(StringWriter output) {
        CommandLine cli = new CommandLine(new Speck());
        cli.setOut(new PrintWriter(output, true));
        cli.setErr(new PrintWriter(output, true));
        return cli.execute("admin", "reset-password", "--data-dir", dir.toString());
    }

    private static String printedPassword(String output) {
        Matcher m = PRINTED.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }
}
