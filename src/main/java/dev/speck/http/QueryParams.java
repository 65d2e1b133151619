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
 * ordinary character), '+' is a space, percent-escapes are UTF-8 bytes, and so are bytes the
 * request line carried unescaped (Netty reads the request line one byte per character, as
 * Latin-1). Unlike a browser, a value with a malformed escape, bytes that are not UTF-8 or a NUL is
 * not decoded into something else: it is unreadable, one value at a time ({@link #problem(int)}),
 * so that a hit endpoint drops that field only and what is stored is what was sent. Reading an
 * unreadable value by name, or the whole query as a map (the API's routes), throws
 * IllegalArgumentException. Pairs after the first {@code maxPairs} are ignored, and so are pairs
 * with an empty name.
 */
public final class QueryParams {

    public static final QueryParams EMPTY = new QueryParams(new String[0], 0, null, 0);

    /** Why a value (or a name) could not be read; its label is the reason a dropped field is counted under. */
    public enum Problem {
        /** A percent-escape cut off or not hexadecimal, or a NUL. */
        MALFORMED("malformed"),
        /** Bytes that are no UTF-8. */
        NOT_UTF8("not_utf8");

        private final String label;

        Problem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A value read by name that could not be decoded: which parameter, and why. */
    public static final class Unreadable extends IllegalArgumentException {
        private final transient Problem problem;

        Unreadable(String name, Problem problem) {
            super(name + (problem == Problem.NOT_UTF8 ? " is not valid UTF-8" : " holds a malformed escape or a NUL"),
                    null);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an ordinary outcome of bad input, on the event loop
        }
    }

    /** name, value, name, value, ...; a value that could not be decoded is null. */
    private final String[] pairs;
    private final int size;
    /** Per pair, why its value could not be read; null while every value could (most queries). */
    private final Problem[] problems;
    /** How many names could not be decoded (their pairs are left out). */
    private final int unreadableNames;
    private Map<String, List<String>> map;

    private QueryParams(String[] pairs, int size, Problem[] problems, int unreadableNames) {
        this.pairs = pairs;
        this.size = size;
        this.problems = problems;
        this.unreadableNames = unreadableNames;
    }

    public static QueryParams parse(String query, int maxPairs) {
        int len = query.length();
        if (len == 0) {
            return EMPTY;
        }
        String[] pairs = new String[8];
        Problem[] problems = null;
        int unreadableNames = 0;
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
                    String name = decodeOrNull(query, start, eq);
                    if (name == null) {
                        unreadableNames++; // whose field it was is unknown: the pair is left out
                    } else {
                        if (2 * size + 2 > pairs.length) {
                            pairs = java.util.Arrays.copyOf(pairs, pairs.length * 2);
                        }
                        pairs[2 * size] = name;
                        Problem problem = null;
                        try {
                            pairs[2 * size + 1] = eq < end ? decode(query, eq + 1, end) : "";
                        } catch (Undecodable e) {
                            pairs[2 * size + 1] = null;
                            problem = e.problem;
                        }
                        if (problem != null) {
                            if (problems == null) {
                                problems = new Problem[maxPairs];
                            }
                            problems[size] = problem;
                        }
                        size++;
                    }
                }
            }
            if (last) {
                break;
            }
            start = end + 1;
        }
        return new QueryParams(pairs, size, problems, unreadableNames);
    }

    /** The first value of a parameter, or null; throws {@link Unreadable} when that value could not be decoded. */
    public String first(String name) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (pairs[i].equals(name)) {
                if (pairs[i + 1] == null) {
                    throw new Unreadable(name, problems[i / 2]);
                }
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** Why the i-th value could not be decoded ({@link #value(int)} is null then), or null when it could. */
    public Problem problem(int i) {
        return problems == null ? null : problems[i];
    }

    /** How many pairs were left out because their name could not be decoded. */
    public int unreadableNames() {
        return unreadableNames;
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

    /** All values by name, names in the order first sent; throws IllegalArgumentException when any could not be decoded. */
    public Map<String, List<String>> asMap() {
        if (unreadableNames > 0) {
            throw new IllegalArgumentException("a parameter name is not valid UTF-8 or holds a malformed escape");
        }
        if (map == null) {
            for (int i = 0; problems != null && i < size; i++) {
                if (problems[i] != null) {
                    throw new Unreadable(name(i), problems[i]);
                }
            }
            Map<String, List<String>> m = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                m.computeIfAbsent(name(i), k -> new ArrayList<>(1)).add(value(i));
            }
            map = Collections.unmodifiableMap(m);
        }
        return map;
    }

    private static String decodeOrNull(String s, int from, int to) {
        try {
            return decode(s, from, to);
        } catch (Undecodable e) {
            return null;
        }
    }

    /** Thrown inside the parse only, and caught per pair: no stack trace. */
    private static final class Undecodable extends Exception {
        private static final Undecodable MALFORMED = new Undecodable(Problem.MALFORMED);
        private static final Undecodable NOT_UTF8 = new Undecodable(Problem.NOT_UTF8);
        private final transient Problem problem;

        private Undecodable(Problem problem) {
            super(problem.label(), null, false, false);
            this.problem = problem;
        }
    }

    private static String decode(String s, int from, int to) throws Undecodable {
        int firstEscaped = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+' || c >= 0x80) {
                firstEscaped = i;
                break;
            }
            if (c == 0) {
                throw Undecodable.MALFORMED;
            }
        }
        if (firstEscaped < 0) {
            return s.substring(from, to);
        }
        // An escape is 3 characters for one byte, an ASCII character or a raw byte of the request
        // line one for one: the decoded value is never longer, unless the value came from elsewhere
        // with characters beyond Latin-1 (grown below).
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw Undecodable.MALFORMED;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || s.charAt(i + 1) > 0x7f || s.charAt(i + 2) > 0x7f) {
                    throw Undecodable.MALFORMED;
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else if (c <= 0xff) {
                // ASCII, or a byte the request line held unescaped, which Netty read as one
                // Latin-1 character: the byte it was (a raw é arrives as 0xC3 0xA9, i.e. "Ã©")
                bytes[n++] = (byte) c;
            } else { // a character from a caller that decoded already: its UTF-8 bytes
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
        if (ascii) {
            return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        }
        try {
            return Utf8.decodeStrict(bytes, n);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("NUL") ? Undecodable.MALFORMED : Undecodable.NOT_UTF8;
        }
    }
}
