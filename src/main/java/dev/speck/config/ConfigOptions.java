package dev.speck.config;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** Options every command that runs Speck (serves) shares: the folder's options, the port and a geo file. */
public final class ConfigOptions {
    @Mixin
    FolderOptions folder = new FolderOptions();

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "HTTP port (setting http.port, default 8080).")
    Integer port;

    @Option(names = "--geo-db", paramLabel = "FILE",
            description = "A MaxMind-format .mmdb city or country database%n(setting enrich.geo-database).")
    Path geoDatabase;

    /** Defaults, then the file, then SPECK_* environment variables, then these flags. */
    public SpeckConfig load(Map<String, String> overrides) {
        ConfigLoader loader = folder.loader(overrides);
        if (port != null) {
            loader.set("http.port", port.toString());
        }
        if (geoDatabase != null) {
            loader.set("enrich.geo-database", geoDatabase.toString());
        }
        return loader.load();
    }
}
