package dev.speck.goals;

/** URL patterns where {@code *} is any run of characters and everything else is literal. */
public final class Glob {

    private Glob() {
    }

    /**
     * Greedy leftmost matching of the literal pieces between stars is exact for such patterns and
     * takes at most one scan of the subject per piece.
     */
    public static boolean matches(String pattern, String subject) {
        String[] pieces = pattern.split("\\*", -1);
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

    static int wildcards(String pattern) {
        return (int) pattern.chars().filter(c -> c == '*').count();
    }
}
