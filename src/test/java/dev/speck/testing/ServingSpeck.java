package dev.speck.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code speck serve} in a JVM of its own (as {@link SpeckProcess} starts one), for the fault tests:
 * it can be killed with SIGKILL at a moment its log or metrics name, and started again on the same
 * data folder. Its output goes to a log file the test reads.
 */
public final class ServingSpeck {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final Process process;
    public final int port;
    private final Path log;
    private String credentials;

    private ServingSpeck(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Speck on a free port over {@code data}, appending to {@code log}; {@code settings} as --set values. */
    public static ServingSpeck start(Path data, Path log, String... settings) throws Exception {
        ServingSpeck speck = launch(data, log, settings);
        await(speck::healthy, () -> "Speck to answer /healthz on port " + speck.port + "; log:\n" + speck.logTail());
        return speck;
    }

    /**
     * As {@link #start}, without waiting for Speck to serve: for a kill during what a start does
     * before it serves (the first rollup and retention runs begin then).
     */
    public static ServingSpeck launch(Path data, Path log, String... settings) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), "dev.speck.Speck",
                "serve", "--port", Integer.toString(port), "--data-dir", data.toString(),
                "--set", "http.host=127.0.0.1", "--set", "enrich.geo-auto-install=false",
                "--set", "access.admin-password=" + RunningSpeck.ADMIN_PASSWORD));
        for (String setting : settings) {
            command.add("--set");
            command.add(setting);
        }
        Files.writeString(log, "", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long logFrom = Files.size(log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServingSpeck speck = new ServingSpeck(process, port, log);
        speck.startedAt = logFrom;
        return speck;
    }

    /** Where in the log file this process's output begins. */
    private long startedAt;

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new AssertionError("Speck exited with " + process.exitValue() + "; log:\n" + logTail());
        }
        try {
            return RawHttp.once(port, "GET", "/healthz", "", null).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Signs in as the admin once: the cookie and CSRF token header lines for the API. */
    public String credentials() throws IOException {
        if (credentials == null) {
            RawHttp.Response r = RawHttp.once(port, "POST", "/api/session", "Content-Type: application/json\r\n",
                    ("{\"user\":\"admin\",\"password\":\"" + RunningSpeck.ADMIN_PASSWORD + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            credentials = "Cookie: " + r.header("Set-Cookie").split(";", 2)[0] + "\r\nX-CSRF-Token: "
                    + JSON.readTree(r.body()).get("csrfToken").asText() + "\r\n";
        }
        return credentials;
    }

    /** An API call as the admin; its JSON answer, after checking its status. */
    public JsonNode api(String method, String target, String json, int status) throws IOException {
        RawHttp.Response r = RawHttp.once(port, method, target, (json == null ? "" : "Content-Type: application/json\r\n")
                + credentials(), json == null ? null : json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(method + " " + target + ": " + r.text()).isEqualTo(status);
        return r.body().length == 0 ? null : JSON.readTree(r.body());
    }

    public String createPixel(String name) throws IOException {
        return api("POST", "/api/pixels", "{\"name\":\"" + name + "\"}", 201).get("id").asText();
    }

    /** A metric's value, NaN while Speck does not answer. */
    public double metric(String name) {
        try {
            for (String line : RawHttp.once(port, "GET", "/metrics", credentials(), null).text().split("\n")) {
                if (line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        throw new AssertionError("no metric " + name);
    }

    /** What this process has logged so far. */
    public String log() {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(startedAt, all.length), (int) Math.max(0, all.length - startedAt),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until this process has logged {@code text}. */
    public void awaitLog(String text) throws InterruptedException {
        await(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("Speck exited before logging \"" + text + "\"; log:\n" + logTail());
            }
            return log().contains(text);
        }, () -> "Speck to log \"" + text + "\"; log:\n" + logTail());
    }

    /** SIGKILL: no shutdown hook, no drain; only what the journal and the store's file hold survives. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Speck killed").isTrue();
    }

    /** SIGTERM: the shutdown hook stores what the journal holds and closes the store. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("Speck stopped; log:\n" + logTail()).isTrue();
    }

    public String logTail() {
        String[] lines = log().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    /** Waits for a condition, up to three minutes (a busy machine), checking every 20 ms. */
    public static void await(BooleanSupplier condition, Supplier<String> description) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + description.get());
            }
            Thread.sleep(20);
        }
    }
}
