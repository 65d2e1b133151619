package dev.speck;

import dev.speck.config.ConfigOptions;
import dev.speck.config.SpeckConfig;
import dev.speck.demo.DemoSeed;
import dev.speck.demo.DemoShop;
import dev.speck.geo.GeoCommand;
import dev.speck.ops.StoreLock;
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

    /** Retention keeps a year by default; more would replay into days that are deleted at once. */
    static final int MAX_DAYS = 366;
    static final int MAX_VISITS_PER_DAY = 100_000;

    @CommandLine.Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--days", description = "Days of traffic to replay (default ${DEFAULT-VALUE}).", defaultValue = "7")
    int days;

    @Option(names = "--visits-per-day", description = "Visits a day (default ${DEFAULT-VALUE}).", defaultValue = "300")
    int visitsPerDay;

    @Option(names = "--exit", description = "Stop after the replay instead of serving on.")
    boolean exitAfterReplay;

    @Option(names = "--fresh", description = "Empty the demo's data folder first and replay the traffic again "
            + "(a folder is seeded once; its geo database is kept).")
    boolean fresh;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        SpeckConfig config = options.load(Map.of(
                "data-dir", "speck-demo-data",
                "collect.trusted-proxies", "127.0.0.1/32,::1/128",
                "collect.backfill-token", token));
        if (days < 1 || days > MAX_DAYS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--days must be from 1 to " + MAX_DAYS);
        }
        if (visitsPerDay < 1 || visitsPerDay > MAX_VISITS_PER_DAY) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--visits-per-day must be from 1 to " + MAX_VISITS_PER_DAY);
        }
        if (fresh) { // emptying a folder a Speck serves from would pull its store from under it
            String running = StoreLock.runningSpeck(config.dataDir()).orElse(null);
            if (running != null) {
                throw new StartupProblem("a Speck (" + running + ") is running on " + config.dataDir().toAbsolutePath()
                        + "; stop it first (Ctrl-C where it runs" + (running.startsWith("process ") ? ", or kill "
                        + running.substring(8) : "") + "), then run demo --fresh again", null);
            }
        }
        if (fresh && !DemoSeed.in(config.dataDir()).empty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fresh empties only a demo's own folder; "
                    + config.dataDir().toAbsolutePath() + " holds other data (choose another --data-dir)");
        }
        StartupProblem.checkBeforeStart(config);
        GeoCommand.installIfMissing(config, System.out);
        SpeckApp app = Speck.start(config);
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
