package dev.speck.audiences;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * RFC 4180 lines: fields separated by commas, lines ended by CRLF, a field holding a comma, a double quote,
 * CR or LF enclosed in double quotes with its quotes doubled; null is an empty field. Written by hand
 * (it is this small) so that every byte of a platform's file is known to the tests.
 */
final class Csv {

    private Csv() {
    }

    static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            field(out, fields.get(i));
        }
        out.write("\r\n");
    }

    static void field(Writer out, String s) throws IOException {
        if (s == null || s.isEmpty()) {
            return;
        }
        if (!needsQuotes(s)) {
            out.write(s);
            return;
        }
        out.write('"');
        int from = 0;
        for (int q = s.indexOf('"'); q >= 0; q = s.indexOf('"', q + 1)) {
            out.write(s, from, q + 1 - from);
            out.write('"');
            from = q + 1;
        }
        out.write(s, from, s.length() - from);
        out.write('"');
    }

    private static boolean needsQuotes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
