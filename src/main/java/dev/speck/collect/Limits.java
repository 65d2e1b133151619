package dev.speck.collect;

/** Bounds on the parts of a hit: the collector refuses what is too large rather than storing it cut. */
final class Limits {

    private Limits() {
    }

    /** For header values that are the client's own business (user agent): cut, not refused. */
    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Throws {@link TooLarge} when the value is longer than allowed. */
    static String bounded(String s, int max, String what) {
        if (s != null && s.length() > max) {
            throw new TooLarge(what + " is longer than " + max + " characters");
        }
        return s == null || s.isEmpty() ? null : s;
    }

    /** An input over its limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }
}
