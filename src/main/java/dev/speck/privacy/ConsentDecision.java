package dev.speck.privacy;

import dev.speck.hit.Hit;
import dev.speck.hit.HitParams;
import dev.speck.hit.NotRecorded;
import dev.speck.hit.Signals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Decides, on the event loop and before anything is journaled, whether a hit may be recorded and
 * with which identifiers. Opt-outs cost nothing and leave no trace but a counter: a hit refused
 * here is never parsed into a Hit, so its IP is not even written to the journal. The collector
 * counts what this decides; nothing here knows of HTTP.
 */
public final class ConsentDecision {

    public static final String GRANTED = "granted";
    public static final String DENIED = "denied";
    private static final Pattern FIRST_PARTY_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final Supplier<AccountSettings> account;

    /** @param account the account settings in force, read per hit (a volatile snapshot, no I/O) */
    public ConsentDecision(Supplier<AccountSettings> account) {
        this.account = account;
    }

    /** What the account and the request say before the hit is read: the reason not to record it, or null. */
    public NotRecorded refusal(VisitorPrivacy pixel, PrivacyRequest request) {
        if (!account.get().pixelsEnabled()) {
            return NotRecorded.PIXELS_OFF;
        }
        if (OptOutCookie.isSet(request.cookies())) {
            return NotRecorded.OPT_OUT;
        }
        if ("1".equals(request.globalPrivacyControl())) {
            return NotRecorded.GPC;
        }
        if (pixel.honourDoNotTrack() && "1".equals(request.doNotTrack())) {
            return NotRecorded.DNT;
        }
        return null;
    }

    /** Whether a first-party id has the tag's form: 16 to 64 of A-Z, a-z, 0-9, _ and -. */
    public static boolean isFirstPartyId(String s) {
        return s != null && FIRST_PARTY_ID.matcher(s).matches();
    }

    /**
     * The consent and first-party id a request carried, as hit signals; throws IllegalArgumentException
     * for values that are neither (a malformed request). The id is kept only with consent granted.
     */
    public static Map<String, String> signals(String consent, String firstPartyId) {
        if (consent != null && !consent.isEmpty() && !consent.equals(GRANTED) && !consent.equals(DENIED)) {
            throw new IllegalArgumentException(HitParams.CONSENT + " must be granted or denied");
        }
        if (firstPartyId != null && !firstPartyId.isEmpty() && !FIRST_PARTY_ID.matcher(firstPartyId).matches()) {
            throw new IllegalArgumentException(HitParams.FIRST_PARTY_ID + " must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
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
     * all), or null when it must be dropped (to be counted as {@link NotRecorded#NO_CONSENT}).
     */
    public Hit apply(Hit hit, VisitorPrivacy privacy) {
        String consent = hit.signals().get(Signals.CONSENT);
        boolean granted = GRANTED.equals(consent);
        if (!granted && privacy.consent() == VisitorPrivacy.ConsentRule.REQUIRED_DROP) {
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
    public static Hit anonymous(Hit hit) {
        Map<String, String> s = new LinkedHashMap<>();
        String consent = hit.signals().get(Signals.CONSENT);
        if (consent != null) {
            s.put(Signals.CONSENT, consent);
        }
        s.put(Signals.ANONYMOUS, "1");
        return hit.withEmail(new Hit.Email(hit.email().campaign(), null)).withSignals(s);
    }
}
