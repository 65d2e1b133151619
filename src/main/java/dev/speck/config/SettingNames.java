package dev.speck.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** What to say of a setting name Speck does not know: the nearest known names, or where the list is. */
final class SettingNames {

    private static final int SUGGESTIONS = 3;

    private SettingNames() {
    }

    /** "no such setting; did you mean http.port?" or, with nothing close, where every setting is listed. */
    static String unknown(String key, Collection<String> known) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(2, k.length() / 3);
        List<String> close = known.stream()
                .filter(name -> distance(k, name) <= limit || name.endsWith("." + lastPart(k)))
                .sorted(Comparator.comparingInt((String name) -> distance(k, name)).thenComparing(name -> name))
                .limit(SUGGESTIONS)
                .toList();
        String where = "every setting is listed in docs/CONFIGURATION.md";
        return close.isEmpty() ? "no such setting; " + where
                : "no such setting; did you mean " + String.join(" or ", close) + "? (" + where + ")";
    }

    private static String lastPart(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance; the names are short and only an error message needs it. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
