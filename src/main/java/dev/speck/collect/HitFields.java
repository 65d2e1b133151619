package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.HitParams;
import dev.speck.hit.Signals;

import java.util.regex.Pattern;

/** Validation of the single fields a hit may carry, shared by the image and beacon endpoints. */
final class HitFields {

    private static final Pattern PIXEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final double MAX_VALUE = 1e12;

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

    static Double value(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return value(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value '" + Limits.truncate(s, 32) + "' is not a number");
        }
    }

    static Double value(double v) {
        if (!Double.isFinite(v) || Math.abs(v) > MAX_VALUE) {
            throw new IllegalArgumentException("value must be a finite number of at most 1e12");
        }
        return v;
    }

    static String currency(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.length() != 3 || !upper(s.charAt(0)) || !upper(s.charAt(1)) || !upper(s.charAt(2))) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR");
        }
        return s;
    }

    /** "1920x1080": 1–5 digits, x, 1–5 digits. By hand: it is on every hit from the tag. */
    static String screen(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int x = s.indexOf('x');
        if (x < 1 || x > 5 || s.length() - x - 1 < 1 || s.length() - x - 1 > 5 || !digits(s, 0, x)
                || !digits(s, x + 1, s.length())) {
            throw new IllegalArgumentException("screen must look like 1920x1080");
        }
        return s;
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

    /** An IANA zone name: a letter, then up to 63 of letters, digits, '_', '+', '-', '/'. By hand: on every tag hit. */
    static String zone(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        boolean ok = s.length() <= 64 && letter(s.charAt(0));
        for (int i = 1; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            ok = letter(c) || digit(c) || c == '_' || c == '+' || c == '-' || c == '/';
        }
        if (!ok) {
            throw new IllegalArgumentException(HitParams.TIME_ZONE + " must be an IANA time zone such as Europe/Berlin");
        }
        return s;
    }

    /** A language tag: 1–8 letters, then up to three subtags of 1–8 letters or digits ("en", "de-CH"). */
    static String language(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
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
        if (!ok) {
            throw new IllegalArgumentException(HitParams.LANGUAGE + " must be a language tag such as en-US");
        }
        return s;
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

    /** Only http(s) URLs (or nothing) are pages. */
    static String url(String s, String what) {
        String url = Limits.bounded(s, CollectSettings.MAX_URL, what);
        if (url != null && !(url.regionMatches(true, 0, "http://", 0, 7)
                || url.regionMatches(true, 0, "https://", 0, 8))) {
            throw new IllegalArgumentException(what + " must be an http or https URL");
        }
        return url;
    }
}
