package dev.speck.deliver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A webhook receiver on 127.0.0.1 for the tests: records every request it gets (headers and body)
 * and answers with the status its answer function gives (given the request and how many requests of
 * the same idempotency key came before it).
 */
public final class Receiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body, long nanos) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public String key() {
            return header("Speck-Idempotency-Key");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Integer> answer;

    public Receiver(Function<Request, Integer> answer) throws IOException {
        this(answer, null);
    }

    /** Over HTTPS with this server context (its key and certificate), when not null. */
    public Receiver(Function<Request, Integer> answer, SSLContext tls) throws IOException {
        this.answer = answer;
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(at, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(at, 0);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers every request with this status. */
    public static Receiver answering(int status) throws IOException {
        return new Receiver(r -> status);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()),
                body, System.nanoTime());
        requests.add(r);
        int status = answer.apply(r);
        byte[] out = ("{\"received\":\"" + r.key() + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
        }
    }

    /** Changes how later requests are answered. */
    public void answer(Function<Request, Integer> answer) {
        this.answer = answer;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests that carried this idempotency key. */
    public List<Request> requests(String key) {
        return requests.stream().filter(r -> key.equals(r.key())).toList();
    }

    /** How many requests of this key came before this one. */
    public long earlier(Request r) {
        return requests.stream().filter(o -> o != r && r.key() != null && r.key().equals(o.key()) && o.nanos() < r.nanos())
                .count();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
