package dev.speck.customers;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LandingTokensTest {

    private static Hit page(String url, String referrer) {
        return Hit.of(1L, HitKind.PAGE_VIEW, "px").page(new Hit.Page(url, referrer, null))
                .client(new Hit.Client("1.2.3.4", "ua")).build();
    }

    @Test
    void speckIdLeavesTheUrlAndTheReferrerAndTheOtherParametersStay() {
        Hit hit = LandingTokens.strip(page("https://a.example/p?utm_source=x&speck_id=u%2E1.99.abc&b=2#frag",
                "https://a.example/?speck_id=u.1.2.3"));

        assertThat(hit.page().url()).isEqualTo("https://a.example/p?utm_source=x&b=2#frag");
        assertThat(hit.page().referrer()).isEqualTo("https://a.example/");
        assertThat(hit.signals()).containsEntry(LandingTokens.SIGNAL, "u.1.99.abc");
    }

    @Test
    void aUrlWithoutTheParameterIsLeftAlone() {
        Hit hit = page("https://a.example/p?speck_idx=1&q=speck_id", null);

        assertThat(LandingTokens.strip(hit)).isSameAs(hit);
    }

    @Test
    void tokenSplitsFromTheRightSoIdsMayHoldDots() {
        LandingTokens.Token t = LandingTokens.Token.parse("first.last@example.com.1767225600.deadbeef");

        assertThat(t.reference()).isEqualTo("first.last@example.com");
        assertThat(t.expiresAt()).isEqualTo(1767225600L);
        assertThat(t.signature()).isEqualTo("deadbeef");
        assertThat(LandingTokens.Token.parse("no-expiry.deadbeef")).isNull();
        assertThat(LandingTokens.Token.parse("id.notanumber.sig")).isNull();
    }

    @Test
    void signaturesBindPurposePixelReferenceAndExpiry() {
        IdentitySigner signer = new IdentitySigner("0123456789abcdef0123456789abcdef");
        String sig = signer.sign(IdentitySigner.Purpose.IDENTIFY, "px", "u-1");

        assertThat(signer.verify(IdentitySigner.Purpose.IDENTIFY, "px", "u-1", sig)).isTrue();
        assertThat(signer.verify(IdentitySigner.Purpose.IDENTIFY, "px", "u-2", sig)).isFalse();
        assertThat(signer.verify(IdentitySigner.Purpose.IDENTIFY, "py", "u-1", sig)).isFalse();
        assertThat(signer.verify(IdentitySigner.Purpose.EMAIL_OPEN, "px", "u-1", sig)).isFalse();
        assertThat(signer.verify(IdentitySigner.Purpose.IDENTIFY, "px", "u-1", null)).isFalse();
        String landing = signer.signLanding("px", 2000, "u-1");
        assertThat(signer.verifyLanding("px", 2000, "u-1", landing, 1999)).isTrue();
        assertThat(signer.verifyLanding("px", 2000, "u-1", landing, 2001)).as("expired").isFalse();
        assertThat(signer.verifyLanding("px", 3000, "u-1", landing, 1999)).as("expiry moved").isFalse();
    }
}
