package dev.speck.geo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The file, folder or URL in the setting enrich.geo-source: what an operator with their own copy uses. */
final class ConfiguredSource implements GeoSource {

    private final String location;
    private final HttpClient http;

    ConfiguredSource(String location, HttpClient http) {
        this.location = location;
        this.http = http;
    }

    @Override
    public String describe() {
        return "enrich.geo-source " + location;
    }

    private boolean remote() {
        return location.startsWith("http://") || location.startsWith("https://");
    }

    /** A URL's file name and ETag by a HEAD request; a file or folder here is copied, which costs no download. */
    @Override
    public Optional<String> release(PrintStream out) throws IOException, InterruptedException {
        if (!remote()) {
            return Optional.empty();
        }
        try {
            return HttpDownload.release(http, URI.create(location));
        } catch (IOException e) {
            if (e.getMessage().contains("cannot connect")) {
                throw e;
            }
            return Optional.empty(); // a server that answers GET only: download and compare the build
        }
    }

    @Override
    public Delivery fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException {
        Path delivered;
        String release = null;
        if (remote()) {
            URI uri = URI.create(location);
            String name = Path.of(uri.getPath().isEmpty() ? "/geo.mmdb" : uri.getPath()).getFileName().toString();
            delivered = work.resolve(name);
            release = HttpDownload.fetch(http, uri, delivered, out);
        } else {
            delivered = Path.of(location);
            if (!Files.exists(delivered)) {
                throw new IOException(location + ": no such file or folder");
            }
        }
        Archives.unpackInto(delivered, folder, out);
        return new Delivery(location, release);
    }
}
