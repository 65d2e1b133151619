package dev.speck.config;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options every command that runs Speck shares. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file with settings (see docs/CONFIGURATION.md).")
    Path configFile;

    @Option(names = {"-p", "--port"}, description = "HTTP port (setting http.port, default 8080).")
    Integer port;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "Where the store and the journal live (setting data-dir).")
    Path dataDir;

    @Option(names = "--geo-db", paramLabel = "FILE",
            description = "A MaxMind-format .mmdb city or country database (setting enrich.geo-database).")
    Path geoDatabase;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Any other setting, e.g. --set journal.max-size=4GB. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Defaults, then the file, then SPECK_* environment variables, then these flags. */
    public SpeckConfig load(Map<String, String> overrides) {
        ConfigLoader loader = new ConfigLoader();
        overrides.forEach(loader::set);
        loader.file(configFile).environment(System.getenv());
        settings.forEach(loader::set);
        if (port != null) {
            loader.set("http.port", port.toString());
        }
        if (dataDir != null) {
            loader.set("data-dir", dataDir.toString());
        }
        if (geoDatabase != null) {
            loader.set("enrich.geo-database", geoDatabase.toString());
        }
        return loader.load();
    }
}
