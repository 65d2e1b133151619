package dev.speck;

import dev.speck.config.ConfigOptions;
import dev.speck.config.SpeckConfig;
import dev.speck.demo.DemoShop;
import dev.speck.geo.GeoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code speck demo}: starts Speck on its own data folder, creates a demo pixel with goals and a
 * tracked link, replays days of synthetic traffic through the real HTTP endpoints, prints where to look.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Speck with a demo pixel and some days of realistic synthetic traffic.")
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--days", description = "Days of traffic to replay (default ${DEFAULT-VALUE}).", defaultValue = "7")
    int days;

    @Option(names = "--visits-per-day", description = "Visits a day (default ${DEFAULT-VALUE}).", defaultValue = "300")
    int visitsPerDay;

    @Option(names = "--exit", description = "Stop after the replay instead of serving on.")
    boolean exitAfterReplay;

    @Override
    public Integer call() throws Exception {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        SpeckConfig config = options.load(Map.of(
                "data-dir", "speck-demo-data",
                "collect.trusted-proxies", "127.0.0.1/32,::1/128",
                "collect.backfill-token", token));
        GeoCommand.installIfMissing(config, System.out);
        SpeckApp app = SpeckApp.start(config);
        new DemoShop(app.pixels(), app.goals()).replay("http://localhost:" + app.port(), token, days, visitsPerDay,
                config.dataDir());
        if (exitAfterReplay) {
            app.close();
            return 0;
        }
        System.out.println("\nServing until Ctrl-C.");
        Speck.awaitShutdown(app);
        return 0;
    }
}
