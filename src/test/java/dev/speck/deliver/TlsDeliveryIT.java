package dev.speck.deliver;

import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.DuckDbOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over TLS the attempt connects to the checked address and still checks the certificate against
 * the name: a certificate for "localhost" only (no address in it) is accepted for https://localhost
 * (sent to 127.0.0.1 with SNI localhost) and refused for https://127.0.0.1.
 */
class TlsDeliveryIT {

    @Test
    void theCertificateIsCheckedAgainstTheNameWhileTheConnectionGoesToTheCheckedAddress(@TempDir Path dir)
            throws Exception {
        KeyStore keys = localhostOnly(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("receiver", keys.getCertificate("receiver"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        try (Receiver receiver = new Receiver(r -> 200, server);
             DuckDbDatabase database = DuckDbDatabase.open(dir.resolve("data"), "128MB", 1)) {
            DuckDbOutbox outbox = new DuckDbOutbox(database);
            try (Deliverer deliverer = new Deliverer(outbox, DelivererIT.settings(Duration.ofMillis(300),
                    List.of("127.0.0.1/32")), client).start()) {
                outbox.enqueue(Delivery.of("tr_tls:name", "tr_tls", null, "https://localhost:" + receiver.port() + "/hook",
                        "POST", Map.of(), "{}", Instant.now()));
                outbox.enqueue(Delivery.of("tr_tls:ip", "tr_tls", null, "https://127.0.0.1:" + receiver.port() + "/hook",
                        "POST", Map.of(), "{}", Instant.now()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (outbox.get("tr_tls:ip").orElseThrow().status() == Delivery.Status.PENDING
                        || outbox.get("tr_tls:name").orElseThrow().status() == Delivery.Status.PENDING) {
                    assertThat(System.nanoTime()).as("both deliveries ended").isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
            assertThat(outbox.get("tr_tls:name").orElseThrow().status()).isEqualTo(Delivery.Status.DELIVERED);
            assertThat(receiver.requests("tr_tls:name").getFirst().header("Host"))
                    .isEqualTo("localhost:" + receiver.port());
            assertThat(outbox.get("tr_tls:ip").orElseThrow().status()).isEqualTo(Delivery.Status.DEAD);
            assertThat(outbox.attempts("tr_tls:ip").getFirst().error()).contains("No subject alternative names matching IP address 127.0.0.1");
            assertThat(receiver.requests("tr_tls:ip")).isEmpty();
        }
    }

    /** A key and a self-signed certificate whose only name is DNS:localhost. */
    private static KeyStore localhostOnly(Path dir) throws Exception {
        Path store = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-keysize", "256", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(120, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(output).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }
}
