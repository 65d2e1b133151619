package dev.speck.privacy;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.NotRecorded;
import dev.speck.hit.Signals;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsentDecisionTest {

    private static final String FPID = "0123456789abcdef0123456789abcdef";

    @Test
    void theFirstPartyIdIsKeptOnlyWithConsentGranted() {
        assertThat(ConsentDecision.signals("granted", FPID))
                .isEqualTo(Map.of(Signals.CONSENT, "granted", Signals.FIRST_PARTY_ID, FPID));
        assertThat(ConsentDecision.signals("denied", FPID)).isEqualTo(Map.of(Signals.CONSENT, "denied"));
        assertThat(ConsentDecision.signals(null, FPID)).isNull();
    }

    @Test
    void consentAndIdsThatAreNeitherAreMalformed() {
        assertThatThrownBy(() -> ConsentDecision.signals("yes", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("granted or denied");
        assertThatThrownBy(() -> ConsentDecision.signals("granted", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsentDecision.signals("granted", FPID + "<script>")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAnonymousHitKeepsNoIdentifierButWhatIdentifiesNoOne() {
        Hit hit = Hit.of(1L, HitKind.EMAIL_OPEN, "px").page(new Hit.Page("https://a.example/", null, null))
                .client(new Hit.Client("203.0.113.9", "UA", null, "en", null, null, null))
                .email(new Hit.Email("news", "rcpt-1")).props(Map.of("plan", "pro"))
                .signals(Map.of(Signals.CONSENT, "denied", Signals.FIRST_PARTY_ID, FPID, Signals.IDENTITY, "cust-1"))
                .build();

        Hit anonymous = ConsentDecision.anonymous(hit);

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

    @Test
    void theAccountSwitchComesFirstThenTheOptOutCookieThenGpcThenDntWhereThePixelHonoursIt() {
        VisitorPrivacy honours = VisitorPrivacy.DEFAULTS;
        VisitorPrivacy ignoresDnt = new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, false, 395);
        PrivacyRequest everything = new PrivacyRequest("speck_optout=1", "1", "1");
        ConsentDecision on = new ConsentDecision(() -> AccountSettings.DEFAULTS);
        ConsentDecision off = new ConsentDecision(() -> new AccountSettings(false, false, 30));

        assertThat(off.refusal(honours, everything)).isEqualTo(NotRecorded.PIXELS_OFF);
        assertThat(on.refusal(honours, everything)).isEqualTo(NotRecorded.OPT_OUT);
        assertThat(on.refusal(honours, new PrivacyRequest("a=1", "1", "1"))).isEqualTo(NotRecorded.GPC);
        assertThat(on.refusal(honours, new PrivacyRequest(null, null, "1"))).isEqualTo(NotRecorded.DNT);
        assertThat(on.refusal(ignoresDnt, new PrivacyRequest(null, null, "1"))).isNull();
        assertThat(on.refusal(honours, new PrivacyRequest(null, "0", "0"))).isNull();
    }

    @Test
    void theConsentRuleDropsMakesAnonymousOrKeepsAndACookielessPixelKeepsNoFirstPartyId() {
        ConsentDecision decision = new ConsentDecision(() -> AccountSettings.DEFAULTS);
        Hit unasked = Hit.of(1L, HitKind.PAGE_VIEW, "px").email(new Hit.Email(null, "rcpt-1")).build();
        Hit granted = unasked.withSignals(ConsentDecision.signals("granted", FPID));
        VisitorPrivacy drop = new VisitorPrivacy(VisitorPrivacy.IdentityMode.FIRST_PARTY,
                VisitorPrivacy.ConsentRule.REQUIRED_DROP, true, 395);
        VisitorPrivacy anonymous = new VisitorPrivacy(VisitorPrivacy.IdentityMode.FIRST_PARTY,
                VisitorPrivacy.ConsentRule.REQUIRED_ANONYMOUS, true, 395);

        assertThat(decision.apply(unasked, drop)).isNull();
        assertThat(decision.apply(granted, drop)).isEqualTo(granted);
        assertThat(decision.apply(unasked, anonymous).signals()).isEqualTo(Map.of(Signals.ANONYMOUS, "1"));
        assertThat(decision.apply(unasked, anonymous).email().recipient()).isNull();
        assertThat(decision.apply(granted, VisitorPrivacy.DEFAULTS).signals())
                .isEqualTo(Map.of(Signals.CONSENT, "granted"));
        assertThat(decision.apply(unasked, VisitorPrivacy.DEFAULTS)).isEqualTo(unasked);
    }
}
