package dev.speck.enrich;

import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import nl.basjes.parse.useragent.config.TestCase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compaction reaches into YAUAA's internals, so it is pinned against YAUAA's own test cases:
 * the same analyzer, built twice, compacted once, must tell every one of them apart the same way.
 */
class AnalyzerCompactionTest {

    private static UserAgentAnalyzer asBuilt;
    private static UserAgentAnalyzer compacted;
    private static int compactedSets;

    @BeforeAll
    static void buildBoth() {
        asBuilt = UserAgents.analyzerBuilder().build(); // keeps YAUAA's test cases: the corpus below
        compacted = UserAgents.analyzerBuilder().dropTests().build();
        compactedSets = AnalyzerCompaction.compact(compacted);
    }

    @AfterAll
    static void release() {
        asBuilt.destroy();
        compacted.destroy();
    }

    @Test
    void findsYauaasRuleIndexAndCompactsItsSets() {
        // ~198,000 with YAUAA 7.32 and Speck's fields; 0 would mean an upgrade moved the index.
        assertThat(compactedSets).isGreaterThan(100_000);
        assertThat(AnalyzerCompaction.keysPacked(compacted)).as("the index's keys packed into one array").isTrue();
        assertThat(AnalyzerCompaction.keysPacked(asBuilt)).isFalse();
    }

    @Test
    void compactedAnalyzerParsesEveryOneOfYauaasTestCasesAsBefore() {
        List<TestCase> cases = asBuilt.getConfig().getTestCases();
        assertThat(cases).hasSizeGreaterThan(1_000);
        List<String> differences = new ArrayList<>();
        for (TestCase testCase : cases) {
            UserAgent expected = asBuilt.parse(testCase.getHeaders());
            UserAgent actual = compacted.parse(testCase.getHeaders());
            for (String field : UserAgents.FIELDS) {
                if (!Objects.equals(expected.getValue(field), actual.getValue(field))
                        || !Objects.equals(expected.getConfidence(field), actual.getConfidence(field))) {
                    differences.add(field + " of " + testCase.getUserAgent() + ": " + expected.getValue(field)
                            + " became " + actual.getValue(field));
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void compactingAgainChangesNothing() {
        assertThat(AnalyzerCompaction.compact(compacted)).isZero();
    }
}
