package dev.speck.enrich;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.speck.testing.FixedBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.speck.testing.Mutations;
import org.junit.jupiter.api.BeforeAll;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of what enrichment reads from a request's headers: the user agent with its client
 * hints (Sec-CH-UA*, as the collector keeps them) and the tag's first-party id. An ordinary test
 * run replays src/test/resources/dev/speck/enrich/ClientHintsFuzzTestInputs/; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='ClientHintsFuzzTest#anyUserAgentAndHintsGiveADevice'}.
 */
class ClientHintsFuzzTest {

    /** One analyzer for the class: building it takes seconds. */
    private static UserAgents userAgents;
    private static final FirstPartyIds FIRST_PARTY_IDS = new FirstPartyIds(new byte[32]);

    private static final List<String> AGENTS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "curl/8.5.0", "");
    private static final Map<String, List<String>> HINTS = Map.of(
            "sec-ch-ua", List.of("\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\""),
            "sec-ch-ua-full-version-list", List.of("\"Chromium\";v=\"124.0.6367.82\", \"Google Chrome\";v=\"124.0.6367.82\""),
            "sec-ch-ua-mobile", List.of("?1", "?0"),
            "sec-ch-ua-platform", List.of("\"Android\"", "\"Windows\"", "\"macOS\""),
            "sec-ch-ua-platform-version", List.of("\"14.0.0\"", "\"15.0.0\""),
            "sec-ch-ua-model", List.of("\"Pixel 8\"", "\"\""),
            "sec-ch-ua-arch", List.of("\"x86\"", "\"arm\""),
            "sec-ch-ua-bitness", List.of("\"64\""),
            "sec-ch-ua-wow64", List.of("?0"),
            "sec-ch-ua-form-factors", List.of("\"Desktop\""));

    @BeforeAll
    static void buildAnalyzer() {
        userAgents = new UserAgents(1000);
        userAgents.warmUp();
    }

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /**
     * Any user agent with any hints: a device (UNKNOWN at worst), never an exception, its names
     * bounded. The fixed budget's try 419 (kept in the inputs) sent YAUAA's parser into a
     * StackOverflowError on an agent of nested brackets, an Error that went past every catch on
     * the loader's thread.
     */
    @FuzzTest(maxDuration = "5m")
    void anyUserAgentAndHintsGiveADevice(FuzzedDataProvider data) {
        Map<String, String> hints = new HashMap<>();
        for (int n = data.consumeInt(0, 12); n > 0; n--) {
            String name = data.pickValue(List.copyOf(HINTS.keySet()));
            hints.put(name, Mutations.mutate(data, HINTS.get(name)));
        }
        String agent = Mutations.mutate(data, AGENTS);

        Device device = userAgents.parse(agent, hints);

        assertThat(device).isNotNull();
        // what YAUAA names comes from the agent and its hints (a version may be echoed): never more
        int sent = agent.length() + hints.values().stream().mapToInt(String::length).sum();
        for (String part : List.of(String.valueOf(device.deviceClass()), String.valueOf(device.browser()),
                String.valueOf(device.os()), String.valueOf(device.browserVersion()))) {
            assertThat(part.length()).as(agent + " " + hints).isLessThanOrEqualTo(sent + 64);
        }
    }

    /** A first-party id, whatever it holds, becomes a 17-character visitor id of its own per pixel. */
    @FuzzTest(maxDuration = "5m")
    void aFirstPartyIdBecomesAKeyedIdOfFixedShape(FuzzedDataProvider data) {
        String pixel = data.consumeString(20);
        String id = data.consumeRemainingAsString();

        String visitor = FIRST_PARTY_IDS.idFor(pixel, id);

        assertThat(visitor).matches("f[A-Za-z0-9_-]{16}");
        assertThat(FIRST_PARTY_IDS.idFor(pixel, id)).isEqualTo(visitor);
    }
}
