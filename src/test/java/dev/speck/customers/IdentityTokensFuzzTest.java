package dev.speck.customers;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.speck.testing.FixedBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.testing.Mutations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the signed identity claims a page or a landing URL carries
 * ({@code speck('identify', id, sig)}, {@code ?speck_id=<reference>.<expiry>.<signature>}, a signed
 * email recipient). An ordinary test run replays
 * src/test/resources/dev/speck/customers/IdentityTokensFuzzTestInputs/; to fuzz one target:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='IdentityTokensFuzzTest#aTamperedClaimIsNeverAccepted'}.
 */
class IdentityTokensFuzzTest {

    private static final IdentitySigner SIGNER = new IdentitySigner("fuzz-identity-secret-0123456789abcdef");
    private static final String PIXEL = "px_Fuzz-01";
    private static final long NOW = 1_800_000_000L;

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /** Signed, then changed anywhere (reference, pixel, purpose, signature): refused unless it says the same. */
    @FuzzTest(maxDuration = "5m")
    void aTamperedClaimIsNeverAccepted(FuzzedDataProvider data) {
        IdentitySigner.Purpose purpose = data.pickValue(IdentitySigner.Purpose.values());
        String reference = data.consumeString(80);
        String signature = SIGNER.sign(purpose, PIXEL, reference);
        assertThat(SIGNER.verify(purpose, PIXEL, reference, signature)).isTrue();
        assertThat(SIGNER.verify(purpose, PIXEL, reference, signature.toUpperCase())).isTrue();

        IdentitySigner.Purpose purpose2 = data.consumeBoolean() ? purpose : data.pickValue(IdentitySigner.Purpose.values());
        String pixel2 = data.consumeBoolean() ? PIXEL : Mutations.mutate(data, List.of(PIXEL)).replace(":", "");
        String reference2 = data.consumeBoolean() ? reference : Mutations.mutate(data, List.of(reference));
        String signature2 = data.consumeBoolean() ? signature : Mutations.mutate(data, List.of(signature));

        if (SIGNER.verify(purpose2, pixel2, reference2, signature2)) {
            assertThat(List.of(purpose2, pixel2)).isEqualTo(List.of(purpose, PIXEL));
            // the same message (an unpaired surrogate is '?' in UTF-8; no decoded request text holds one)
            assertThat(reference2.getBytes(StandardCharsets.UTF_8)).isEqualTo(reference.getBytes(StandardCharsets.UTF_8));
            assertThat(signature2).isEqualToIgnoringCase(signature);
        }
    }

    /**
     * A landing URL's token is taken off the URL and referrer (never stored), parsed and verified:
     * the one that was signed is accepted until it expires, a changed one never.
     */
    @FuzzTest(maxDuration = "5m")
    void aLandingTokenSurvivesTheUrlAndOnlyUntampered(FuzzedDataProvider data) {
        String reference = "c" + wellFormed(data.consumeString(60)); // a customer reference is never empty
        long expires = NOW + data.consumeLong(-1000, 1_000_000);
        String token = LandingTokens.token(reference, expires, SIGNER.signLanding(PIXEL, expires, reference));
        String sent = data.consumeBoolean() ? token : Mutations.mutate(data, List.of(token));
        String page = Mutations.mutate(data, List.of("https://shop.example/", "https://shop.example/p?a=1&b=2#top",
                "https://shop.example/?speck_id=x&speck_id=y"));
        String url = page + (page.contains("?") ? "&" : "?") + LandingTokens.PARAMETER + "="
                + URLEncoder.encode(sent, StandardCharsets.UTF_8);
        Hit hit = Hit.of(NOW * 1000, HitKind.PAGE_VIEW, PIXEL).page(new Hit.Page(url, url, "t")).build();

        Hit stripped = LandingTokens.strip(hit);

        // a page URL with a fragment carries the token in the fragment, which is no parameter
        boolean plain = !page.contains("#") && !page.contains(LandingTokens.PARAMETER);
        if (plain) {
            assertThat(stripped.page().url()).doesNotContain(LandingTokens.PARAMETER + "=");
        }
        assertThat(stripped.page().referrer()).isEqualTo(stripped.page().url());
        String carried = stripped.signals().get(LandingTokens.SIGNAL);
        LandingTokens.Token parsed = LandingTokens.Token.parse(carried);
        boolean accepted = parsed != null
                && SIGNER.verifyLanding(PIXEL, parsed.expiresAt(), parsed.reference(), parsed.signature(), NOW);
        if (sent.equals(token) && plain) {
            assertThat(carried).as(url).isEqualTo(token);
            assertThat(accepted).as(url + " carried " + carried + " parsed " + parsed).isEqualTo(expires >= NOW);
        }
        if (accepted) {
            assertThat(parsed.reference()).isEqualTo(reference);
            assertThat(parsed.expiresAt()).isEqualTo(expires);
        }
    }

    /** The text without NUL and unpaired surrogates: what a URL can carry. */
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
