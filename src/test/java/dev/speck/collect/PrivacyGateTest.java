package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Signals;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivacyGateTest {

    private static final String FPID = "0123456789abcdef0123456789abcdef";

    @Test
    void theFirstPartyIdIsKeptOnlyWithConsentGranted() {
        assertThat(PrivacyGate.signals("granted", FPID))
                .isEqualTo(Map.of(Signals.CONSENT, "granted", Signals.FIRST_PARTY_ID, FPID));
        assertThat(PrivacyGate.signals("denied", FPID)).isEqualTo(Map.of(Signals.CONSENT, "denied"));
        assertThat(PrivacyGate.signals(null, FPID)).isNull();
    }

    @Test
    void consentAndIdsThatAreNeitherAreMalformed() {
        assertThatThrownBy(() -> PrivacyGate.signals("yes", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("granted or denied");
        assertThatThrownBy(() -> PrivacyGate.signals("granted", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivacyGate.signals("granted", FPID + "<script>")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAnonymousHitKeepsNoIdentifierButWhatIdentifiesNoOne() {
        Hit hit = Hit.of(1L, HitKind.EMAIL_OPEN, "px").page(new Hit.Page("https://a.example/", null, null))
                .client(new Hit.Client("203.0.113.9", "UA", null, "en", null, null, null))
                .email(new Hit.Email("news", "rcpt-1")).props(Map.of("plan", "pro"))
                .signals(Map.of(Signals.CONSENT, "denied", Signals.FIRST_PARTY_ID, FPID, Signals.IDENTITY, "cust-1"))
                .build();

        Hit anonymous = PrivacyGate.anonymous(hit);

        assertThat(anonymous.email().recipient()).isNull();
        assertThat(anonymous.signals()).isEqualTo(Map.of(Signals.CONSENT, "denied", Signals.ANONYMOUS, "1"));
        assertThat(anonymous.email().campaign()).isEqualTo("news");
        assertThat(anonymous.props()).isEqualTo(Map.of("plan", "pro"));
    }

    @Test
    void theOptOutCookieIsFoundAmongOthersAndOnlyWithItsValue() {
        assertThat(OptOutCookie.isSet("a=1; speck_optout=1; b=2")).isTrue();
        assertThat(OptOutCookie.isSet("speck_optout=1")).isTrue();
        assertThat(OptOutCookie.isSet("speck_optout=0")).isFalse();
        assertThat(OptOutCookie.isSet("xspeck_optout=1")).isFalse();
        assertThat(OptOutCookie.isSet(null)).isFalse();
    }
}
