package dev.speck.pipeline;

import dev.speck.enrich.Event;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineTest {

    private static Hit page(String url) {
        return Hit.of(1_700_000_000_000L, HitKind.PAGE_VIEW, "p").page(new Hit.Page(url, null, null))
                .client(new Hit.Client("192.0.2.1", "ua", null, null, null, "Europe/Berlin", null)).build();
    }

    /** A chunk that did not come from the journal (no record positions). */
    private static Chunk run(Pipeline pipeline, List<Hit> hits) {
        return pipeline.run(hits, List.of());
    }

    private static Event plain(Hit hit) {
        return new Event(hit, null, null, null, null, null, null, null);
    }

    @Test
    void enrichmentNeverSeesALandingTokenButRecognitionGetsItAsASignal() {
        List<String> enrichedUrls = new ArrayList<>();
        Pipeline pipeline = new Pipeline(new StripLandingTokens(), new Enrich(hit -> {
            enrichedUrls.add(hit.page().url());
            return plain(hit);
        }, () -> { }));

        Chunk out = run(pipeline, List.of(page("https://shop.example/?a=1&speck_id=u.1.99.abc"),
                page("https://shop.example/plain")));

        assertThat(enrichedUrls).containsExactly("https://shop.example/?a=1", "https://shop.example/plain");
        assertThat(out.events()).hasSize(2);
        assertThat(out.events().get(0).hit().signals()).containsValue("u.1.99.abc");
        assertThat(out.events().get(1).hit().signals()).isEmpty();
    }

    @Test
    void aHitEnrichmentFailsOnIsStillStoredInItsPlaceWithItsTimeZoneAndWithoutItsLandingToken() {
        Pipeline pipeline = new Pipeline(new StripLandingTokens(), new Enrich(hit -> {
            if (hit.page().url().contains("broken")) {
                throw new IllegalStateException("a parser bug");
            }
            return plain(hit);
        }, () -> { }));

        Chunk out = run(pipeline, List.of(page("https://shop.example/1"),
                page("https://shop.example/broken?speck_id=u.1.99.abc"), page("https://shop.example/3")));

        assertThat(out.events()).extracting(e -> e.hit().page().url())
                .containsExactly("https://shop.example/1", "https://shop.example/broken", "https://shop.example/3");
        assertThat(out.events().get(1).timeZone()).isEqualTo("Europe/Berlin");
    }

    @Test
    void aChunkGoalsCannotBeTestedOnIsStoredWithoutAchievements() {
        Achievement signup = new Achievement(0, "goal", 1, java.math.BigDecimal.TEN, "EUR");
        Pipeline works = new Pipeline(new Enrich(PipelineTest::plain, () -> { }), new MatchGoals(events -> List.of(signup)));
        Pipeline fails = new Pipeline(new Enrich(PipelineTest::plain, () -> { }), new MatchGoals(events -> {
            throw new IllegalStateException("a goal rule bug");
        }));

        assertThat(run(works, List.of(page("https://shop.example/"))).achievements()).containsExactly(signup);
        Chunk out = run(fails, List.of(page("https://shop.example/")));
        assertThat(out.events()).hasSize(1);
        assertThat(out.achievements()).isEmpty();
    }

    @Test
    void stagesRunInTheOrderListedAndEachWarmsUpOnce() {
        List<String> calls = new ArrayList<>();
        Stage first = recording("first", calls);
        Stage second = recording("second", calls);
        Pipeline pipeline = new Pipeline(first, second);

        pipeline.warmUp();
        run(pipeline, List.of(page("https://shop.example/")));
        run(pipeline, List.of(page("https://shop.example/")));

        assertThat(calls).containsExactly("warm first", "warm second", "first", "second", "first", "second");
    }

    private static Stage recording(String name, List<String> calls) {
        return new Stage() {
            @Override
            public Chunk apply(Chunk chunk) {
                calls.add(name);
                return chunk;
            }

            @Override
            public void warmUp() {
                calls.add("warm " + name);
            }
        };
    }
}
