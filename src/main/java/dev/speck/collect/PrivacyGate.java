package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.NotRecorded;
import dev.speck.hit.Signals;
import dev.speck.http.Exchange;

import dev.speck.pixels.Pixel;
import dev.speck.pixels.VisitorPrivacy;
import dev.speck.privacy.AccountSettings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Decides, on the event loop and before anything is journaled, whether a hit may be recorded and
 * with which identifiers. Opt-outs cost nothing and leave no trace but a counter: a hit refused
 * here is never parsed into a Hit, so its IP is not even written to the journal.
 */
final class PrivacyGate {

    static final String GRANTED = "granted";
    static final String DENIED = "denied";
    private static final Pattern FIRST_PARTY_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final Supplier<AccountSettings> account;
    private final HitRecorder recorder;

    PrivacyGate(Supplier<AccountSettings> account, HitRecorder recorder) {
        this.account = account;
        this.recorder = recorder;
    }

    /** Checks what the request and the account say before the hit is read; counts and returns the reason, or null. */
    NotRecorded refuse(Exchange ex, Pixel pixel) {
        NotRecorded reason = reason(ex, pixel);
        if (reason != null) {
            recorder.notRecorded(reason);
        }
        return reason;
    }

    private NotRecorded reason(Exchange ex, Pixel pixel) {
        if (!account.get().pixelsEnabled()) {
            return NotRecorded.PIXELS_OFF;
        }
        if (OptOutCookie.isSet(ex.header("Cookie"))) {
            return NotRecorded.OPT_OUT;
        }
        if ("1".equals(ex.header("Sec-GPC"))) {
            return NotRecorded.GPC;
        }
        if (pixel.privacy().honourDoNotTrack() && "1".equals(ex.header("DNT"))) {
            return NotRecorded.DNT;
        }
        return null;
    }

    /**
     * The consent and first-party id a request carried, as hit signals; throws IllegalArgumentException
     * for values that are neither (a malformed request). The id is kept only with consent granted.
     */
    static Map<String, String> signals(String consent, String firstPartyId) {
        if (consent != null && !consent.isEmpty() && !consent.equals(GRANTED) && !consent.equals(DENIED)) {
            throw new IllegalArgumentException("consent must be granted or denied");
        }
        if (firstPartyId != null && !firstPartyId.isEmpty() && !FIRST_PARTY_ID.matcher(firstPartyId).matches()) {
            throw new IllegalArgumentException("fpid must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
        }
        if (consent == null || consent.isEmpty()) {
            return null;
        }
        Map<String, String> signals = new LinkedHashMap<>(2);
        signals.put(Signals.CONSENT, consent);
        if (consent.equals(GRANTED) && firstPartyId != null && !firstPartyId.isEmpty()) {
            signals.put(Signals.FIRST_PARTY_ID, firstPartyId);
        }
        return signals;
    }

    /**
     * The hit as the pixel's consent rule lets it be recorded: as it is, anonymous (no identifier at
     * all), or null when it must be dropped (counted as no_consent).
     */
    Hit apply(Hit hit, Pixel pixel) {
        VisitorPrivacy privacy = pixel.privacy();
        String consent = hit.signals().get(Signals.CONSENT);
        boolean granted = GRANTED.equals(consent);
        if (!granted && privacy.consent() == VisitorPrivacy.ConsentRule.REQUIRED_DROP) {
            recorder.notRecorded(NotRecorded.NO_CONSENT);
            return null;
        }
        if (DENIED.equals(consent) || (!granted && privacy.consent() == VisitorPrivacy.ConsentRule.REQUIRED_ANONYMOUS)) {
            return anonymous(hit);
        }
        if (privacy.identity() != VisitorPrivacy.IdentityMode.FIRST_PARTY && hit.signals().containsKey(Signals.FIRST_PARTY_ID)) {
            Map<String, String> s = new LinkedHashMap<>(hit.signals());
            s.remove(Signals.FIRST_PARTY_ID); // a cookieless pixel keeps no device id, whatever the page sends
            return hit.withSignals(s);
        }
        return hit;
    }

    /** No visitor id, IP prefix, first-party id, customer identity or recipient token survives this. */
    static Hit anonymous(Hit hit) {
        Map<String, String> s = new LinkedHashMap<>();
        String consent = hit.signals().get(Signals.CONSENT);
        if (consent != null) {
            s.put(Signals.CONSENT, consent);
        }
        s.put(Signals.ANONYMOUS, "1");
        return hit.withEmail(new Hit.Email(hit.email().campaign(), null)).withSignals(s);
    }
}
