package dev.speck.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParamsTest {

    @Test
    void decodesPercentEscapesAsUtf8AndPlusAsSpace() {
        QueryParams q = QueryParams.parse("u=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc&t=Caf%C3%A9+cr%C3%A8me&n=%F0%9F%8E%89", 64);
        assertThat(q.first("u")).isEqualTo("https://example.com/a?b=c");
        assertThat(q.first("t")).isEqualTo("Café crème");
        assertThat(q.first("n")).isEqualTo("🎉");
    }

    @Test
    void theFirstValueOfARepeatedNameCountsAndTheMapKeepsAllInOrder() {
        QueryParams q = QueryParams.parse("a=1&b=2&a=3", 64);
        assertThat(q.first("a")).isEqualTo("1");
        assertThat(q.asMap()).containsExactly(
                java.util.Map.entry("a", List.of("1", "3")), java.util.Map.entry("b", List.of("2")));
    }

    @Test
    void emptyValuesMissingValuesAndEmptyNames() {
        QueryParams q = QueryParams.parse("a=&b&=x&&c=1=2", 64);
        assertThat(q.first("a")).isEmpty();
        assertThat(q.first("b")).isEmpty();
        assertThat(q.first("c")).isEqualTo("1=2");
        assertThat(q.size()).isEqualTo(3); // "=x" and the empty pair are not parameters
        assertThat(q.first("missing")).isNull();
    }

    @Test
    void aSemicolonIsAnOrdinaryCharacterAndAFragmentEndsTheQuery() {
        QueryParams q = QueryParams.parse("t=a;b&n=x#frag&z=1", 64);
        assertThat(q.first("t")).isEqualTo("a;b");
        assertThat(q.first("n")).isEqualTo("x");
        assertThat(q.first("z")).isNull();
    }

    @Test
    void pairsBeyondTheLimitAreIgnored() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            s.append("k").append(i).append("=v&");
        }
        QueryParams q = QueryParams.parse(s.toString(), 64);
        assertThat(q.size()).isEqualTo(64);
        assertThat(q.first("k63")).isEqualTo("v");
        assertThat(q.first("k64")).isNull();
    }

    @Test
    void malformedEscapesInvalidUtf8AndNulAreRefused() {
        for (String bad : List.of("u=%", "u=%4", "u=%zz", "u=abc%C3", "u=%C3%28", "u=%FF", "u=%00", "%C3=1", "u=a\u0000b")) {
            assertThatThrownBy(() -> QueryParams.parse(bad, 64)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anEmptyQueryHasNoParameters() {
        assertThat(QueryParams.parse("", 64).size()).isZero();
        assertThat(QueryParams.parse("", 64).asMap()).isEmpty();
    }

    @Test
    void charactersTheRequestLineHeldUnescapedAreKeptNextToEscapes() {
        // a byte-for-char request line: raw 'é' (0xE9) and 'ü' next to an escape and a plus
        QueryParams q = QueryParams.parse("t=\u00e9\u00fc\u00e9\u00fc%20x+y&n=caf\u00e9", 64);
        assertThat(q.first("t")).isEqualTo("éüéü x y");
        assertThat(q.first("n")).isEqualTo("café");
    }
}
