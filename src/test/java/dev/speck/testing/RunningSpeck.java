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
    /** The first admin's password in tests (setting access.admin-password). */
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private SpeckApp app; // null once closed: tests keep RunningSpecks in static fields, a stopped app is let go
    private final HttpClient http;
    private final String scheme;
    /** Who get/post/request act as: the admin, signed in through the API, unless a test said otherwise. */
    private Client admin;

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
        return start(dataDir, settings, java.time.Clock.systemUTC());
    }

    /** As {@link #start(Path, Map)}, on the given clock (a test's clock that jumps). */
    public static RunningSpeck start(Path dataDir, Map<String, String> settings, java.time.Clock clock) throws Exception {
        ConfigLoader loader = new ConfigLoader()
                .set("data-dir", dataDir.toString())
                .set("http.host", "127.0.0.1")
                .set("http.port", "0")
                .set("http.event-loops", "2")
                .set("journal.segment-size", "1MB")
                .set("store.poll-interval", "50ms")
                .set("access.admin-password", ADMIN_PASSWORD);
        settings.forEach(loader::set);
        SpeckApp app = SpeckApp.start(loader.load(), clock);
        RunningSpeck speck;
        try {
            speck = new RunningSpeck(app, settings);
        } catch (Exception e) {
            app.close();
            throw e;
        }
        String password = settings.getOrDefault("access.admin-password", ADMIN_PASSWORD);
        try {
            speck.admin = password.isBlank() ? speck.anonymous() : speck.signIn("admin", password);
        } catch (Exception | AssertionError e) {
            speck.close();
            throw e;
        }
        return speck;
    }

    /** Requests without any credentials. */
    public Client anonymous() {
        return new Client(List.of());
    }

    /** Signs in through POST /api/session; the client then sends the session cookie and CSRF token. */
    public Client signIn(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = anonymous().post("/api/session",
                JSON.writeValueAsString(Map.of("user", user, "password", password)), "Content-Type", "application/json");
        if (r.statusCode() != 200) {
            throw new AssertionError("sign-in as " + user + " failed: " + r.statusCode() + " " + r.body());
        }
        return new Client(List.of("Cookie", sessionCookie(r), "X-CSRF-Token", JSON.readTree(r.body()).get("csrfToken").asText()));
    }

    /** The speck_session cookie (name=value) a response sets. */
    public static String sessionCookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("speck_session="))
                .map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + r.headers().map()));
    }

    /** A new user with this role (made directly, not through the API), signed in. */
    public Client as(dev.speck.access.Role role) throws IOException, InterruptedException {
        String name = role.wireName() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        app.access().users().create(name, role, "password-of-" + name);
        return signIn(name, "password-of-" + name);
    }

    /** A new API key (made directly): its secret; no pixels means all pixels. */
    public String createKey(dev.speck.access.KeyScope scope, String... pixels) {
        return app.access().keys().create("test key", scope, List.of(pixels), "test").secret();
    }

    /** Requests with an API key: Authorization: Bearer {secret}. */
    public Client withKey(String secret) {
        return new Client(List.of("Authorization", "Bearer " + secret));
    }

    /** The admin client that get/post/request use. */
    public Client admin() {
        return admin;
    }

    /** Sends requests with a fixed set of credential headers (none, a session, a key). */
    public final class Client {
        private final List<String> credentials;

        private Client(List<String> credentials) {
            this.credentials = credentials;
        }

        public HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
            return http.send(builder(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        public HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws IOException, InterruptedException {
            return http.send(builder(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
            return http.send(builder(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** Any method with an optional body (null: none). */
        public HttpResponse<String> request(String method, String path, String body, String... headers)
                throws IOException, InterruptedException {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            return http.send(builder(path, headers).method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Only the status of a request (the body is not waited for: fits streams such as the live view). */
        public int status(String method, String path, String body, String... headers)
                throws IOException, InterruptedException {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            HttpResponse<java.io.InputStream> r = http.send(builder(path, headers).method(method, publisher).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();
            return r.statusCode();
        }

        /** The credential headers as raw HTTP header lines, each ending in CRLF (for RawHttp). */
        public String rawCredentials() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < credentials.size(); i += 2) {
                out.append(credentials.get(i)).append(": ").append(credentials.get(i + 1)).append("\r\n");
            }
            return out.toString();
        }

        /** The credential headers this client adds (name, value, ...). */
        public List<String> credentials() {
            return credentials;
        }

        private HttpRequest.Builder builder(String pathAndQuery, String... headers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(30));
            if (headers.length > 0) {
                b.headers(headers);
            }
            if (!names("User-Agent", headers)) {
                b.header("User-Agent", BROWSER); // a person's browser: Java's own agent is set apart as a server's
            }
            if (!credentials.isEmpty() && !namesCredentials(headers)) {
                b.headers(credentials.toArray(String[]::new));
            }
            return b;
        }
    }

    /** The user agent of hits a test sends without one of its own: a desktop Chrome, counted as a person. */
    public static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Safari/537.36";

    private static boolean names(String name, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the test's own headers already say who is asking (then the default credentials stay out). */
    private static boolean namesCredentials(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization") || headers[i].equalsIgnoreCase("Cookie")) {
                return true;
            }
        }
        return false;
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

    /** A GET as the signed-in admin (see {@link #anonymous()}, {@link #as}, {@link #withKey} for others). */
    public HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return admin.get(pathAndQuery, headers);
    }

    public HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return admin.getBytes(pathAndQuery, headers);
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return admin.post(path, body, headers);
    }

    /** Any method (PUT, PATCH, DELETE, ...) with an optional body (null: none), as the signed-in admin. */
    public HttpResponse<String> request(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        return admin.request(method, path, body, headers);
    }

    /**
     * The loader stores nothing until enrichment has warmed up, which on a busy machine can take
     * longer than a test's wait: one hit of a pixel of its own stored first, with a generous limit.
     */
    public void awaitLoaderWarm() throws Exception {
        String warm = createPixel("warm-up", List.of()).id();
        RawHttp.once(app().port(), "GET", "/p/" + warm + ".gif", "", null);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (count("SELECT count(*) FROM visible.events WHERE pixel = '" + warm + "'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the loader stored no hit within 5 minutes of starting");
            }
            Thread.sleep(100);
        }
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

    /** A SQL count on the store, e.g. "SELECT count(*) FROM visible.events WHERE pixel = 'x'". */
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

    /**
     * Stops Speck and lets go of it: test classes keep their RunningSpeck in static fields, and a
     * closed app still reachable from there would keep its parsers' heap for the rest of the run.
     */
    @Override
    public void close() {
        if (app != null) {
            app.close();
            app = null;
            admin = null;
        }
    }
}
