package dev.speck;

import dev.speck.config.ConfigError;
import dev.speck.config.ConfigOptions;
import dev.speck.config.SpeckConfig;
import dev.speck.geo.GeoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code speck serve}, {@code speck demo}, {@code speck geo update}, {@code speck admin}. */
@Command(name = "speck", mixinStandardHelpOptions = true, version = "Speck 0.1.0",
        description = "Self-hosted tracking pixels: collect, enrich and keep every hit.",
        subcommands = {Speck.Serve.class, DemoCommand.class, GeoCommand.class, AdminCommand.class,
                BackupCommands.Backup.class, BackupCommands.Restore.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class Speck implements Runnable {

    public static void main(String[] args) {
        SpeckApp.allowHostHeader(); // before `serve` installs geodata with the same HTTP client
        int code = new CommandLine(new Speck())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigError) {
                        cmd.getErr().println("speck: " + e.getMessage());
                        return 2;
                    }
                    if (e instanceof StartupProblem) {
                        Logger.getLogger(Speck.class.getName()).log(Level.FINE, "start-up failed", e);
                        cmd.getErr().println("speck: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                })
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run Speck: answer pixel hits and the API until stopped (Ctrl-C stores what is pending).",
            footer = {"", "Every setting can also come from the environment: SPECK_HTTP_PORT=9000 sets http.port.",
                    "Precedence: defaults < --config file < environment < flags.",
                    "All settings: docs/CONFIGURATION.md.",
                    "Example:",
                    "  speck serve --port 8080 --data-dir /var/lib/speck \\",
                    "    --set collect.trusted-proxies=10.0.0.0/8"})
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            SpeckConfig config = options.load(Map.of());
            StartupProblem.checkBeforeStart(config);
            GeoCommand.installIfMissing(config, System.out);
            SpeckApp app = start(config);
            System.out.println("Speck is serving on " + app.scheme() + "://localhost:" + app.port() + "/ (data in "
                    + config.dataDir().toAbsolutePath() + ")");
            awaitShutdown(app);
            return 0;
        }
    }

    /** Starts the app; a failure a user can fix is said in one line (see {@link StartupProblem}). */
    static SpeckApp start(SpeckConfig config) throws Exception {
        try {
            return SpeckApp.start(config);
        } catch (Exception e) { // Netty's bind failure is a checked exception thrown unchecked
            throw StartupProblem.explain(e, config);
        }
    }

    /** Blocks until the JVM is asked to stop, then closes the app in order. */
    static void awaitShutdown(SpeckApp app) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C: say that pending hits are being stored, and when it is done, so nobody cuts it short
            System.err.println("speck: stopping; storing the hits still in the journal ...");
            app.close();
            System.err.println("speck: stopped (" + app.storedSinceStart() + " events stored since start)");
            stopped.countDown();
        }, "speck-shutdown"));
        stopped.await();
    }
}
