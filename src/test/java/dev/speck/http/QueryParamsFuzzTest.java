package dev.speck.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.speck.testing.FixedBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.speck.testing.Mutations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the query-string decoder every hit and API call goes through. An ordinary test run
 * replays the inputs under src/test/resources/dev/speck/http/QueryParamsFuzzTestInputs/; to fuzz one
 * target: {@code JAZZER_FUZZ=1 mvn -o test -Dtest='QueryParamsFuzzTest#neverThrowsButARefusalAndStaysBounded'}
 * (docs/TESTING.md, "Fuzzing").
 */
class QueryParamsFuzzTest {

    private static final List<String> QUERIES = List.of(
            "u=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc&t=Caf%C3%A9+cr%C3%A8me&n=%F0%9F%8E%89",
            "a=1&b=2&a=3&p.plan=pro&p.plan=free", "a=&b&=x&&c=1=2", "t=a;b&n=x#frag&z=1",
            "k=goal&n=purchase&v=1e3&cur=EUR", "u=%E2%82%AC%20%2B%20%25");

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /** Anything at all: decoded, or refused with IllegalArgumentException; never more pairs or text than sent. */
    @FuzzTest(maxDuration = "5m")
    void neverThrowsButARefusalAndStaysBounded(FuzzedDataProvider data) {
        int maxPairs = data.consumeInt(1, 64);
        String query = data.consumeBoolean() ? Mutations.mutate(data, QUERIES) : data.consumeRemainingAsString();
        QueryParams q;
        try {
            q = QueryParams.parse(query, maxPairs);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(q.size()).isBetween(0, maxPairs);
        long decoded = 0;
        for (int i = 0; i < q.size(); i++) {
            String name = q.name(i);
            String value = q.value(i); // null where a value could not be read (once values are refused one at a time)
            assertThat(name).isNotEmpty().doesNotContain("\u0000");
            if (value != null) {
                assertThat(value).doesNotContain("\u0000");
            }
            decoded += name.length() + (value == null ? 0 : value.length());
        }
        // an escape is three characters for a byte, '+' one for a space: decoding never grows the text
        assertThat(decoded).isLessThanOrEqualTo(query.length());
        for (int i = 0; i < q.size(); i++) {
            try {
                assertThat(q.first(q.name(i))).isNotNull();
            } catch (IllegalArgumentException unreadable) {
                // a value that could not be read, read by name
            }
        }
    }

    /** Names and values a browser percent-encodes (any text but NUL) come back exactly as they were. */
    @FuzzTest(maxDuration = "5m")
    void percentEncodedPairsComeBackAsSent(FuzzedDataProvider data) {
        List<String[]> sent = new ArrayList<>();
        StringBuilder query = new StringBuilder();
        for (int n = data.consumeInt(1, 70); n > 0; n--) {
            String name = wellFormed(data.consumeString(20));
            String value = wellFormed(data.consumeString(200));
            if (name.isEmpty()) {
                continue; // a pair without a name is no parameter
            }
            sent.add(new String[] {name, value});
            query.append(query.isEmpty() ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }

        QueryParams q = QueryParams.parse(query.toString(), 64);

        assertThat(q.size()).isEqualTo(Math.min(sent.size(), 64));
        for (int i = 0; i < q.size(); i++) {
            assertThat(q.name(i)).isEqualTo(sent.get(i)[0]);
            assertThat(q.value(i)).isEqualTo(sent.get(i)[1]);
        }
    }

    /** The text without NUL and unpaired surrogates (which no UTF-8 can carry). */
    private static String wellFormed(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (c != 0 && !Character.isSurrogate(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
