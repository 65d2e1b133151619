package dev.speck.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A website of the test's own, on its own loopback port: another origin than Speck's, serving the
 * pages a test puts into it (the tag pasted into them, as a customer would).
 */
public final class TestSite implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    private TestSite(HttpServer server) {
        this.server = server;
    }

    public static TestSite start() throws IOException {
        TestSite site = new TestSite(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        site.server.createContext("/", exchange -> {
            String html = site.pages.get(exchange.getRequestURI().getPath());
            byte[] body = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", html == null ? "text/plain" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.server.start();
        return site;
    }

    /** scheme://host:port of this site. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code html} at {@code path} from now on. */
    public void page(String path, String html) {
        pages.put(path, html);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
