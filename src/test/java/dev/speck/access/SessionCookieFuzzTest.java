package dev.speck.access;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.speck.testing.FixedBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.speck.http.Exchange;
import dev.speck.testing.Mutations;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the console's session cookie and the tokens it carries: the Cookie header of any
 * request to the API. An ordinary test run replays
 * src/test/resources/dev/speck/access/SessionCookieFuzzTestInputs/; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='SessionCookieFuzzTest#theSessionTokenIsFoundAmongAnyOtherCookies'}.
 */
class SessionCookieFuzzTest {

    private static final List<String> HEADERS = List.of("speck_session=abc", "a=1; b=\"quoted\"; c",
            "speck_session=; speck_session=x", "=; ;;", "__Host-x=1; $Version=1; speck_optout=1", "");

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /** The token the browser was given comes back, whatever other cookies the header holds; never an exception. */
    @FuzzTest(maxDuration = "5m")
    void theSessionTokenIsFoundAmongAnyOtherCookies(FuzzedDataProvider data) {
        String other = Mutations.mutate(data, HEADERS).replace("speck_session", "other");
        String token = Tokens.random256();
        String cookie = SessionCookie.set(token, Duration.ofHours(1), data.consumeBoolean());
        String pair = cookie.substring(0, cookie.indexOf(';'));
        String header = data.consumeBoolean() ? pair + "; " + other : other + "; " + pair;

        String anything = SessionCookie.token(exchange(Mutations.mutate(data, HEADERS)));
        String found = SessionCookie.token(exchange(header));

        if (anything != null) {
            assertThat(anything.length()).isLessThanOrEqualTo(8192);
        }
        if (header.length() <= 8192 && header.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            assertThat(found).as(header + " read as " + io.netty.handler.codec.http.cookie.ServerCookieDecoder.STRICT.decodeAll(header))
                    .isEqualTo(token);
        }
    }

    /** A token compares equal only to itself, and its hash is always 64 hex digits, whatever the text. */
    @FuzzTest(maxDuration = "5m")
    void aTokenMatchesOnlyItself(FuzzedDataProvider data) {
        String a = data.consumeString(100);
        String b = data.consumeRemainingAsString();

        assertThat(Tokens.sameText(a, a)).isTrue();
        assertThat(Tokens.sameText(a, b)).isEqualTo(a.equals(b) || sameUtf8(a, b));
        assertThat(Tokens.sha256(b)).matches("[0-9a-f]{64}");
    }

    /** Unpaired surrogates encode as '?', so two such texts may share their bytes: equal for a hash too. */
    private static boolean sameUtf8(String a, String b) {
        return java.util.Arrays.equals(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Exchange exchange(String cookieHeader) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/session");
        try {
            request.headers().set("Cookie", cookieHeader.strip()); // as Netty's decoder hands a value over
        } catch (IllegalArgumentException noHeaderValue) { // Netty's codec would not have let it through
            request.headers().set("Cookie", "");
        }
        return new Exchange(request, new InetSocketAddress("127.0.0.1", 1));
    }
}
