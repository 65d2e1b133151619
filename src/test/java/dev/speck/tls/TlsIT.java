package dev.speck.tls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.config.ConfigError;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import dev.speck.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Speck serving HTTPS itself, from PEM files made at test time, to a client that trusts only them. */
class TlsIT {

    private static final String HSTS = "Strict-Transport-Security";

    @TempDir
    Path dir;

    private Map<String, String> tls(TestCertificates.Pem pem, String... more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "http.tls-certificate", pem.certificate().toString(), "http.tls-key", pem.key().toString()));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void pixelBeaconConsoleAndApiAreServedOverHttpsWithHstsAndTheHitsAreStored() throws Exception {
        TestCertificates.Pem pem = TestCertificates.create(dir.resolve("tls"), "speck-rsa", "RSA");
        try (RunningSpeck speck = RunningSpeck.start(dir.resolve("data"), tls(pem))) {
            assertThat(speck.base()).startsWith("https://");
            Pixel p = speck.createPixel("shop", List.of("https://shop.example.com"));

            HttpResponse<byte[]> gif = speck.getBytes("/p/" + p.id() + ".gif?url=https%3A%2F%2Fshop.example.com%2F");
            HttpResponse<String> beacon = speck.post("/p/" + p.id() + "/events",
                    "{\"events\":[{\"type\":\"event\",\"name\":\"signup\",\"url\":\"https://shop.example.com/\"}]}",
                    "Content-Type", "text/plain;charset=UTF-8", "Origin", "https://shop.example.com");
            HttpResponse<String> console = speck.get("/console/");
            HttpResponse<String> server = speck.get("/api/server");

            assertThat(gif.statusCode()).isEqualTo(200);
            assertThat(gif.body()).hasSize(43);
            assertThat(beacon.statusCode()).isEqualTo(202);
            for (HttpResponse<?> r : List.of(gif, beacon, console, server)) {
                assertThat(r.sslSession()).isPresent();
                assertThat(r.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                assertThat(r.headers().firstValue(HSTS)).as(r.uri().getPath()).hasValue("max-age=31536000");
            }
            JsonNode info = JSON.readTree(server.body());
            assertThat(info.get("secure").asBoolean()).isTrue();
            assertThat(info.get("tls").asBoolean()).isTrue();
            assertThat(info.get("scheme").asText()).isEqualTo("https");
            assertThat(info.get("plainHttpWarning").isNull()).isTrue();
            JsonNode described = JSON.readTree(speck.get("/api/pixels/" + p.id()).body());
            assertThat(described.get("snippets").toString()).contains("https://127.0.0.1:" + speck.app().port() + "/p/");

            RunningSpeck.await(() -> count(speck, p) == 2, "both hits to be stored");
        }
    }

    @Test
    void plainHttpToTheHttpsPortGetsAClear400AndTheServerKeepsServing() throws Exception {
        TestCertificates.Pem pem = TestCertificates.create(dir.resolve("tls"), "speck-ec", "EC");
        try (RunningSpeck speck = RunningSpeck.start(dir.resolve("data"), tls(pem))) {
            Pixel p = speck.createPixel("shop", List.of());

            RawHttp.Response plain = RawHttp.once(speck.app().port(), "GET", "/p/" + p.id() + ".gif", "", null);

            assertThat(plain.status()).isEqualTo(400);
            assertThat(JSON.readTree(plain.text()).get("error").asText()).contains("HTTPS only");
            assertThat(plain.header(HSTS)).isNull();
            assertThat(speck.getBytes("/p/" + p.id() + ".gif").statusCode()).isEqualTo(200);
            RunningSpeck.await(() -> count(speck, p) == 1, "only the HTTPS hit to be stored");
            assertThat(speck.metric("speck_tls_certificate_expiry_seconds")).isGreaterThan(20 * 86400.0);
        }
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        TestCertificates.Pem first = TestCertificates.create(dir.resolve("tls"), "first", "RSA");
        TestCertificates.Pem renewed = TestCertificates.create(dir.resolve("renewal"), "renewed", "EC");
        TestCertificates.Pem broken = TestCertificates.create(dir.resolve("other"), "other", "RSA");
        try (RunningSpeck speck = RunningSpeck.start(dir.resolve("data"),
                tls(first, "http.tls-reload-interval", "100ms"))) {
            int port = speck.app().port();
            Path[] trusted = {Files.copy(first.certificate(), dir.resolve("trusted-first.crt")), renewed.certificate()};
            assertThat(servedSerial(port, trusted)).isEqualTo(first.x509().getSerialNumber());

            // A certificate without its key does not load: it is logged, and the previous one keeps serving.
            List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.logging.Logger log = java.util.logging.Logger.getLogger(ServerTls.class.getName());
            java.util.logging.Handler capture = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord r) {
                    warnings.add(r.getLevel() + " " + r.getMessage());
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            log.addHandler(capture);
            try {
                Files.copy(broken.certificate(), first.certificate(), StandardCopyOption.REPLACE_EXISTING);
                RunningSpeck.await(() -> warnings.stream().anyMatch(w -> w.contains("belongs to another certificate")),
                        "the mismatched pair to be refused");
            } finally {
                log.removeHandler(capture);
            }
            assertThat(warnings).allMatch(w -> w.startsWith("WARNING") && w.contains("still serving the previous"));
            assertThat(servedSerial(port, trusted)).isEqualTo(first.x509().getSerialNumber());

            // Then the renewal writes both files, as certbot's deploy hook would.
            Files.copy(renewed.key(), first.key(), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.certificate(), first.certificate(), StandardCopyOption.REPLACE_EXISTING);

            BigInteger expected = renewed.x509().getSerialNumber();
            RunningSpeck.await(() -> expected.equals(servedSerialOrNull(port, trusted)),
                    "the renewed certificate to be served");
        }
    }

    @Test
    void badCertificateOrKeyFilesStopTheStartWithAMessageNamingTheSettingAndTheFile() throws Exception {
        TestCertificates.Pem pem = TestCertificates.create(dir.resolve("tls"), "speck", "RSA");
        TestCertificates.Pem other = TestCertificates.create(dir.resolve("other"), "other", "EC");
        TestCertificates.Pem otherRsa = TestCertificates.create(dir.resolve("other-rsa"), "other-rsa", "RSA");
        Path missing = dir.resolve("missing.key");
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");

        assertStartFails(Map.of("http.tls-certificate", pem.certificate().toString(), "http.tls-key", missing.toString()),
                "http.tls-key='" + missing + "'", "no such file");
        assertStartFails(Map.of("http.tls-certificate", pem.key().toString(), "http.tls-key", pem.key().toString()),
                "http.tls-certificate='" + pem.key() + "'", "certificate chain");
        assertStartFails(Map.of("http.tls-certificate", pem.certificate().toString(), "http.tls-key", otherRsa.key().toString()),
                "http.tls-key='" + otherRsa.key() + "'", "belongs to another certificate");
        assertStartFails(Map.of("http.tls-certificate", pem.certificate().toString(), "http.tls-key", other.key().toString()),
                "http.tls-key='" + other.key() + "'", "RSA private key");
        assertStartFails(Map.of("http.tls-certificate", pem.certificate().toString(), "http.tls-key", pkcs1.toString()),
                "http.tls-key='" + pkcs1 + "'", "PKCS#1", "openssl pkcs8");
        assertStartFails(Map.of("http.tls-certificate", pem.certificate().toString()),
                "http.tls-key=(unset)", "needs both");
    }

    @Test
    void listeningBeyondLoopbackOnPlainHttpWithoutAProxyIsWarnedAtStart() throws Exception {
        TestCertificates.Pem pem = TestCertificates.create(dir.resolve("tls"), "speck", "RSA");
        assertThat(startWarnings("0.0.0.0", Map.of())).anyMatch(w -> w.contains("plain HTTP and no trusted proxy")
                && w.contains("http.tls-certificate") && w.contains("collect.trusted-proxies"));
        assertThat(startWarnings("127.0.0.1", Map.of())).noneMatch(w -> w.contains("plain HTTP"));
        assertThat(startWarnings("0.0.0.0", Map.of("collect.trusted-proxies", "127.0.0.1/32")))
                .noneMatch(w -> w.contains("plain HTTP"));
        assertThat(startWarnings("0.0.0.0", tls(pem))).noneMatch(w -> w.contains("plain HTTP"));
    }

    /** The warnings Speck logs while starting with these settings. */
    private List<String> startWarnings(String host, Map<String, String> settings) throws Exception {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PlainHttpWarning.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("http.host", host);
        try (RunningSpeck speck = RunningSpeck.start(dir.resolve("data-" + host + settings.size()), all)) {
            assertThat(speck.getBytes("/p/x.gif").statusCode()).isEqualTo(200);
        } finally {
            log.removeHandler(capture);
        }
        return warnings;
    }

    private void assertStartFails(Map<String, String> settings, String... messageParts) {
        assertThatThrownBy(() -> RunningSpeck.start(dir.resolve("data-fail"), settings).close())
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    }

    private static long count(RunningSpeck speck, Pixel p) {
        try {
            return speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + p.id() + "'");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The serial of the certificate a new connection is served (a fresh handshake, no session reuse). */
    private static BigInteger servedSerial(int port, Path... trusted) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCertificates.trusting(trusted).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static BigInteger servedSerialOrNull(int port, Path... trusted) {
        try {
            return servedSerial(port, trusted);
        } catch (Exception e) {
            return null;
        }
    }
}
