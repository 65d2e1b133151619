package dev.speck.bench;

import dev.speck.hit.Hit;
import dev.speck.enrich.Enricher;
import dev.speck.enrich.EnricherSettings;
import dev.speck.enrich.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Enricher.enrich, as the loader thread runs it, in events per second per thread.
 * warm: 3,000 distinct user agents in a skewed mix, all fitting the 20,000-entry cache (what a
 * site sees once running). uncached: 400,000 distinct user agents sent in turn, so nearly every
 * hit is a YAUAA parse (a flood of new agents, or a cache far too small). The cache hit rate of
 * each trial is printed at its end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnrichBenchmark {

    @Param({"warm", "uncached"})
    public String mix;

    private Enricher enricher;
    private Path saltDir;
    private Hit[] hits;

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        saltDir = Files.createTempDirectory("speck-jmh-salts");
        enricher = Enricher.create(new EnricherSettings(null, saltDir, 20000, 100000, 10000));
        enricher.warmUp();
        SampleHits sample = new SampleHits(42);
        List<Hit> list = mix.equals("warm")
                ? sample.hits(20_000, sample.userAgents(3_000))
                : sample.userAgents(400_000).stream().map(sample::hit).toList();
        hits = list.toArray(Hit[]::new);
        if (mix.equals("warm")) {
            for (Hit hit : hits) {
                enricher.enrich(hit); // fill the cache, as a running server has
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n[%s] user-agent cache hit rate over the trial: %.3f%n", mix,
                enricher.stats().userAgentCacheHitRate());
        try (var files = Files.walk(saltDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Event enrich(Cursor cursor) {
        Hit hit = hits[cursor.next];
        cursor.next = cursor.next + 1 == hits.length ? 0 : cursor.next + 1;
        return enricher.enrich(hit);
    }
}
