package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.HitParams;
import dev.speck.hit.Signals;
import dev.speck.http.Exchange;
import dev.speck.http.QueryParams;
import dev.speck.http.Utf8;
import dev.speck.privacy.ConsentDecision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** Validation of the single fields a hit may carry, shared by the image and beacon endpoints. */
final class HitFields {

    private static final Pattern PIXEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The largest value either side of zero: beyond it, a value is a mistake. */
    static final BigDecimal MAX_VALUE = BigDecimal.valueOf(1_000_000_000_000L);
    /** Decimal places a value keeps: as many as any currency has minor units (ISO 4217 goes to 4). */
    static final int MAX_SCALE = 4;
    /** Longer value text is no sane number (and a huge exponent would cost the parser). */
    private static final int MAX_VALUE_TEXT = 32;

    private HitFields() {
    }

    /**
     * The hit with the customer identity a page claimed ({@code speck('identify', id, signature)}),
     * bounded; only recorded here: the loader checks the signature, off the event loop.
     */
    static Hit withIdentity(Hit hit, String id, String signature) {
        String who = Limits.bounded(id, CollectSettings.MAX_TOKEN, "identity id");
        String sig = Limits.bounded(signature, CollectSettings.MAX_SHORT, "identity signature");
        if (who == null) {
            return hit;
        }
        Hit out = hit.withSignal(Signals.IDENTITY, who);
        return sig == null ? out : out.withSignal(Signals.IDENTITY_SIGNATURE, sig);
    }

    /**
     * An optional query parameter: one whose value does not decode (a malformed escape, bytes that
     * are no UTF-8, a NUL) is dropped and counted under {@code field}. A required one is read with
     * {@link Exchange#param}, which throws, and so refuses the hit.
     */
    static String optional(Exchange ex, String param, String field, FieldDrops drops) {
        try {
            return ex.param(param);
        } catch (QueryParams.Unreadable e) {
            return drops.drop(field, reason(e.problem()));
        }
    }

    static FieldDrops.Reason reason(QueryParams.Problem problem) {
        return problem == QueryParams.Problem.NOT_UTF8 ? FieldDrops.Reason.NOT_UTF8 : FieldDrops.Reason.MALFORMED;
    }

    /**
     * A header that names a URL (Referer): Netty reads header bytes as Latin-1, so one a browser
     * sent as raw UTF-8 is decoded again here; one that is no UTF-8 is dropped and counted.
     */
    static String header(Exchange ex, CharSequence name, String field, FieldDrops drops) {
        String raw = ex.header(name);
        String s = Utf8.fromRequestBytes(raw);
        return s == null && raw != null ? drops.drop(field, FieldDrops.Reason.NOT_UTF8) : s;
    }

    static boolean isPixelId(String s) {
        return s != null && PIXEL_ID.matcher(s).matches();
    }

    static HitKind kind(String s) {
        if (s == null || s.isEmpty()) {
            return HitKind.PAGE_VIEW;
        }
        HitKind kind = HitKind.fromWireName(s);
        if (kind == null || kind == HitKind.EMAIL_OPEN || kind == HitKind.LINK_CLICK) {
            throw new IllegalArgumentException("unknown hit type '" + s + "': use page_view, event or goal");
        }
        return kind;
    }

    /**
     * A value as sent ({@code v}), as an exact decimal. On a goal the value is what it counts
     * (revenue), so a bad one refuses the hit; on a page view or event it is dropped like any
     * optional field. Whether a negative value may stand depends on the pixel's goals: see {@link Admission}.
     */
    static BigDecimal value(HitKind kind, String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        BigDecimal v;
        try {
            v = s.length() > MAX_VALUE_TEXT ? null : new BigDecimal(s);
        } catch (NumberFormatException e) {
            v = null;
        }
        if (v == null) {
            if (kind == HitKind.GOAL) {
                throw new IllegalArgumentException("value '" + Limits.truncate(s, 32) + "' is not a number");
            }
            return drops.drop(Field.VALUE, FieldDrops.Reason.MALFORMED);
        }
        return value(kind, v, drops);
    }

    /** At most {@link #MAX_VALUE} either side of zero; more than 4 decimal places are rounded (half even) to 4. */
    static BigDecimal value(HitKind kind, BigDecimal v, FieldDrops drops) {
        if (v.abs().compareTo(MAX_VALUE) > 0) {
            if (kind == HitKind.GOAL) {
                throw new IllegalArgumentException("value must be a finite number of at most 1e12");
            }
            return drops.drop(Field.VALUE, FieldDrops.Reason.MALFORMED);
        }
        return v.scale() > MAX_SCALE ? v.setScale(MAX_SCALE, RoundingMode.HALF_EVEN) : v;
    }

    /** The value's currency: strict with a goal's value (they are one amount), else dropped when bad. */
    static String currency(HitKind kind, BigDecimal value, String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.length() != 3 || !upper(s.charAt(0)) || !upper(s.charAt(1)) || !upper(s.charAt(2))) {
            if (kind == HitKind.GOAL && value != null) {
                throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR");
            }
            return drops.drop(Field.CURRENCY, FieldDrops.Reason.MALFORMED);
        }
        return s;
    }

    /** The screen, or null (dropped) when it is not like 1920x1080. */
    static String screen(String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return isScreen(s) ? s : drops.drop(Field.SCREEN, FieldDrops.Reason.MALFORMED);
    }

    /** "1920x1080": 1–5 digits, x, 1–5 digits. By hand: it is on every hit from the tag. */
    static boolean isScreen(String s) {
        int x = s.indexOf('x');
        return x >= 1 && x <= 5 && s.length() - x - 1 >= 1 && s.length() - x - 1 <= 5 && digits(s, 0, x)
                && digits(s, x + 1, s.length());
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The time zone, or null (dropped) when it is no IANA name ({@code tz=+05:00}). */
    static String zone(String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return isZone(s) ? s : drops.drop(Field.TIME_ZONE, FieldDrops.Reason.MALFORMED);
    }

    /** An IANA zone name: a letter, then up to 63 of letters, digits, '_', '+', '-', '/'. By hand: on every tag hit. */
    static boolean isZone(String s) {
        boolean ok = !s.isEmpty() && s.length() <= 64 && letter(s.charAt(0));
        for (int i = 1; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            ok = letter(c) || digit(c) || c == '_' || c == '+' || c == '-' || c == '/';
        }
        return ok;
    }

    /** The language, or null (dropped) when it is no language tag. */
    static String language(String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return isLanguage(s) ? s : drops.drop(Field.LANGUAGE, FieldDrops.Reason.MALFORMED);
    }

    /** A language tag: 1–8 letters, then up to three subtags of 1–8 letters or digits ("en", "de-CH"). */
    static boolean isLanguage(String s) {
        boolean ok = true;
        int subtags = 0;
        int start = 0;
        while (ok && start <= s.length()) {
            int end = s.indexOf('-', start);
            if (end < 0) {
                end = s.length();
            }
            ok = end - start >= 1 && end - start <= 8 && subtags <= 3;
            for (int i = start; ok && i < end; i++) {
                char c = s.charAt(i);
                ok = letter(c) || (subtags > 0 && digit(c));
            }
            subtags++;
            start = end + 1;
        }
        return ok;
    }

    private static boolean letter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The event or goal name: required for those kinds, absent for page views. */
    static String name(HitKind kind, String s) {
        String name = Limits.bounded(s, CollectSettings.MAX_NAME, "name");
        if ((kind == HitKind.EVENT || kind == HitKind.GOAL) && name == null) {
            throw new IllegalArgumentException(kind.wireName() + " needs a name");
        }
        return kind == HitKind.PAGE_VIEW ? null : name;
    }

    /** Only http(s) URLs are pages: another (javascript:, file:) is dropped. Over the size limit refuses. */
    static String url(String s, String field, FieldDrops drops) {
        String url = Limits.bounded(s, CollectSettings.MAX_URL, field);
        return url == null || isHttp(url) ? url : drops.drop(field, FieldDrops.Reason.NOT_A_URL);
    }

    /**
     * A referrer: an http(s) URL, or an app's ({@code android-app://com.google.android.gm/},
     * {@code ios-app://...}), which enrichment names as a source. Anything else is dropped.
     */
    static String referrer(String s, FieldDrops drops) {
        String url = Limits.bounded(s, CollectSettings.MAX_URL, Field.REFERRER);
        return url == null || isHttp(url) || isAppReferrer(url) ? url : drops.drop(Field.REFERRER, FieldDrops.Reason.NOT_A_URL);
    }

    private static boolean isHttp(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
    }

    private static boolean isAppReferrer(String url) {
        int at = url.regionMatches(true, 0, "android-app://", 0, 14) ? 14 : url.regionMatches(true, 0, "ios-app://", 0, 10) ? 10 : -1;
        return at > 0 && url.length() > at && "/?#".indexOf(url.charAt(at)) < 0;
    }

    /** The visitor's consent as the page knows it, or null (dropped) for anything but granted or denied. */
    static String consent(String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return s.equals(ConsentDecision.GRANTED) || s.equals(ConsentDecision.DENIED) ? s
                : drops.drop(Field.CONSENT, FieldDrops.Reason.MALFORMED);
    }

    /** The tag's first-party id, or null (dropped) when it is not 16 to 64 of A-Z, a-z, 0-9, _ and -. */
    static String firstPartyId(String s, FieldDrops drops) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return ConsentDecision.isFirstPartyId(s) ? s : drops.drop(Field.FIRST_PARTY_ID, FieldDrops.Reason.MALFORMED);
    }

    /** The names of optional fields in {@code speck_hit_fields_dropped_total}: the beacon's names, for both endpoints. */
    static final class Field {
        static final String URL = HitParams.Beacon.URL;
        static final String REFERRER = HitParams.Beacon.REFERRER;
        static final String TITLE = HitParams.Beacon.TITLE;
        static final String SCREEN = HitParams.Beacon.SCREEN;
        static final String LANGUAGE = HitParams.Beacon.LANGUAGE;
        static final String TIME_ZONE = HitParams.Beacon.TIME_ZONE;
        static final String VALUE = HitParams.Beacon.VALUE;
        static final String CURRENCY = HitParams.Beacon.CURRENCY;
        static final String PROPS = HitParams.Beacon.PROPS;
        static final String CONSENT = HitParams.Beacon.CONSENT;
        static final String FIRST_PARTY_ID = HitParams.Beacon.FIRST_PARTY_ID;
        static final String IDENTITY = HitParams.Beacon.IDENTITY;
        /** Not a parameter: the address a trusted proxy forwarded. */
        static final String CLIENT_ADDRESS = "client_address";
        /** The email open's message (campaign) and recipient token. */
        static final String MESSAGE = "message";
        static final String RECIPIENT = "recipient";
        /** A signature that goes with an identity or a recipient token. */
        static final String SIGNATURE = "sig";

        private Field() {
        }
    }
}
