package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Takes out of a hit's text what no report should show: control characters (C0 with TAB, CR and
 * LF, DEL, C1, and the line and paragraph separators U+2028/U+2029) and the invisible characters
 * that can make stored text read as something else: the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069, which can turn "gpj.exe" into "exe.jpg" on screen),
 * the zero-width space (U+200B), the word joiner (U+2060) and the byte-order mark (U+FEFF).
 * Kept on purpose: the zero-width joiner and non-joiner (U+200C, U+200D: emoji sequences and
 * Persian or Indic words need them) and the left-to-right and right-to-left marks (U+200E,
 * U+200F: right-to-left titles need them, and they reorder nothing on their own).
 *
 * <p>In free text (titles, names, campaigns, property names and values) each run of such
 * characters becomes one space and the ends are trimmed, so "Sale\r\nNow" reads "Sale Now"; in
 * URLs they are removed (a URL holds no raw whitespace). Applied once, by {@link Admission}, to
 * every hit any endpoint read; a hit with clean text (nearly all) is returned as it is, with no copy.
 */
final class CleanText {

    private CleanText() {
    }

    /**
     * The hit with clean text. A property whose name is nothing once cleaned is dropped (counted); an
     * event's or goal's name that is nothing once cleaned refuses the hit, as a missing name does.
     */
    static Hit hit(Hit hit, FieldDrops drops) {
        if (isClean(hit)) {
            return hit;
        }
        String name = text(hit.name());
        if (hit.name() != null && name == null && (hit.kind() == HitKind.EVENT || hit.kind() == HitKind.GOAL)) {
            throw new IllegalArgumentException(hit.kind().wireName() + " needs a name: the one sent is only control characters");
        }
        Hit.Page p = hit.page();
        Hit.Page page = new Hit.Page(url(p.url()), url(p.referrer()), text(p.title()));
        Hit.Client c = hit.client();
        Hit.Client client = new Hit.Client(c.ip(), text(c.userAgent()), c.clientHints(), text(c.language()),
                text(c.screen()), text(c.timeZone()), text(c.cdnCountry()));
        Hit.Email e = hit.email();
        Hit.Email email = e == Hit.Email.NONE ? e : new Hit.Email(text(e.campaign()), text(e.recipient()));
        return new Hit(hit.receivedAt(), hit.kind(), hit.pixel(), name, page, client, hit.value(), email, hit.link(),
                props(hit.props(), drops), hit.signals());
    }

    private static Map<String, String> props(Map<String, String> props, FieldDrops drops) {
        boolean clean = true;
        for (Map.Entry<String, String> p : props.entrySet()) {
            clean = clean && isClean(p.getKey()) && isClean(p.getValue());
        }
        if (clean) {
            return props;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : props.entrySet()) {
            String key = text(p.getKey());
            if (key == null) {
                drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.MALFORMED);
            } else {
                out.putIfAbsent(key, text(p.getValue()));
            }
        }
        return out;
    }

    private static boolean isClean(Hit hit) {
        Hit.Page p = hit.page();
        Hit.Client c = hit.client();
        Hit.Email e = hit.email();
        boolean clean = isClean(hit.name()) && isClean(p.url()) && isClean(p.referrer()) && isClean(p.title())
                && isClean(c.userAgent()) && isClean(c.language()) && isClean(c.screen()) && isClean(c.timeZone())
                && isClean(c.cdnCountry()) && isClean(e.campaign()) && isClean(e.recipient());
        for (Map.Entry<String, String> prop : hit.props().entrySet()) {
            clean = clean && isClean(prop.getKey()) && isClean(prop.getValue());
        }
        return clean;
    }

    static boolean isClean(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (isUnwanted(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Free text: each run of unwanted characters becomes one space, the ends trimmed; null when nothing is left. */
    static String text(String s) {
        if (isClean(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean gap = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isUnwanted(c)) {
                gap = true;
            } else {
                if (gap && !out.isEmpty()) {
                    out.append(' ');
                }
                gap = false;
                out.append(c);
            }
        }
        String t = out.toString().strip();
        return t.isEmpty() ? null : t;
    }

    /** A URL: unwanted characters removed; null when nothing is left. */
    static String url(String s) {
        if (isClean(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUnwanted(c)) {
                out.append(c);
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** By hand, not a regular expression: this runs over every text field of every hit. */
    static boolean isUnwanted(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true; // C0 (with TAB, CR, LF), DEL, C1
        }
        if (c < 0x200b) {
            return false; // the common case, quickly
        }
        return c == 0x200b || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || c == 0x2060
                || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
    }
}
