package dev.speck.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.util.List;

/**
 * Hostile variants of real input for the fuzz tests: the fuzzer picks a real example and a few
 * edits (truncation, control characters, broken percent-escapes and UTF-8, lone surrogates, huge
 * numbers, deep nesting, repeated parts), so that even a short run starts near valid input and
 * coverage guidance takes it from there.
 */
public final class Mutations {

    /** Pieces that broke or nearly broke parsers elsewhere. */
    private static final List<String> NASTY = List.of(
            "\u0000", "\r\n", "\n", "\t", "\u007f", "\u0085", "\u2028", "\uFEFF", "\uFFFD", "\uD800", "\uDC00",
            "\uD83C\uDF89", "%", "%4", "%zz", "%00", "%C3", "%C3%28", "%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80",
            "+", "&", "=", "&&", "==", "#", "?", ";", ",", "\"", "\\", "'", "<script>", "../", "//",
            "1e400", "-1e400", "NaN", "Infinity", "-0", "99999999999999999999999999999999999999", "0x10",
            "1.7976931348623157E309", "4.9E-325", "-", "\u00e9", "\u00c3\u00a9", "\u0130", "\u212a",
            "[[[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":",
            "]}", "null", "true", "[]", "{}", "\"\\ud800\"", "\"\\u0000\"", "/*", "//x\n");

    private Mutations() {
    }

    /** One of the examples, edited up to a few times as the fuzzer decides. */
    public static String mutate(FuzzedDataProvider data, List<String> examples) {
        String s = data.pickValue(examples);
        int edits = data.consumeInt(0, 4);
        for (int i = 0; i < edits; i++) {
            int at = s.isEmpty() ? 0 : data.consumeInt(0, s.length());
            s = switch (data.consumeInt(0, 5)) {
                case 0 -> s.substring(0, at); // truncated
                case 1 -> s.substring(0, at) + data.pickValue(NASTY) + s.substring(at);
                case 2 -> s.substring(0, at) + data.consumeString(16) + s.substring(at);
                case 3 -> s + s.substring(at); // a repeated part: repeated keys, pairs, cookies
                case 4 -> s.substring(0, at) + data.pickValue(NASTY).repeat(data.consumeInt(1, 200)) + s.substring(at);
                default -> s.substring(at) + s.substring(0, at); // rotated
            };
        }
        return s;
    }
}
