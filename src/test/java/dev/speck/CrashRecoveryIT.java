package dev.speck;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.http.Responses;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's promise, end to end: a hit Speck acknowledged survives {@code kill -9} of the
 * process and is stored exactly once after a restart. Speck runs as a separate JVM so that it can
 * really be killed.
 */
class CrashRecoveryIT {

    private static final int CLIENTS = 4;
    private static final int KILLS = 2;
    private static final int ACKS_PER_ROUND = 2000;

    @TempDir
    Path dir;
    private SpeckProcess speck;

    @AfterEach
    void killLeftovers() {
        if (speck != null) {
            speck.process.destroyForcibly();
        }
    }

    @Test
    void everyAcknowledgedHitSurvivesKillNineAndIsStoredExactlyOnce() throws Exception {
        long began = System.nanoTime();
        Path data = dir.resolve("data");
        speck = SpeckProcess.start(data, dir.resolve("speck.log"));
        String pixel = speck.createPixel("crash");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();

        for (int round = 0; round < KILLS; round++) {
            if (round > 0) {
                speck = SpeckProcess.start(data, dir.resolve("speck.log"));
            }
            log(began, "serving in round " + round);
            int target = acknowledged.size() + ACKS_PER_ROUND;
            int thisRound = round;
            Load load = new Load(speck.port, pixel, "r" + round, sent, acknowledged, unexpected);
            load.start();
            await(() -> acknowledged.size() >= target || !unexpected.isEmpty(),
                    () -> target + " acknowledged hits in round " + thisRound + " (have " + acknowledged.size() + ")");
            load.killed.set(true);
            speck.kill();
            load.awaitStopped();
            log(began, "killed in round " + round + " with " + acknowledged.size() + " acknowledged");
            assertThat(unexpected).as("client failures before the kill").isEmpty();
        }

        speck = SpeckProcess.start(data, dir.resolve("speck.log"));
        log(began, "restarted for the last time");
        SpeckProcess last = speck;
        await(() -> last.metric("speck_journal_backlog_bytes") == 0, () -> "the loader to catch up with the journal");
        log(began, "loader caught up");
        speck.stop();
        log(began, "stopped");

        Map<String, Integer> stored = storedIds(data.resolve("speck.duckdb"), pixel);
        List<String> missing = acknowledged.stream().filter(id -> !stored.containsKey(id)).sorted().toList();
        List<String> twice = stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        long unacknowledgedButStored = stored.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
        System.out.printf("crash recovery: %d kills, %d sent, %d acknowledged, %d stored, %d stored unacknowledged%n",
                KILLS, sent.size(), acknowledged.size(), stored.size(), unacknowledgedButStored);

        assertThat(missing).as("acknowledged hits missing after the crashes").isEmpty();
        assertThat(twice).as("hits stored twice").isEmpty();
        assertThat(sent).containsAll(stored.keySet());
    }

    private static void log(long began, String what) {
        System.out.printf("crash recovery: %.1f s: %s%n", (System.nanoTime() - began) / 1e9, what);
    }

    private static Map<String, Integer> storedIds(Path database, String pixel) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT props['id'] AS id, count(*) FROM events WHERE pixel = ? GROUP BY id")) {
            ps.setString(1, pixel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return ids;
    }

    /** Clients that send image hits with unique ids over kept-alive connections until the server goes away. */
    private static final class Load {
        final AtomicBoolean killed = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Load(int port, String pixel, String round, Set<String> sent, Set<String> acknowledged,
             List<Throwable> unexpected) {
            for (int t = 0; t < CLIENTS; t++) {
                String prefix = round + "-c" + t + "-";
                threads.add(new Thread(() -> {
                    try (RawHttp http = new RawHttp(port)) {
                        for (int n = 0; ; n++) {
                            String id = prefix + n;
                            sent.add(id);
                            RawHttp.Response r = http.get("/p/" + pixel + ".gif?k=event&n=crash&p.id=" + id);
                            if (r.status() == 200 && "image/gif".equals(r.header("Content-Type"))
                                    && java.util.Arrays.equals(r.body(), Responses.GIF)) {
                                acknowledged.add(id);
                            } else if (!killed.get()) {
                                unexpected.add(new AssertionError("answer " + r.status() + " " + r.text()));
                                return;
                            }
                        }
                    } catch (IOException e) {
                        if (!killed.get()) {
                            unexpected.add(e);
                        }
                    }
                }, "crash-client-" + t));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void awaitStopped() throws InterruptedException {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as(t.getName() + " stopped after the kill").isFalse();
            }
        }
    }

    /** Speck in a JVM of its own, started from the test class path. */
    private static final class SpeckProcess {
        private static final ObjectMapper JSON = new ObjectMapper();
        final Process process;
        final int port;
        private final Path log;

        private SpeckProcess(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        private String credentials;

        static SpeckProcess start(Path data, Path log) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx384m",
                    "-cp", System.getProperty("java.class.path"), "dev.speck.Speck",
                    "serve", "--port", Integer.toString(port), "--data-dir", data.toString(),
                    "--set", "http.host=127.0.0.1", "--set", "journal.segment-size=1MB",
                    "--set", "enrich.geo-auto-install=false",
                    "--set", "access.admin-password=" + RunningSpeck.ADMIN_PASSWORD)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            SpeckProcess speck = new SpeckProcess(pb.start(), port, log);
            await(speck::healthy, () -> "Speck to answer /healthz on port " + port + "; log:\n" + speck.logTail());
            return speck;
        }

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
        String credentials() throws IOException {
            if (credentials != null) {
                return credentials;
            }
            RawHttp.Response r = RawHttp.once(port, "POST", "/api/session", "Content-Type: application/json\r\n",
                    ("{\"user\":\"admin\",\"password\":\"" + RunningSpeck.ADMIN_PASSWORD + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            credentials = "Cookie: " + r.header("Set-Cookie").split(";", 2)[0] + "\r\nX-CSRF-Token: "
                    + JSON.readTree(r.body()).get("csrfToken").asText() + "\r\n";
            return credentials;
        }

        String createPixel(String name) throws IOException {
            RawHttp.Response r = RawHttp.once(port, "POST", "/api/pixels", "Content-Type: application/json\r\n" + credentials(),
                    ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            return JSON.readTree(r.body()).get("id").asText();
        }

        double metric(String name) {
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

        /** SIGKILL: no shutdown hook, no drain; only what the journal holds survives. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Speck killed").isTrue();
        }

        /** SIGTERM: the shutdown hook stores what the journal holds and closes the store. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Speck stopped; log:\n" + logTail()).isTrue();
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> description)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + description.get());
            }
            Thread.sleep(50);
        }
    }
}
