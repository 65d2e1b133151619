package dev.speck.collect;

/**
 * Netty decodes percent-escapes leniently, turning bytes that are not UTF-8 into U+FFFD. Speck
 * refuses such input instead of storing replacement characters that hide what was sent.
 */
final class Utf8 {

    private Utf8() {
    }

    static void requireValid(String s) {
        if (s != null && s.indexOf('\uFFFD') >= 0) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0) {
                    throw new IllegalArgumentException("NUL character");
                }
            }
        }
    }
}
