package dev.speck.deliver;

import dev.speck.config.SpeckConfig;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbOutbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The deliverer against a real receiver over HTTP and the real DuckDB outbox. */
class DelivererIT {

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private DuckDbDatabase database;
    private DuckDbOutbox outbox;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private Receiver receiver(java.util.function.Function<Receiver.Request, Integer> answer) throws Exception {
        Receiver r = new Receiver(answer);
        open.add(r);
        return r;
    }

    private DuckDbOutbox openStore() {
        database = DuckDbDatabase.open(data, "128MB", 1);
        open.add(database);
        outbox = new DuckDbOutbox(database);
        return outbox;
    }

    static SpeckConfig.Deliver settings(Duration horizon, List<String> allow) {
        return new SpeckConfig.Deliver(Duration.ofSeconds(10), Duration.ofMillis(100), horizon, 100, 4, allow);
    }

    private Deliverer start(SpeckConfig.Deliver settings) {
        Deliverer d = new Deliverer(outbox, settings).start();
        open.add(d);
        return d;
    }

    private Deliverer startAllowingLoopback() {
        return start(settings(Duration.ofMinutes(5), List.of("127.0.0.1/32")));
    }

    private static Delivery delivery(String key, String customer, String url) {
        return Delivery.of(key, "tr_test", customer, url, "POST", Map.of("X-Shop", "demo"),
                "{\"key\":\"" + key + "\",\"email\":\"ana@example.com\"}", Instant.now());
    }

    private Delivery.Status status(String key) {
        return outbox.get(key).orElseThrow().status();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aDeliveryIsSignedWithItsTargetsSecretAndCarriesItsKeyAttemptAndHeaders() throws Exception {
        Receiver receiver = receiver(r -> 200);
        openStore();
        startAllowingLoopback();
        Delivery d = delivery("tr_test:1", "c_1", receiver.url("/hooks/speck?shop=1"));
        assertThat(outbox.enqueue(d)).isTrue();

        await(() -> status(d.key()) == Delivery.Status.DELIVERED, "the delivery");
        Receiver.Request r = receiver.requests().getFirst();
        String secret = outbox.secret(Delivery.endpoint(d.url()));
        assertThat(Signature.verifies(secret, r.header("Speck-Signature"), r.body())).isTrue();
        assertThat(Signature.verifies(Signature.newSecret(), r.header("Speck-Signature"), r.body())).isFalse();
        assertThat(Signature.verifies(secret, r.header("Speck-Signature"), r.body() + " ")).isFalse();
        assertThat(r.header("Speck-Signature")).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(r.key()).isEqualTo("tr_test:1");
        assertThat(r.header("Speck-Delivery-Attempt")).isEqualTo("1");
        assertThat(r.header("X-Shop")).isEqualTo("demo");
        assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + r.header("Host").split(":")[1]);
        assertThat(r.path()).isEqualTo("/hooks/speck?shop=1");
        List<Attempt> log = outbox.attempts(d.key());
        assertThat(log).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.excerpt()).isEqualTo("{\"received\":\"tr_test:1\"}");
            assertThat(a.latencyMs()).isNotNull();
        });
    }

    @Test
    void aReceiverFailingTwiceGetsThreeAttemptsWithGrowingWaitsAndTheDeliveryEndsDelivered() throws Exception {
        Receiver receiver = receiver(r -> r.header("Speck-Delivery-Attempt").equals("3") ? 200 : 500);
        openStore();
        startAllowingLoopback();
        Delivery d = delivery("tr_test:2", null, receiver.url("/hook"));
        outbox.enqueue(d);

        await(() -> status(d.key()) == Delivery.Status.DELIVERED, "the third attempt");
        assertThat(receiver.requests(d.key())).extracting(r -> r.header("Speck-Delivery-Attempt"))
                .containsExactly("1", "2", "3");
        List<Attempt> log = outbox.attempts(d.key());
        assertThat(log).extracting(Attempt::statusCode).containsExactly(500, 500, 200);
        assertThat(log).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.FAILED,
                Attempt.Outcome.DELIVERED);
        assertThat(log.get(1).retryInMs()).isGreaterThan(log.get(0).retryInMs());
        assertThat(log.get(2).retryInMs()).isNull();
        assertThat(log.get(1).started()).isAfter(log.get(0).started());
    }

    @Test
    void aReceiverThatAlwaysFailsMakesADeadLetterAfterTheHorizonWhichReDeliveryThenDelivers() throws Exception {
        Receiver receiver = receiver(r -> 503);
        openStore();
        Deliverer deliverer = start(settings(Duration.ofMillis(1500), List.of("127.0.0.1/32")));
        Delivery d = delivery("tr_test:3", null, receiver.url("/hook"));
        outbox.enqueue(d);

        await(() -> status(d.key()) == Delivery.Status.DEAD, "the dead letter");
        int attempts = receiver.requests(d.key()).size();
        List<Attempt> log = outbox.attempts(d.key());
        assertThat(log).hasSize(attempts).allSatisfy(a -> assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED));
        assertThat(log.getLast().retryInMs()).as("none after the horizon").isNull();
        assertThat(log.subList(0, attempts - 1)).allSatisfy(a -> assertThat(a.retryInMs()).isNotNull());
        assertThat(outbox.list(null, Delivery.Status.DEAD, null, 10)).extracting(Delivery::key).containsExactly(d.key());

        receiver.answer(r -> 200);
        assertThat(outbox.redeliver(d.key(), Instant.now())).isTrue();
        deliverer.wake();
        await(() -> status(d.key()) == Delivery.Status.DELIVERED, "the re-delivery");
        assertThat(receiver.requests(d.key())).hasSize(attempts + 1)
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(d.key()));
        assertThat(outbox.redeliver(d.key(), Instant.now())).as("only a dead letter is re-delivered").isFalse();
    }

    @Test
    void aKeyEnqueuedTwiceIsDeliveredOnce() throws Exception {
        Receiver receiver = receiver(r -> 200);
        openStore();
        Delivery d = delivery("tr_test:4", "c_4", receiver.url("/hook"));
        assertThat(outbox.enqueue(d)).isTrue();
        assertThat(outbox.enqueue(delivery("tr_test:4", "c_4", receiver.url("/other")))).isFalse();
        startAllowingLoopback();

        await(() -> status(d.key()) == Delivery.Status.DELIVERED, "the delivery");
        assertThat(outbox.enqueue(d)).as("a replay after delivery").isFalse();
        Delivery later = delivery("tr_test:5", "c_4", receiver.url("/hook"));
        outbox.enqueue(later);
        await(() -> status(later.key()) == Delivery.Status.DELIVERED, "a later delivery");
        assertThat(receiver.requests(d.key())).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/hook"));
    }

    @Test
    void targetsOnLoopbackPrivateAndMetadataAddressesAreRefusedWithoutAConnection() throws Exception {
        Receiver receiver = receiver(r -> 200);
        openStore();
        start(settings(Duration.ofMinutes(5), List.of()));
        Map<String, String> refused = Map.of("tr_test:lo", receiver.url("/hook"),
                "tr_test:ten", "http://10.1.2.3/hook", "tr_test:meta", "http://169.254.169.254/latest/meta-data/",
                "tr_test:v6", "http://[::1]:" + receiver.url("").split(":")[2] + "/hook");
        refused.forEach((key, url) -> outbox.enqueue(delivery(key, null, url)));

        await(() -> refused.keySet().stream().allMatch(k -> status(k) == Delivery.Status.DEAD), "the refusals");
        assertThat(receiver.requests()).isEmpty();
        assertThat(outbox.attempts("tr_test:lo")).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
            assertThat(a.error()).contains("127.0.0.1 is a loopback address").contains("deliver.allow-private");
            assertThat(a.statusCode()).isNull();
        });
        assertThat(outbox.attempts("tr_test:ten").getFirst().error()).contains("10.1.2.3 is a private address");
        assertThat(outbox.attempts("tr_test:meta").getFirst().error()).contains("169.254.169.254 is a link-local");
        assertThat(outbox.attempts("tr_test:v6").getFirst().error()).contains("is a loopback address");
    }

    @Test
    void oneCustomersDeliveriesGoOutInEnqueueOrderWhileTheFirstIsRetried() throws Exception {
        Receiver receiver = receiver(r -> r.key().equals("tr_test:a1") && !r.header("Speck-Delivery-Attempt").equals("4")
                ? 500 : 200);
        openStore();
        outbox.enqueue(delivery("tr_test:a1", "c_a", receiver.url("/hook")));
        outbox.enqueue(delivery("tr_test:a2", "c_a", receiver.url("/hook")));
        outbox.enqueue(delivery("tr_test:b1", "c_b", receiver.url("/hook")));
        outbox.enqueue(delivery("tr_test:a3", "c_a", receiver.url("/hook")));
        startAllowingLoopback();

        await(() -> status("tr_test:a3") == Delivery.Status.DELIVERED, "the customer's last delivery");
        List<String> customerA = receiver.requests().stream().map(Receiver.Request::key)
                .filter(k -> k.startsWith("tr_test:a")).toList();
        assertThat(customerA).containsExactly("tr_test:a1", "tr_test:a1", "tr_test:a1", "tr_test:a1", "tr_test:a2",
                "tr_test:a3");
        assertThat(status("tr_test:b1")).isEqualTo(Delivery.Status.DELIVERED);
    }

    @Test
    void aRestartKeepsPendingDeliveriesAndMakesAnInterruptedAttemptAgainWithTheSameKey() throws Exception {
        Receiver receiver = receiver(r -> 200);
        openStore();
        outbox.enqueue(delivery("tr_test:r1", "c_r", receiver.url("/hook")));
        outbox.enqueue(delivery("tr_test:r2", "c_r", receiver.url("/hook")));
        // a crash in the middle of the first attempt: claimed (and maybe sent), never recorded
        assertThat(outbox.claim("tr_test:r1", Instant.now(), Instant.now().plusSeconds(3600))).contains(1);
        database.close();
        open.remove(database);

        openStore();
        startAllowingLoopback();
        await(() -> status("tr_test:r2") == Delivery.Status.DELIVERED, "both deliveries after the restart");
        assertThat(status("tr_test:r1")).isEqualTo(Delivery.Status.DELIVERED);
        assertThat(receiver.requests()).extracting(Receiver.Request::key).containsExactly("tr_test:r1", "tr_test:r2");
        assertThat(receiver.requests("tr_test:r1").getFirst().header("Speck-Delivery-Attempt")).isEqualTo("2");
        assertThat(outbox.attempts("tr_test:r1")).extracting(Attempt::outcome)
                .containsExactly(Attempt.Outcome.INTERRUPTED, Attempt.Outcome.DELIVERED);
    }

    @Test
    void anErasedCustomersDeliveriesAreDropped() throws Exception {
        openStore();
        outbox.enqueue(delivery("tr_test:e1", "c_gone", "https://hooks.example.com/a"));
        outbox.enqueue(delivery("tr_test:e2", "c_gone", "https://hooks.example.com/a"));
        outbox.enqueue(delivery("tr_test:e3", "c_kept", "https://hooks.example.com/a"));
        outbox.claim("tr_test:e1", Instant.now(), Instant.now().plusSeconds(60));

        assertThat(outbox.forgetCustomer("c_gone")).isEqualTo(2);
        assertThat(outbox.get("tr_test:e1")).isEmpty();
        assertThat(outbox.attempts("tr_test:e1")).isEmpty();
        assertThat(outbox.list("tr_test", null, null, 10)).extracting(Delivery::key).containsExactly("tr_test:e3");
    }
}
