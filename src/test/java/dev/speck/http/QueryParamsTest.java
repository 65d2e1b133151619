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
    void aValueThatDoesNotDecodeIsUnreadableAloneAndSaysWhy() {
        for (String bad : List.of("u=%", "u=%4", "u=%zz", "u=%00", "u=a\u0000b", "u=%\u00e9\u00e9")) {
            QueryParams q = QueryParams.parse(bad + "&t=fine", 64);
            assertThat(q.value(0)).as(bad).isNull();
            assertThat(q.problem(0)).as(bad).isEqualTo(QueryParams.Problem.MALFORMED);
            assertThat(q.first("t")).as(bad).isEqualTo("fine");
            assertThatThrownBy(() -> q.first("u")).as(bad).isInstanceOf(QueryParams.Unreadable.class);
            assertThatThrownBy(q::asMap).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : List.of("u=abc%C3", "u=%C3%28", "u=%FF", "u=%ED%A0%80", "u=\u00ff")) {
            QueryParams q = QueryParams.parse(bad + "&t=fine", 64);
            assertThat(q.problem(0)).as(bad).isEqualTo(QueryParams.Problem.NOT_UTF8);
            assertThat(q.first("t")).as(bad).isEqualTo("fine");
        }
    }

    @Test
    void aNameThatDoesNotDecodeLeavesItsPairOutAndIsCounted() {
        QueryParams q = QueryParams.parse("%C3=1&p.%zz=2&t=fine", 64);
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.unreadableNames()).isEqualTo(2);
        assertThat(q.first("t")).isEqualTo("fine");
        assertThatThrownBy(q::asMap).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyQueryHasNoParameters() {
        assertThat(QueryParams.parse("", 64).size()).isZero();
        assertThat(QueryParams.parse("", 64).asMap()).isEmpty();
    }

    @Test
    void bytesTheRequestLineHeldUnescapedAreDecodedAsUtf8NextToEscapes() {
        // Netty reads the request line one byte per character: a raw UTF-8 'é' (C3 A9) arrives as "Ã©"
        String e = "\u00c3\u00a9";
        String u = "\u00c3\u00bc";
        QueryParams q = QueryParams.parse("t=" + e + u + e + u + "%20x+y&n=caf" + e + "&z=%F0%9F%8E%89" + e, 64);
        assertThat(q.first("t")).isEqualTo("éüéü x y");
        assertThat(q.first("n")).isEqualTo("café");
        assertThat(q.first("z")).isEqualTo("🎉é");
    }
}
