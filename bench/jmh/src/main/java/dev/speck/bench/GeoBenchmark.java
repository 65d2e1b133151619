package dev.speck.bench;

import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.enrich.GeoLocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Geo lookups per second through Speck's enricher, with the answer cache and past it. Needs an installed database:
 * {@code ./speck geo update --data-dir DIR}, then {@code -Dspeck.bench.geo=DIR/geo/VERSION} (or any .mmdb).
 * "cached": 1,000 distinct addresses, all in the cache after warm-up (a site's returning visitors).
 * "uncached": a cache of one entry and random public addresses, so every lookup walks the database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class GeoBenchmark {

    @Param({"cached", "uncached"})
    public String cache;

    private Enricher enricher;
    private String[] addresses;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        String database = System.getProperty("speck.bench.geo");
        if (database == null) {
            throw new IllegalStateException("set -Dspeck.bench.geo to an installed geo database (see the class comment)");
        }
        Path salts = Files.createTempDirectory("speck-bench-salts");
        boolean cached = cache.equals("cached");
        enricher = Enricher.create(new EnricherSettings(Path.of(database), salts, 100, cached ? 100_000 : 1, 100));
        SplittableRandom random = new SplittableRandom(42);
        addresses = new String[cached ? 1_000 : 1 << 20];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = (1 + random.nextInt(222)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
        }
    }

    @Benchmark
    public GeoLocation locate() {
        String ip = addresses[next];
        next = (next + 1) % addresses.length;
        return enricher.locate(ip);
    }
}
