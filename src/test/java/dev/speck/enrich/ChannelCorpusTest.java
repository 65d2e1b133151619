package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The channel corpus (channels.tsv): page URL, referrer and kind in, channel and source out of the real enricher. */
class ChannelCorpusTest {

    private static final String LANDING = "https://shop.example/landing";

    @TempDir
    static Path directory;
    private static Enricher enricher;

    @BeforeAll
    static void buildEnricher() {
        enricher = Enricher.create(EnricherSettings.defaults(null, directory.resolve("salts")));
    }

    @TestFactory
    Stream<DynamicTest> everyRowGetsItsChannelAndSource() throws IOException {
        return corpus().stream().map(line -> {
            String[] cols = line.split("\t", -1);
            String kind = cols.length > 4 ? cols[4] : "page_view";
            return DynamicTest.dynamicTest(String.join("  ", cols), () -> {
                TrafficSource source = enricher.enrich(hit(cols[0], cols[1], kind)).source();
                assertThat(source.channel()).as("channel").isEqualTo(cols[2]);
                assertThat(source.source()).as("source").isEqualTo(cols[3].equals("-") ? null : cols[3]);
                assertThat(Channels.ALL).contains(source.channel());
            });
        });
    }

    @Test
    void corpusCoversEveryStoredChannel() throws IOException {
        List<String> channels = corpus().stream().map(l -> l.split("\t", -1)[2]).distinct().toList();

        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(channels).containsExactlyInAnyOrderElementsOf(Channels.ALL);
    }

    private static Hit hit(String url, String referrer, String kind) {
        String page = url.equals("-") ? LANDING : url.startsWith("?") ? LANDING + url : url;
        HitKind hitKind = switch (kind) {
            case "email_open" -> HitKind.EMAIL_OPEN;
            case "link_click", "link_click+recipient" -> HitKind.LINK_CLICK;
            default -> HitKind.PAGE_VIEW;
        };
        return Hit.of(TestHits.NOON.toEpochMilli(), hitKind, "px_shop")
                .page(new Hit.Page(hitKind == HitKind.EMAIL_OPEN ? null : page, referrer.equals("-") ? null : referrer, null))
                .client(new Hit.Client("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"))
                .email(new Hit.Email(hitKind == HitKind.PAGE_VIEW ? null : "spring",
                        kind.endsWith("+recipient") ? "r_8f3a" : null))
                .build();
    }

    private static List<String> corpus() throws IOException {
        try (InputStream in = ChannelCorpusTest.class.getResourceAsStream("/dev/speck/enrich/channels.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }
}
