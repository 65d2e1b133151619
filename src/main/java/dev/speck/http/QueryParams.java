package dev.speck.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded parameters of a query string, as name/value pairs in the order sent. Every pixel hit
 * carries one, so this is a single pass into one array (Netty's decoder built a map of lists per
 * hit, which showed in profiles of the event loop), with a map built only for the API routes that
 * ask for one.
 *
 * <p>Decoding follows the WHATWG URL standard's form decoding: '&amp;' separates pairs (';' is an
 * ordinary character), '+' is a space, percent-escapes are UTF-8 bytes. Unlike a browser, a
 * malformed escape, bytes that are not UTF-8 or a NUL are refused (IllegalArgumentException), so
 * that what is stored is what was sent. Pairs after the first {@code maxPairs} are ignored, and
 * so are pairs with an empty name.
 */
public final class QueryParams {

    public static final QueryParams EMPTY = new QueryParams(new String[0], 0);

    /** name, value, name, value, ... */
    private final String[] pairs;
    private final int size;
    private Map<String, List<String>> map;

    private QueryParams(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    public static QueryParams parse(String query, int maxPairs) {
        int len = query.length();
        if (len == 0) {
            return EMPTY;
        }
        String[] pairs = new String[8];
        int size = 0;
        int start = 0;
        while (start <= len && size < maxPairs) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = len;
            }
            int hash = query.indexOf('#', start);
            boolean last = hash >= 0 && hash < end;
            if (last) {
                end = hash;
            }
            if (end > start) {
                int eq = query.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                if (eq > start) {
                    if (2 * size + 2 > pairs.length) {
                        pairs = java.util.Arrays.copyOf(pairs, pairs.length * 2);
                    }
                    pairs[2 * size] = decode(query, start, eq);
                    pairs[2 * size + 1] = eq < end ? decode(query, eq + 1, end) : "";
                    size++;
                }
            }
            if (last) {
                break;
            }
            start = end + 1;
        }
        return new QueryParams(pairs, size);
    }

    /** The first value of a parameter, or null. */
    public String first(String name) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    public int size() {
        return size;
    }

    public String name(int i) {
        return pairs[2 * i];
    }

    public String value(int i) {
        return pairs[2 * i + 1];
    }

    /** All values by name, names in the order first sent. */
    public Map<String, List<String>> asMap() {
        if (map == null) {
            Map<String, List<String>> m = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                m.computeIfAbsent(name(i), k -> new ArrayList<>(1)).add(value(i));
            }
            map = Collections.unmodifiableMap(m);
        }
        return map;
    }

    private static String decode(String s, int from, int to) {
        int firstEscaped = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                firstEscaped = i;
                break;
            }
            if (c == 0) {
                throw new IllegalArgumentException("NUL character");
            }
        }
        if (firstEscaped < 0) {
            return s.substring(from, to);
        }
        // An escape is 3 characters for one byte, an ASCII character one for one: the decoded
        // value is never longer, unless the request line held characters beyond ASCII (grown below).
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new IllegalArgumentException("unterminated escape sequence");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid escape sequence %" + s.charAt(i + 1) + s.charAt(i + 2));
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else { // a character the request line held unescaped: keep it as it was read
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (bytes.length == to - from) { // once: room for 3 bytes per character of the value
                    bytes = java.util.Arrays.copyOf(bytes, 3 * (to - from));
                }
                System.arraycopy(utf8, 0, bytes, n, utf8.length);
                n += utf8.length;
            }
        }
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (bytes[i] <= 0) { // NUL, or a byte of a multi-byte character
                ascii = false;
                break;
            }
        }
        // Most escaped values (URLs, titles in English) are ASCII: no decoder needed for those.
        return ascii ? new String(bytes, 0, n, StandardCharsets.ISO_8859_1) : Utf8.decodeStrict(bytes, n);
    }
}
