package dev.speck.deliver;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureAndBackoffTest {

    @Test
    void aSignatureVerifiesWithItsSecretOnlyAndOnlyForItsBody() {
        String secret = Signature.newSecret();
        String header = Signature.header(secret, 1_765_000_000L, "{\"a\":1}");
        assertThat(header).startsWith("t=1765000000,v1=");
        assertThat(Signature.verifies(secret, header, "{\"a\":1}")).isTrue();
        assertThat(Signature.verifies(Signature.newSecret(), header, "{\"a\":1}")).isFalse();
        assertThat(Signature.verifies(secret, header, "{\"a\":2}")).isFalse();
        assertThat(Signature.verifies(secret, header.replace("t=1765000000", "t=1765000001"), "{\"a\":1}")).isFalse();
    }

    @Test
    void theSignatureIsTheHexHmacOfTimeDotBody() {
        // the value docs/DELIVERY.md's Python and Node examples compute (checked with both)
        assertThat(Signature.header("whsec_test", 1_765_000_000L, "{\"event\":\"goal\"}")).isEqualTo(
                "t=1765000000,v1=a537ef6287504ba0e3d9ac064314f4115ff75e73838cfd0e2dfb20fcc6fdf1fd");
        assertThat(Signature.hmac("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void eachWaitDoublesWithinItsSpreadUntilTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(30));
        assertThat(b.nominalMs(1)).isEqualTo(30_000);
        assertThat(b.nominalMs(2)).isEqualTo(60_000);
        assertThat(b.nominalMs(8)).isEqualTo(3_600_000);
        assertThat(b.nominalMs(60)).isEqualTo(3_600_000);
        for (int n = 1; n < 7; n++) {
            assertThat(b.delayMs(n)).isBetween(24_000L << (n - 1), 36_000L << (n - 1));
        }
    }

    @Test
    void aDeliveryRefusesWhatItCouldNotSendSafely() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> Delivery.of("a b", "tr", null, "https://x.example/", "POST", Map.of(), "{}", now))
                .hasMessageContaining("key");
        assertThatThrownBy(() -> Delivery.of("k", "tr", null, "ftp://x.example/", "POST", Map.of(), "{}", now))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> Delivery.of("k", "tr", null, "https://u:p@x.example/", "POST", Map.of(), "{}", now))
                .hasMessageContaining("user info");
        assertThatThrownBy(() -> Delivery.of("k", "tr", null, "https://x.example/", "GET", Map.of(), "{}", now))
                .hasMessageContaining("POST, PUT or PATCH");
        for (String h : new String[]{"Host", "Content-Length", "Transfer-Encoding", "Connection", "Speck-Signature"}) {
            assertThatThrownBy(() -> Delivery.of("k", "tr", null, "https://x.example/", "POST", Map.of(h, "x"), "{}", now))
                    .as(h).hasMessageContaining("set by Speck");
        }
        assertThatThrownBy(() -> Delivery.of("k", "tr", null, "https://x.example/", "POST", Map.of("X-A", "a\r\nB: c"),
                "{}", now)).hasMessageContaining("control characters");
        assertThat(Delivery.endpoint("HTTPS://Hooks.Example.com:443/a?x=1")).isEqualTo("https://hooks.example.com/a");
    }
}
