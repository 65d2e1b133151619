package dev.speck.goals;

/**
 * A start's glob ({@code *} any run of characters, the rest literal) split into its literal pieces
 * once per trigger version, so judging a hit allocates nothing; matches exactly as
 * {@link Glob#matches}, which makes one for each call.
 */
public final class GlobPattern {

    private final String pattern;
    private final String[] pieces;

    public GlobPattern(String pattern) {
        this.pattern = pattern;
        this.pieces = pattern.split("\\*", -1);
    }

    /** The literal text before the first star (the whole pattern when it has none). */
    public String prefix() {
        return pieces[0];
    }

    public boolean isGlob() {
        return pieces.length > 1;
    }

    /**
     * Greedy leftmost matching of the literal pieces between stars is exact for such patterns and
     * takes at most one scan of the subject per piece.
     */
    public boolean matches(String subject) {
        if (pieces.length == 1) {
            return pattern.equals(subject);
        }
        String first = pieces[0];
        String last = pieces[pieces.length - 1];
        if (!subject.startsWith(first) || subject.length() < first.length() + last.length()) {
            return false;
        }
        int at = first.length();
        int end = subject.length() - last.length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = subject.indexOf(pieces[i], at);
            if (found < 0 || found + pieces[i].length() > end) {
                return false;
            }
            at = found + pieces[i].length();
        }
        return subject.endsWith(last);
    }
}
