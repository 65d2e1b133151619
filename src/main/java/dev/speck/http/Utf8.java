package dev.speck.http;

/**
 * Netty decodes percent-escapes leniently, turning bytes that are not UTF-8 into U+FFFD. Speck
 * refuses such input instead of storing replacement characters that hide what was sent.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Decodes bytes that must be UTF-8 (a query's percent-escapes): malformed input or a NUL is
     * refused, never replaced.
     */
    public static String decodeStrict(byte[] bytes, int length) {
        try {
            String s = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, length)).toString();
            if (s.indexOf(0) >= 0) {
                throw new IllegalArgumentException("NUL character");
            }
            return s;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
    }

    public static void requireValid(String s) {
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
