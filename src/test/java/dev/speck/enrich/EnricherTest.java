package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnricherTest {

    @TempDir
    static Path directory;
    private static Enricher enricher;

    @BeforeAll
    static void buildEnricher() throws Exception {
        Path database = GeoFixtures.write(directory, "city");
        enricher = Enricher.create(EnricherSettings.defaults(database, directory.resolve("salts")));
        enricher.warmUp();
    }

    @Test
    void pageViewFromAGoogleSearchOnChromeInMunichIsFullyEnriched() {
        Hit hit = TestHits.pageView()
                .ip("203.0.113.77")
                .userAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                        + " Chrome/124.0.0.0 Safari/537.36")
                .referrer("https://www.google.de/search?q=laufschuhe")
                .url("https://shop.example/schuhe?utm_campaign=fruehling")
                .build();

        Event event = enricher.enrich(hit);

        assertThat(event.hit()).isEqualTo(hit.withoutRequestDetails());
        assertThat(event.ipPrefix()).isEqualTo("203.0.113.0");
        assertThat(event.visitorId()).hasSize(16);
        assertThat(event.geo().city()).isEqualTo("Munich");
        assertThat(event.device().browser()).isEqualTo("Chrome");
        assertThat(event.source().channel()).isEqualTo("search");
        assertThat(event.source().term()).isEqualTo("laufschuhe");
        assertThat(event.source().utmCampaign()).isEqualTo("fruehling");
        assertThat(event.timeZone()).isEqualTo("Europe/Berlin");
    }

    @Test
    void anEnrichedEventKeepsNeitherTheAgentNorItsHintsNorTheAddress() {
        Hit hit = TestHits.pageView().ip("203.0.113.77").userAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0")
                .url("https://shop.example/").referrer("https://news.example/").build();

        Event event = enricher.enrich(hit);

        assertThat(event.device().browser()).as("read before they were dropped").isEqualTo("Firefox");
        assertThat(event.ipPrefix()).isEqualTo("203.0.113.0");
        assertThat(event.hit().client().userAgent()).isNull();
        assertThat(event.hit().client().clientHints()).isEmpty();
        assertThat(event.hit().client().ip()).as("only the truncated prefix (or rawIp when kept) leaves enrichment").isNull();
        assertThat(event.hit().page().url()).isEqualTo("https://shop.example/");
        assertThat(event.hit().page().referrer()).isEqualTo("https://news.example/");
        assertThat(event.hit().receivedAt()).isEqualTo(hit.receivedAt());
    }

    @Test
    void browserTimeZoneWinsOverTheGeoZone() {
        Event event = enricher.enrich(TestHits.pageView().ip("203.0.113.77").timeZone("America/New_York").build());

        assertThat(event.geo().timeZone()).isEqualTo("Europe/Berlin");
        assertThat(event.timeZone()).isEqualTo("America/New_York");
        assertThat(event.localHour()).as("noon UTC on 14 March 2025 is 8 a.m. in New York (EDT)").isEqualTo(8);
    }

    @Test
    void localHourIsTheHitTimeOnTheVisitorsClock() {
        Event event = enricher.enrich(TestHits.pageView().ip("203.0.113.77").build());

        assertThat(event.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(event.localHour()).as("noon UTC is 1 p.m. in Munich (CET)").isEqualTo(13);
    }

    @Test
    void hitWithoutAKnownZoneHasNoLocalHour() {
        assertThat(enricher.enrich(TestHits.pageView().ip("192.0.2.1").build()).localHour()).isNull();
    }

    @Test
    void invalidBrowserTimeZoneFallsBackToTheGeoZone() {
        for (String zone : new String[] {"Mars/Olympus", "+02:00", "", "../../etc/passwd"}) {
            Event event = enricher.enrich(TestHits.pageView().ip("203.0.113.77").timeZone(zone).build());
            assertThat(event.timeZone()).as(zone).isEqualTo("Europe/Berlin");
        }
    }

    @Test
    void hitWithEveryFieldMissingGivesUnknownPartsNotAnException() {
        Hit empty = Hit.of(0, null, null).build();

        Event event = enricher.enrich(empty);

        assertThat(event.device()).isEqualTo(Device.UNKNOWN);
        assertThat(event.geo()).isEqualTo(GeoLocation.UNKNOWN);
        assertThat(event.source()).isEqualTo(TrafficSource.DIRECT);
        assertThat(event.ipPrefix()).isNull();
        assertThat(event.timeZone()).isNull();
        assertThat(event.visitorId()).as("no address: an id of the user agent alone would merge visitors").isNull();
    }

    @Test
    void garbageEverywhereDoesNotThrow() {
        Hit garbage = Hit.of(-1, HitKind.LINK_CLICK, "\u0000").name("x")
                .page(new Hit.Page("ht!tp://[[[?utm_source=%zz", "://@@@:99999", null))
                .client(new Hit.Client("999.999.1.1", "\uD800\uDC00".repeat(5000),
                        Map.of("sec-ch-ua", "{{{", "sec-ch-ua-mobile", "?7"), null, null, "Europe/Nowhere", "??"))
                .value(new Hit.Value(new java.math.BigDecimal("-1E+300"), null)).email(new Hit.Email("", null)).build();

        assertThatCode(() -> enricher.enrich(garbage)).doesNotThrowAnyException();
    }

    @Test
    void concurrentEnrichmentGivesTheSameEventsAsOneThread() throws Exception {
        List<Hit> hits = IntStream.range(0, 400).mapToObj(i -> TestHits.pageView()
                .ip(i % 2 == 0 ? "203.0.113." + i % 256 : "2001:db8::" + Integer.toHexString(i))
                .userAgent("Mozilla/5.0 (X11; Linux x86_64; rv:" + (100 + i % 7) + ".0) Gecko/20100101 Firefox/"
                        + (100 + i % 7) + ".0")
                .referrer(i % 3 == 0 ? "https://www.bing.com/search?q=shoes" + i : null)
                .build()).toList();
        List<Event> sequential = hits.stream().map(enricher::enrich).toList();

        List<Event> parallel;
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<Event>> futures = new ArrayList<>();
            for (Hit hit : hits) {
                futures.add(threads.submit(() -> enricher.enrich(hit)));
            }
            parallel = new ArrayList<>();
            for (Future<Event> future : futures) {
                parallel.add(future.get());
            }
        }

        assertThat(parallel).isEqualTo(sequential);
    }

    @Test
    void statsReportCachesAndGeoLookups() {
        enricher.enrich(TestHits.pageView().build());
        enricher.enrich(TestHits.pageView().build());

        EnrichmentStats stats = enricher.stats();

        assertThat(stats.userAgentCacheSize()).isPositive();
        assertThat(stats.userAgentCacheHitRate()).isPositive();
        assertThat(stats.geoLookups()).isGreaterThanOrEqualTo(2);
        assertThat(stats.geoDatabase()).isEqualTo("GeoIP2-City");
    }

    @Test
    void unreadableGeoDatabaseIsAConfigurationErrorNamingTheKey() {
        Path missing = directory.resolve("no-such.mmdb");

        assertThatThrownBy(() -> Enricher.create(EnricherSettings.defaults(missing, directory.resolve("salts"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("geoDatabase")
                .hasMessageContaining("no-such.mmdb");
    }
}
