package dev.speck.triggers;

/**
 * A start's glob ({@code *} any run of characters, the rest literal) split into its literal pieces
 * once per trigger version, so judging a hit allocates nothing; matches exactly as
 * {@link dev.speck.goals.Glob#matches}, which splits the pattern on every call.
 */
final class GlobPattern {

    private final String pattern;
    private final String[] pieces;

    GlobPattern(String pattern) {
        this.pattern = pattern;
        this.pieces = pattern.split("\\*", -1);
    }

    /** The literal text before the first star (the whole pattern when it has none). */
    String prefix() {
        return pieces[0];
    }

    boolean isGlob() {
        return pieces.length > 1;
    }

    boolean matches(String subject) {
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
