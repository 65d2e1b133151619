package dev.speck.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Downloads one file over HTTP with progress; a missing file (404) and a refused connection are ordinary reasons. */
final class HttpDownload {

    /** Short, so a machine without internet learns it in seconds, not minutes. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private HttpDownload() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    static void fetch(HttpClient http, URI uri, Path target, PrintStream out) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException(uri + ": cannot connect (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
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
    }
}
