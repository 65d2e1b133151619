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

    /**
     * Text Netty read from the request line or a header, one byte per character (Latin-1), as the
     * UTF-8 it was sent in; null when those bytes are no UTF-8 or hold a NUL. ASCII (nearly every
     * header) is returned as it is.
     */
    public static String fromRequestBytes(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) < 0x80 && s.charAt(i) != 0) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        byte[] bytes = new byte[s.length()];
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c > 0xff) {
                return s; // decoded already: not bytes read as characters
            }
            bytes[j] = (byte) c;
        }
        try {
            return decodeStrict(bytes, bytes.length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether text decoded from JSON is well-formed UTF-16: no lone surrogate (an escaped
     * U+D800 with no partner, which no UTF-8 can hold and a store would keep as '?'), no U+FFFD
     * (bytes that were no UTF-8, replaced while decoding the body) and no NUL.
     */
    public static boolean isWellFormed(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\uFFFD') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
