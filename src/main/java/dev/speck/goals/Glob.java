package dev.speck.goals;

/** URL patterns where {@code *} is any run of characters and everything else is literal. */
public final class Glob {

    private Glob() {
    }

    /** Whether the subject matches; a caller matching one pattern often keeps a {@link GlobPattern} instead. */
    public static boolean matches(String pattern, String subject) {
        return new GlobPattern(pattern).matches(subject);
    }

    static int wildcards(String pattern) {
        return (int) pattern.chars().filter(c -> c == '*').count();
    }
}
