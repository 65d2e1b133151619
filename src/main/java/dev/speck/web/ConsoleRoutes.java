package dev.speck.web;

import dev.speck.http.Answer;
import dev.speck.http.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's static files under /console: our own from the classpath folder dev/speck/web/console,
 * uPlot's from its webjar under /console/vendor/uplot/. Only plain file names are served (no
 * dots-first segments, no escapes), so no request can climb out of those folders.
 */
final class ConsoleRoutes {

    static final String PREFIX = "/console";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private static final String OWN_FOLDER = "dev/speck/web/console/";
    private static final String UPLOT_FOLDER = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final String VENDOR_UPLOT = "vendor/uplot/";
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8");

    /** A file ready to send: its bytes, type and strong validator. */
    private record Asset(byte[] body, String contentType, String etag, boolean vendor) {
    }

    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    Answer answer(Exchange ex) {
        String path = ex.path();
        if (path.equals(PREFIX)) { // relative URLs in index.html need the trailing slash
            return new Answer.Redirect(PREFIX + "/");
        }
        if (ex.request().method() != HttpMethod.GET) {
            return Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "the console's files are read with GET");
        }
        String file = path.substring(PREFIX.length() + 1);
        Optional<Asset> asset = file.isEmpty() ? asset("index.html") : asset(file);
        if (asset.isEmpty()) {
            return Answer.error(HttpResponseStatus.NOT_FOUND, "no such console file");
        }
        Asset a = asset.get();
        HttpHeaders headers = new DefaultHttpHeaders()
                .set(HttpHeaderNames.ETAG, a.etag())
                // our files change with each release, so they are revalidated; the webjar's carry its version
                .set(HttpHeaderNames.CACHE_CONTROL, a.vendor() ? "public, max-age=86400" : "no-cache")
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "same-origin")
                .set("Cross-Origin-Opener-Policy", "same-origin");
        if (a.etag().equals(ex.header(HttpHeaderNames.IF_NONE_MATCH))) {
            return new Answer.Bytes(HttpResponseStatus.NOT_MODIFIED, null, new byte[0], headers);
        }
        return new Answer.Bytes(HttpResponseStatus.OK, a.contentType(), a.body(), headers);
    }

    private Optional<Asset> asset(String file) {
        if (file.length() > 200 || !SAFE_PATH.matcher(file).matches()) {
            return Optional.empty();
        }
        Asset known = assets.get(file);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Asset> loaded = load(file); // misses are not kept, so made-up names cannot grow the map
        loaded.ifPresent(a -> assets.putIfAbsent(file, a));
        return loaded;
    }

    private static Optional<Asset> load(String file) {
        String type = CONTENT_TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        boolean vendor = file.startsWith(VENDOR_UPLOT);
        String resource = vendor ? UPLOT_FOLDER + file.substring(VENDOR_UPLOT.length()) : OWN_FOLDER + file;
        if (vendor ? resource.indexOf('/', UPLOT_FOLDER.length()) >= 0 : file.startsWith("vendor/")) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            return Optional.of(new Asset(body, type, etag(body), vendor));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
