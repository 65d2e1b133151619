package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Signals;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The corpus of real user agents in user-agents.tsv, through the real analyzer and classifier. */
class TrafficQualityTest {

    private static UserAgents userAgents;

    @BeforeAll
    static void buildAnalyzer() {
        userAgents = new UserAgents(1000);
        userAgents.warmUp();
    }

    private record Case(Verdict verdict, String reason, HitKind kind, String agent) {
    }

    private static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = TrafficQualityTest.class.getResourceAsStream("user-agents.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                cases.add(new Case(Verdict.fromWireName(f[0]), f[1], HitKind.fromWireName(f[2]), f[3]));
            }
        }
        return cases;
    }

    private static Hit hit(HitKind kind, String agent) {
        return Hit.of(Instant.parse("2026-03-14T12:00:00Z").toEpochMilli(), kind, "px_shop")
                .client(new Hit.Client("203.0.113.7", agent)).build();
    }

    private static TrafficQuality classify(TrafficClassifier classifier, Hit hit) {
        return classifier.classify(hit, userAgents.parse(hit.client().userAgent(), Map.of()));
    }

    @Test
    void everyAgentOfTheCorpusGetsItsPinnedVerdictAndReason() throws IOException {
        TrafficClassifier classifier = new TrafficClassifier(1000);
        List<Case> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
        List<String> wrong = new ArrayList<>();
        for (Case c : corpus) {
            TrafficQuality q = classify(classifier, hit(c.kind(), c.agent()));
            boolean reasonOk = c.reason().equals("-") ? true
                    : q.reasons().stream().anyMatch(r -> r.startsWith(c.reason()));
            if (q.verdict() != c.verdict() || !reasonOk || (c.verdict() == Verdict.HUMAN && !q.reasons().isEmpty())) {
                wrong.add(c.agent() + " -> " + q.verdict().wireName() + " " + q.reasons() + ", expected "
                        + c.verdict().wireName() + " " + c.reason());
            }
            if (!c.verdict().human()) {
                assertThat(q.reasons()).as(c.agent()).isNotEmpty();
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyPatternOfTheCrawlerListCompilesAndTheListIsLoadedWhole() {
        assertThat(CrawlerPatterns.shipped().size()).isGreaterThan(1000);
    }

    @Test
    void speckTestHitIsATestWhateverItsAgent() {
        Hit test = Hit.of(1L, HitKind.EVENT, "px_shop").name(TrafficClassifier.TEST_EVENT)
                .client(new Hit.Client("127.0.0.1", "Speck test hit")).props(Map.of("test", "true")).build();

        assertThat(new TrafficClassifier(10).classify(test, Device.UNKNOWN))
                .isEqualTo(new TrafficQuality(Verdict.TEST, List.of("speck-test")));
    }

    @Test
    void webdriverSignalFromTheTagMakesAnOrdinaryChromeAutomation() {
        Hit driven = hit(HitKind.PAGE_VIEW, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/124.0.0.0 Safari/537.36").withSignal(Signals.WEBDRIVER, "1");

        assertThat(classify(new TrafficClassifier(10), driven))
                .isEqualTo(new TrafficQuality(Verdict.AUTOMATION, List.of("webdriver")));
    }

    @Test
    void anAdminRuleComesFirstForAgentsAndAddressRanges() {
        TrafficClassifier classifier = new TrafficClassifier(10);
        String monitor = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 acme-monitor";
        Hit fromOffice = Hit.of(1L, HitKind.PAGE_VIEW, "px_shop").client(new Hit.Client("198.51.100.77", monitor)).build();
        assertThat(classify(classifier, fromOffice).verdict()).isEqualTo(Verdict.HUMAN);

        classifier.useRules(List.of(new TrafficRule("tr_1", TrafficRule.Kind.AGENT, "ACME-monitor", Verdict.BOT, null, Instant.EPOCH)));
        assertThat(classify(classifier, fromOffice)).isEqualTo(new TrafficQuality(Verdict.BOT, List.of("rule:tr_1")));

        classifier.useRules(List.of(new TrafficRule("tr_2", TrafficRule.Kind.ADDRESS, "198.51.100.0/24", Verdict.SCANNER, null, Instant.EPOCH)));
        assertThat(classify(classifier, fromOffice)).isEqualTo(new TrafficQuality(Verdict.SCANNER, List.of("rule:tr_2")));

        Hit googlebot = hit(HitKind.PAGE_VIEW, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        classifier.useRules(List.of(new TrafficRule("tr_3", TrafficRule.Kind.AGENT_REGEX, "Googlebot/\\d", Verdict.HUMAN, null, Instant.EPOCH)));
        assertThat(classify(classifier, googlebot)).isEqualTo(new TrafficQuality(Verdict.HUMAN, List.of("rule:tr_3")));
    }

    @Test
    void emailOpensAndClicksFromAMailProvidersRangesAreTheProviderNotTheReader() {
        TrafficClassifier classifier = new TrafficClassifier(10);
        String safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                + " Version/17.4 Safari/605.1.15";

        assertThat(classify(classifier, from(HitKind.EMAIL_OPEN, "17.58.101.9", safari)))
                .isEqualTo(new TrafficQuality(Verdict.EMAIL_PROXY, List.of("email-proxy:apple")));
        assertThat(classify(classifier, from(HitKind.EMAIL_OPEN, "2a00:1450:4025:401::10a", null)))
                .isEqualTo(new TrafficQuality(Verdict.EMAIL_PROXY, List.of("email-proxy:gmail")));
        assertThat(classify(classifier, from(HitKind.LINK_CLICK, "40.107.22.51", safari)))
                .isEqualTo(new TrafficQuality(Verdict.SCANNER, List.of("scanner:outlook-link-check")));
        // the same networks' page views may be people working there; other addresses are judged as usual
        assertThat(classify(classifier, from(HitKind.PAGE_VIEW, "17.58.101.9", safari)).verdict()).isEqualTo(Verdict.HUMAN);
        assertThat(classify(classifier, from(HitKind.EMAIL_OPEN, "81.2.69.142", safari)).verdict()).isEqualTo(Verdict.HUMAN);
        assertThat(classify(classifier, from(HitKind.EMAIL_OPEN, "not an address", safari)).verdict()).isEqualTo(Verdict.HUMAN);
    }

    @Test
    void anAdminRuleOverridesTheMailProviderRanges() {
        TrafficClassifier classifier = new TrafficClassifier(10);
        classifier.useRules(List.of(new TrafficRule("tr_9", TrafficRule.Kind.ADDRESS, "17.58.0.0/16", Verdict.HUMAN, null, Instant.EPOCH)));

        assertThat(classify(classifier, from(HitKind.EMAIL_OPEN, "17.58.101.9", "Mozilla/5.0")))
                .isEqualTo(new TrafficQuality(Verdict.HUMAN, List.of("rule:tr_9")));
    }

    @Test
    void theShippedMailProviderListParsesAndALineThatIsNoRangeIsRefused() {
        assertThat(MailProxyRanges.shipped().size()).isGreaterThan(10);
        assertThatThrownBy(() -> MailProxyRanges.parse(List.of("17.0.0.0/33 apple")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17.0.0.0/33");
    }

    private static Hit from(HitKind kind, String ip, String agent) {
        return Hit.of(Instant.parse("2026-03-14T12:00:00Z").toEpochMilli(), kind, "px_news")
                .name(kind == HitKind.LINK_CLICK ? "spring-sale" : null).client(new Hit.Client(ip, agent)).build();
    }

    @Test
    void anAddressRangeMatchesAStoredPrefixOnlyWhenAtLeastAsWide() {
        TrafficRule wide = new TrafficRule("a", TrafficRule.Kind.ADDRESS, "66.249.64.0/19", Verdict.BOT, null, Instant.EPOCH);
        TrafficRule narrow = new TrafficRule("b", TrafficRule.Kind.ADDRESS, "66.249.66.1", Verdict.BOT, null, Instant.EPOCH);

        assertThat(wide.matchesStored(null, "66.249.66.0")).isTrue();
        assertThat(wide.matchesStored(null, "66.249.100.0")).isFalse();
        assertThat(narrow.matchesStored(null, "66.249.66.0")).isFalse();
        assertThat(narrow.matchesStored("66.249.66.1", "66.249.66.0")).isTrue();
    }

    @Test
    void aRuleWithABadPatternIsRefusedWithAReason() {
        for (String[] bad : List.of(new String[]{"address", "10.0.0.0/33"}, new String[]{"agent-regex", "(unclosed"},
                new String[]{"agent", " "}, new String[]{"agent", "x".repeat(TrafficRule.MAX_PATTERN + 1)})) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrafficRule("x",
                            TrafficRule.Kind.fromWireName(bad[0]), bad[1], Verdict.BOT, null, Instant.EPOCH))
                    .as(Arrays.toString(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
