package dev.speck.deliver;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes one attempt with the JDK's HTTP client, to the address {@link AddressGuard} checked: the
 * request goes to that address written as a literal, with the name in the Host header and, over
 * TLS, in SNI, where the certificate is checked against the name too. So a name that resolves
 * elsewhere a moment later (DNS rebinding) changes nothing. HTTP/1.1 only (the Host header is the
 * authority), no proxy, no redirect followed.
 */
final class WebhookSender implements AutoCloseable {

    /** The JDK refuses a Host header unless this system property names it (set at Speck's start). */
    static final String ALLOW_HOST = "jdk.httpclient.allowRestrictedHeaders";
    private static final int TLS_CLIENTS = 16;

    /** What came of one attempt. */
    record Result(Integer status, String error, String excerpt, long latencyMs) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private final Duration timeout;
    private final SSLContext tlsContext;
    private final HttpClient shared;
    /** One client per TLS host name (its SNI is fixed per client), the least recently used closed first. */
    private final Map<String, HttpClient> tls = new LinkedHashMap<>(TLS_CLIENTS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
            if (size() > TLS_CLIENTS) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    /** @param tlsContext whom TLS trusts: the JDK's default, or a test's own authority */
    WebhookSender(Duration timeout, SSLContext tlsContext) {
        this.timeout = timeout;
        this.tlsContext = tlsContext;
        try {
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Host", "speck.test");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's HTTP client refuses a Host header: start Java with -D"
                    + ALLOW_HOST + "=host (Speck sets it at start, before anything else uses the client)");
        }
        this.shared = builder().build();
    }

    private HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(timeout).sslContext(tlsContext);
    }

    /** Sends the delivery to {@code address}; the future ends within the timeout, never exceptionally. */
    CompletableFuture<Result> send(Delivery d, int attempt, String secret, Target target, InetAddress address) {
        long t = System.currentTimeMillis() / 1000;
        HttpRequest.Builder b = HttpRequest.newBuilder(pinned(target, address)).timeout(timeout)
                .method(d.method(), HttpRequest.BodyPublishers.ofString(d.body()))
                .header("Host", target.hostHeader())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Speck-Webhooks/1")
                .header(Signature.HEADER, Signature.header(secret, t, d.body()))
                .header("Speck-Idempotency-Key", d.key())
                .header("Speck-Delivery-Attempt", Integer.toString(attempt));
        d.headers().forEach(b::header);
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> exchange;
        try {
            exchange = client(target).sendAsync(b.build(), info -> new ExcerptSubscriber());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Result(null, "cannot send: " + e.getMessage(), null, 0));
        }
        CompletableFuture<HttpResponse<String>> bounded = exchange.copy()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return bounded.handle((r, e) -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (e != null) {
                exchange.cancel(true); // a body still dripping in: the connection is dropped
                return new Result(null, describe(e), null, ms);
            }
            return new Result(r.statusCode(), null, r.body(), ms);
        });
    }

    /** The URL with the checked address in place of the name. */
    private static URI pinned(Target target, InetAddress address) {
        String literal = address instanceof Inet6Address ? "[" + address.getHostAddress().replaceAll("%.*", "") + "]"
                : address.getHostAddress();
        URI u = target.uri();
        String rest = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        return URI.create(target.scheme() + "://" + literal + ":" + target.port() + rest);
    }

    private HttpClient client(Target target) {
        if (!target.secure() || AddressRange.literal(target.host())) {
            return shared; // no name to put in SNI: the certificate is checked against the address
        }
        synchronized (tls) {
            return tls.computeIfAbsent(target.host(), host -> {
                // the JDK's trust manager checks the certificate against the SNI name when one is set
                SSLParameters p = tlsContext.getDefaultSSLParameters();
                p.setServerNames(java.util.List.of(new SNIHostName(host)));
                return builder().sslParameters(p).build();
            });
        }
    }

    private String describe(Throwable e) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof java.util.concurrent.TimeoutException || c instanceof java.net.http.HttpTimeoutException) {
            return "timeout: no complete answer within " + timeout.toMillis() + " ms";
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        shared.close();
        synchronized (tls) {
            tls.values().forEach(HttpClient::close);
            tls.clear();
        }
    }
}
