package dev.speck.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** One request being answered: the request, its decoded path and query, and where it came from. */
public final class Exchange {

    /** Query parameters beyond this many are ignored. */
    static final int MAX_QUERY_PARAMS = 64;

    private final FullHttpRequest request;
    private final InetSocketAddress remote;
    private final boolean keepAlive;
    private final HttpsPolicy https;
    private byte secure; // 0: not asked yet (most pixel hits never ask), 1: no, 2: yes
    private final String path;
    private final String rawQuery;
    private QueryParams query;

    public Exchange(FullHttpRequest request, InetSocketAddress remote) {
        this(request, remote, HttpsPolicy.PLAIN);
    }

    public Exchange(FullHttpRequest request, InetSocketAddress remote, HttpsPolicy https) {
        this(request, remote, HttpUtil.isKeepAlive(request), https);
    }

    private Exchange(FullHttpRequest request, InetSocketAddress remote, boolean keepAlive, HttpsPolicy https) {
        this.request = request;
        this.remote = remote;
        this.keepAlive = keepAlive;
        this.https = https;
        String uri = request.uri();
        int q = uri.indexOf('?');
        this.path = q < 0 ? uri : uri.substring(0, q);
        this.rawQuery = q < 0 ? "" : uri.substring(q + 1);
    }

    /** The same exchange, answered with Connection: close (after a request that broke the stream). */
    Exchange closing() {
        return new Exchange(request, remote, false, https);
    }

    public FullHttpRequest request() {
        return request;
    }

    /** Whether the visitor's request came over HTTPS: Speck's own TLS, or a trusted proxy's word. */
    public boolean secure() {
        if (secure == 0) {
            secure = https.secure(remote, request.headers()) ? (byte) 2 : 1;
        }
        return secure == 2;
    }

    /** The Strict-Transport-Security value for this response, or null: only ever sent over HTTPS. */
    public String hsts() {
        return https.hsts() != null && secure() ? https.hsts() : null;
    }

    /** How this server tells secure requests (for what the console says about the snippets' scheme). */
    public HttpsPolicy httpsPolicy() {
        return https;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    /** The raw (still percent-encoded) path. */
    public String path() {
        return path;
    }

    /**
     * The decoded query parameters. Throws IllegalArgumentException for a malformed escape or
     * bytes that are not UTF-8, which the endpoints count as a malformed request.
     */
    public Map<String, List<String>> query() {
        return params().asMap();
    }

    /** The query's pairs in the order sent (at most {@link #MAX_QUERY_PARAMS}); throws as {@link #query()}. */
    public QueryParams params() {
        if (query == null) {
            query = QueryParams.parse(rawQuery, MAX_QUERY_PARAMS);
        }
        return query;
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        return params().first(name);
    }

    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    /** The client's address, resolved through trusted proxies (see {@link ClientAddresses#clientIp}). */
    public String clientAddress() {
        return https.clientIp(remote, request.headers());
    }
}
