package dev.speck.geo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;

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

    @Override
    public String fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException {
        Path delivered;
        if (location.startsWith("http://") || location.startsWith("https://")) {
            URI uri = URI.create(location);
            String name = Path.of(uri.getPath().isEmpty() ? "/geo.mmdb" : uri.getPath()).getFileName().toString();
            delivered = work.resolve(name);
            HttpDownload.fetch(http, uri, delivered, out);
        } else {
            delivered = Path.of(location);
            if (!Files.exists(delivered)) {
                throw new IOException(location + ": no such file or folder");
            }
        }
        Archives.unpackInto(delivered, folder, out);
        return location;
    }
}
