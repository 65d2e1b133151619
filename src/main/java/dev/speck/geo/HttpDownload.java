package dev.speck.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Downloads one file over HTTP with progress; a missing file (404) and a refused connection are ordinary reasons. */
final class HttpDownload {

    /** Short, so a machine without internet learns it in seconds, not minutes. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private HttpDownload() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * The release of the file at {@code uri} from a HEAD request alone: its name and ETag (else Last-Modified),
     * in the words {@link #fetch} returns for the file it downloads.
     *
     * @return empty when the server names neither
     * @throws IOException "HTTP 404" and the like, or "cannot connect"
     */
    static Optional<String> release(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> response = send(http, request, uri, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IOException(uri + ": HTTP " + response.statusCode());
        }
        return releaseOf(uri, response.headers());
    }

    /** Downloads {@code uri} into {@code target}; returns its release as {@link #release} names it, or null. */
    static String fetch(HttpClient http, URI uri, Path target, PrintStream out) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = send(http, request, uri, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + ": HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            Progress progress = new Progress(out, "downloading " + uri, total);
            long copied = 0;
            byte[] buffer = new byte[1 << 16];
            try (OutputStream file = Files.newOutputStream(target)) {
                int n;
                while ((n = body.read(buffer)) > 0) {
                    file.write(buffer, 0, n);
                    copied += n;
                    progress.update(copied);
                }
            }
            progress.done(copied);
        }
        return releaseOf(uri, response.headers()).orElse(null);
    }

    private static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, URI uri, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new IOException(uri + ": cannot connect (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    private static Optional<String> releaseOf(URI uri, HttpHeaders headers) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return headers.firstValue("ETag").or(() -> headers.firstValue("Last-Modified")).map(tag -> name + " " + tag);
    }
}
