package dev.speck.audiences;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The normalised forms the ad platforms document for their identifiers, before hashing (docs/AUDIENCES.md
 * cites each rule). A value that normalises to nothing usable is null: its cell stays empty, it is never
 * the hash of an empty string.
 */
final class Identifiers {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern US_ZIP = Pattern.compile("(\\d{5})(?:-?\\d{4})?");
    /** A full UK postcode, spaces removed: outward code (area, district), then sector digit and unit letters. */
    private static final Pattern UK_POSTCODE = Pattern.compile("([a-z]{1,2}\\d[a-z\\d]?\\d)[a-z]{2}");
    private static final Pattern PLAIN_ZIP = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} -]{0,15}");

    private Identifiers() {
    }

    /** Meta and LinkedIn: trimmed and lower case; null unless it looks like an address (one @, text both sides). */
    static String email(String raw) {
        if (raw == null) {
            return null;
        }
        String e = raw.strip().toLowerCase(Locale.ROOT);
        return looksLikeEmail(e) ? e : null;
    }

    /** Google: lower case without any whitespace, before, after or inside (its template's rule). */
    static String googleEmail(String raw) {
        if (raw == null) {
            return null;
        }
        String e = withoutWhitespace(raw).toLowerCase(Locale.ROOT);
        return looksLikeEmail(e) ? e : null;
    }

    private static boolean looksLikeEmail(String e) {
        int at = e.indexOf('@');
        return at > 0 && at == e.lastIndexOf('@') && at < e.length() - 1 && e.chars().noneMatch(Character::isWhitespace);
    }

    /**
     * Meta's fn and ln: lower case, letters only (no punctuation, digits or spaces), accents kept as UTF-8.
     * Composed first (NFC) so that "é" typed either way hashes alike; combining marks stay with their letter.
     */
    static String metaName(String raw) {
        if (raw == null) {
            return null;
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(cp -> Character.isLetter(cp) || isMark(cp)).forEach(out::appendCodePoint);
        return out.isEmpty() ? null : out.toString();
    }

    /**
     * Google's First Name and Last Name: lower case, whitespace removed, accents kept (NFC); null when no
     * letter is left (a "-" or "." is no name to match).
     */
    static String googleName(String raw) {
        if (raw == null) {
            return null;
        }
        String s = withoutWhitespace(Normalizer.normalize(raw, Normalizer.Form.NFC)).toLowerCase(Locale.ROOT);
        return s.codePoints().anyMatch(Character::isLetter) ? s : null;
    }

    /** ISO 3166-1 alpha-2 in upper case, or null when it is not one. */
    static String country(String raw) {
        if (raw == null) {
            return null;
        }
        String c = raw.strip().toUpperCase(Locale.ROOT);
        return COUNTRIES.contains(c) ? c : null;
    }

    /**
     * Meta's zip: lower case without whitespace; in the US the first five digits, in the UK the
     * area/district/sector form ("SW1A 1AA" → "sw1a1").
     */
    static String metaZip(String raw, String country) {
        String z = plainZip(raw);
        if (z == null) {
            return null;
        }
        z = withoutWhitespace(z).toLowerCase(Locale.ROOT);
        if ("US".equals(country)) {
            var m = US_ZIP.matcher(z);
            return m.matches() ? m.group(1) : z;
        }
        if ("GB".equals(country)) {
            var m = UK_POSTCODE.matcher(z);
            return m.matches() ? m.group(1) : z;
        }
        return z;
    }

    /**
     * A postal code as written, trimmed, inner runs of whitespace made one space; null unless it holds only
     * letters, digits, spaces and hyphens (so a cell can never start a spreadsheet formula).
     */
    static String plainZip(String raw) {
        if (raw == null) {
            return null;
        }
        String z = raw.strip().replaceAll("\\s+", " ");
        return PLAIN_ZIP.matcher(z).matches() ? z : null;
    }

    private static String withoutWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }
}
