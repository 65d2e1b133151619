package dev.speck.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.SpeckApp;
import dev.speck.config.ConfigLoader;
import dev.speck.pixels.Pixel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The real Speck, in this JVM, on a free port with its own data folder: what integration tests
 * talk to over real sockets. Settings can be overridden per test.
 */
public final class RunningSpeck implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private SpeckApp app; // null once closed: tests keep RunningSpecks in static fields, a stopped app is let go
    private final HttpClient http;
    private final String scheme;

    private RunningSpeck(SpeckApp app, Map<String, String> settings) throws Exception {
        this.app = app;
        // With http.tls-certificate set, Speck speaks HTTPS only: the client trusts just that certificate.
        String certificate = settings.get("http.tls-certificate");
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (certificate != null) {
            b.sslContext(TestCertificates.trusting(Path.of(certificate))).version(HttpClient.Version.HTTP_1_1);
        }
        this.http = b.build();
        this.scheme = certificate == null ? "http" : "https";
    }

    /** Starts Speck on a free loopback port; {@code settings} are configuration keys such as collect.trusted-proxies. */
    public static RunningSpeck start(Path dataDir, Map<String, String> settings) throws Exception {
        ConfigLoader loader = new ConfigLoader()
                .set("data-dir", dataDir.toString())
                .set("http.host", "127.0.0.1")
                .set("http.port", "0")
                .set("http.event-loops", "2")
                .set("journal.segment-size", "1MB")
                .set("store.poll-interval", "50ms");
        settings.forEach(loader::set);
        SpeckApp app = SpeckApp.start(loader.load());
        try {
            return new RunningSpeck(app, settings);
        } catch (Exception e) {
            app.close();
            throw e;
        }
    }

    public SpeckApp app() {
        return app;
    }

    public String base() {
        return scheme + "://127.0.0.1:" + app.port();
    }

    public Pixel createPixel(String name, List<String> origins) {
        return app.pixels().createPixel(name, origins);
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method (PUT, PATCH, DELETE, ...) with an optional body (null: none). */
    public HttpResponse<String> request(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The stored events of a pixel, oldest first, through the read API. */
    public List<JsonNode> events(String pixel) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        HttpResponse<String> r = get("/api/pixels/" + pixel + "/events?limit=1000");
        JSON.readTree(r.body()).get("events").forEach(out::add);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Waits (up to a generous limit, never a fixed sleep) until the pixel has at least n stored events. */
    public List<JsonNode> awaitEvents(String pixel, int n) throws Exception {
        List<JsonNode>[] last = new List[]{List.of()};
        await(() -> {
            try {
                last[0] = events(pixel);
                return last[0].size() >= n;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "pixel " + pixel + " to have " + n + " stored events (has " + last[0].size() + ")");
        return last[0];
    }

    /** A SQL count on the store, e.g. "SELECT count(*) FROM events WHERE pixel = 'x'". */
    public long count(String sql) throws SQLException {
        try (Connection c = app.database().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public double metric(String line) throws IOException, InterruptedException {
        for (String l : get("/metrics").body().split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + line);
    }

    /** Polls a condition every 50 ms for up to 60 s; fails with the description. */
    public static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + description);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
            app = null;
        }
    }
}
