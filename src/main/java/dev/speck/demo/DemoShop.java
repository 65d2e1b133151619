package dev.speck.demo;

import dev.speck.goals.Counting;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalRegistry;
import dev.speck.goals.GoalRule;
import dev.speck.goals.GoalValue;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The demo: a shop's pixel with goals and a tracked link, made once per data folder, and days of
 * synthetic traffic to it replayed through the real HTTP endpoints of a running Speck.
 */
public final class DemoShop {

    static final String PIXEL_NAME = "Demo shop";

    private final PixelRegistry pixels;
    private final GoalRegistry goals;

    public DemoShop(PixelRegistry pixels, GoalRegistry goals) {
        this.pixels = pixels;
        this.goals = goals;
    }

    /**
     * Replays the traffic to the Speck answering at {@code base} and prints where to look.
     *
     * @param backfillToken the token that lets the replay send hits with past times
     * @param dataDir       the running Speck's data folder (named in the sign-in hint)
     */
    public void replay(String base, String backfillToken, int days, int visitsPerDay, Path dataDir)
            throws InterruptedException {
        Pixel pixel = demoPixel(pixels, goals);
        TrackedLink link = pixels.links().stream().filter(l -> l.pixel().equals(pixel.id())).findFirst()
                .orElseGet(() -> pixels.createLink(pixel.id(),
                        "https://shop.example.com/spring-sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale",
                        "spring-sale"));
        Optional<String> seeded = DemoSeed.in(dataDir).seeded();
        if (seeded.isPresent()) {
            // a second start shows the same numbers: replaying again would double every total
            System.out.println("Speck demo: " + seeded.get() + "; not replayed again (--fresh starts over in an "
                    + "empty folder).");
        } else {
            System.out.println("Speck demo: replaying " + days + " days of traffic to " + base + " ...");
            DemoTraffic.Result result = new DemoTraffic(base, pixel.id(), link.code(), backfillToken, days, visitsPerDay)
                    .replay();
            System.out.printf("Sent %d hits (%d answered with an error).%n", result.sent(), result.failed());
            DemoSeed.in(dataDir).mark(days, result.sent());
        }
        System.out.println();
        System.out.println("Sign in to the console as 'admin' with the password Speck printed when it made "
                + dataDir + " (or the one in SPECK_ADMIN_PASSWORD then);");
        System.out.println("the API links below work in that browser once signed in (scripts use an API key).");
        System.out.println();
        System.out.println("Open:");
        System.out.println("  " + base + "/console/                          the console: pixels, snippets, goals, report");
        System.out.println("  " + base + "/api/pixels/" + pixel.id() + "/stats       events and visitors per day");
        System.out.println("  " + base + "/api/pixels/" + pixel.id() + "/events      the raw events, newest first");
        System.out.println("  " + base + "/p/" + pixel.id() + ".gif                   the image pixel");
        System.out.println("  " + base + "/l/" + link.code() + "                         a tracked link");
        System.out.println("  " + base + "/metrics                           Prometheus metrics");
    }

    private static Pixel demoPixel(PixelRegistry pixels, GoalRegistry goals) {
        return pixels.pixels().stream().filter(p -> p.name().equals(PIXEL_NAME)).findFirst()
                .orElseGet(() -> {
                    Pixel p = pixels.createPixel(PIXEL_NAME, List.of());
                    goals.create(p.id(), new GoalDraft("Signup", new GoalRule.EventName("signup"),
                            new GoalValue.Fixed(java.math.BigDecimal.TEN), null, Counting.ONCE_PER_VISITOR));
                    goals.create(p.id(), new GoalDraft("Purchase", new GoalRule.EventName("purchase"),
                            new GoalValue.FromHit(java.math.BigDecimal.ZERO, java.math.BigDecimal.valueOf(10_000)), "EUR", Counting.EVERY_TIME));
                    return p;
                });
    }

}
