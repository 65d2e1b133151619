package dev.speck.deliver;

import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbOutbox;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import dev.speck.testing.SpeckProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speck in a process of its own, killed with SIGKILL while the receiver holds a delivery's request
 * open: after the restart the receiver gets the same delivery again, with the same idempotency key,
 * and once it answers 200 the delivery is delivered, and sent no more.
 */
class DeliveryCrashIT {

    @Test
    void aKillDuringAnAttemptMeansTheSameKeyAgainAfterRestartAndThenDeliveredOnce(@TempDir Path data) throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        try (Receiver receiver = new Receiver(r -> {
            if (r.header("Speck-Delivery-Attempt").equals("1")) {
                try {
                    released.await(5, TimeUnit.MINUTES); // held open while Speck is killed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 200;
        })) {
            String key = "tr_crash:42";
            try (DuckDbDatabase database = DuckDbDatabase.open(data, "128MB", 1)) {
                new DuckDbOutbox(database).enqueue(Delivery.of(key, "tr_crash", "c_1", receiver.url("/hook"), "POST",
                        Map.of(), "{\"goal\":\"Purchase\",\"value\":\"49.90\"}", Instant.now()));
            }

            Process first = start(data, new int[1]);
            try {
                await(() -> receiver.requests(key).size() == 1, "the first attempt to reach the receiver", first);
                first.destroyForcibly(); // kill -9: no shutdown hook, the attempt never recorded
                assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                first.destroyForcibly();
            }

            int[] port = new int[1];
            Process second = start(data, port);
            try {
                await(() -> receiver.requests(key).size() == 2, "the attempt after the restart", second);
                await(() -> healthy(port[0]), "Speck to have started (its shutdown hook is set then)", second);
                second.destroy(); // SIGTERM: the attempt under way is recorded before the store closes
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                second.destroyForcibly();
                released.countDown();
            }

            assertThat(receiver.requests(key)).extracting(r -> r.header("Speck-Delivery-Attempt"))
                    .containsExactly("1", "2");
            try (DuckDbDatabase database = DuckDbDatabase.open(data, "128MB", 1)) {
                DuckDbOutbox outbox = new DuckDbOutbox(database);
                assertThat(outbox.get(key).orElseThrow().status()).isEqualTo(Delivery.Status.DELIVERED);
                assertThat(outbox.attempts(key)).extracting(Attempt::outcome)
                        .containsExactly(Attempt.Outcome.INTERRUPTED, Attempt.Outcome.DELIVERED);
                assertThat(outbox.enqueue(Delivery.of(key, "tr_crash", "c_1", receiver.url("/hook"), "POST", Map.of(),
                        "{}", Instant.now()))).as("the journal replayed: the same key again").isFalse();
            }
        }
    }

    private static Process start(Path data, int[] portOut) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        portOut[0] = port;
        Process p = SpeckProcess.start("serve", "--port", Integer.toString(port), "--data-dir", data.toString(),
                "--set", "http.host=127.0.0.1", "--set", "journal.segment-size=1MB",
                "--set", "enrich.geo-auto-install=false", "--set", "access.admin-password=" + RunningSpeck.ADMIN_PASSWORD,
                "--set", "deliver.allow-private=127.0.0.1/32", "--set", "deliver.retry-base=100ms");
        Thread.ofPlatform().daemon().start(() -> drain(p.getInputStream())); // its output must not fill the pipe
        return p;
    }

    private static boolean healthy(int port) {
        try {
            return RawHttp.once(port, "GET", "/healthz", "", null).status() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(System.out);
        } catch (java.io.IOException e) {
            // the process ended
        }
    }

    private static void await(BooleanSupplier condition, String what, Process speck) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (!speck.isAlive()) {
                throw new AssertionError("Speck exited with " + speck.exitValue() + " before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
