package dev.speck.demo;

import dev.speck.Speck;
import dev.speck.SpeckApp;
import dev.speck.config.SpeckConfig;
import dev.speck.geo.GeoCommand;
import dev.speck.goals.Counting;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalRegistry;
import dev.speck.goals.GoalRule;
import dev.speck.goals.GoalValue;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code speck demo}: starts Speck on its own data folder, creates a demo pixel with goals and a
 * tracked link, replays days of synthetic traffic through the real HTTP endpoints, prints where to look.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Speck with a demo pixel and some days of realistic synthetic traffic.")
public final class DemoCommand implements Callable<Integer> {

    static final String PIXEL_NAME = "Demo shop";

    @CommandLine.Mixin
    Speck.ConfigOptions options = new Speck.ConfigOptions();

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
        String base = "http://localhost:" + app.port();
        Pixel pixel = demoPixel(app.pixels(), app.goals());
        TrackedLink link = app.pixels().links().stream().filter(l -> l.pixel().equals(pixel.id())).findFirst()
                .orElseGet(() -> app.pixels().createLink(pixel.id(),
                        "https://shop.example.com/spring-sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale",
                        "spring-sale"));
        System.out.println("Speck demo: replaying " + days + " days of traffic to " + base + " ...");
        DemoTraffic.Result result = new DemoTraffic(base, pixel.id(), link.code(), token, days, visitsPerDay).replay();
        System.out.printf("Sent %d hits (%d answered with an error).%n", result.sent(), result.failed());
        System.out.println();
        System.out.println("Sign in to the console as 'admin' with the password Speck printed when it made "
                + config.dataDir() + " (or the one in SPECK_ADMIN_PASSWORD then);");
        System.out.println("the API links below work in that browser once signed in (scripts use an API key).");
        System.out.println();
        System.out.println("Open:");
        System.out.println("  " + base + "/console/                          the console: pixels, snippets, goals, report");
        System.out.println("  " + base + "/api/pixels/" + pixel.id() + "/stats       events and visitors per day");
        System.out.println("  " + base + "/api/pixels/" + pixel.id() + "/events      the raw events, newest first");
        System.out.println("  " + base + "/p/" + pixel.id() + ".gif                   the image pixel");
        System.out.println("  " + base + "/l/" + link.code() + "                         a tracked link");
        System.out.println("  " + base + "/metrics                           Prometheus metrics");
        if (exitAfterReplay) {
            app.close();
            return 0;
        }
        System.out.println("\nServing until Ctrl-C.");
        Speck.awaitShutdown(app);
        return 0;
    }

    private static Pixel demoPixel(PixelRegistry pixels, GoalRegistry goals) {
        return pixels.pixels().stream().filter(p -> p.name().equals(PIXEL_NAME)).findFirst()
                .orElseGet(() -> {
                    Pixel p = pixels.createPixel(PIXEL_NAME, List.of());
                    goals.create(p.id(), new GoalDraft("Signup", new GoalRule.EventName("signup"),
                            new GoalValue.Fixed(10), null, Counting.ONCE_PER_VISITOR));
                    goals.create(p.id(), new GoalDraft("Purchase", new GoalRule.EventName("purchase"),
                            new GoalValue.FromHit(0, 10_000), "EUR", Counting.EVERY_TIME));
                    return p;
                });
    }

}
