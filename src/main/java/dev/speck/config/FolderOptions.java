package dev.speck.config;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options of every command that works on a data folder: the settings file, the folder, any setting. */
public final class FolderOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file with settings%n(all settings: docs/CONFIGURATION.md).")
    Path configFile;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "Where the store and the journal live (setting data-dir).")
    Path dataDir;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Any other setting, e.g. --set journal.max-size=4GB. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Defaults, then the file, then SPECK_* environment variables, then these flags. */
    ConfigLoader loader(Map<String, String> overrides) {
        ConfigLoader loader = new ConfigLoader();
        overrides.forEach(loader::set);
        loader.file(configFile).environment(System.getenv());
        settings.forEach(loader::set);
        if (dataDir != null) {
            loader.set("data-dir", dataDir.toString());
        }
        return loader;
    }

    public SpeckConfig load(Map<String, String> overrides) {
        return loader(overrides).load();
    }
}
