package dev.speck.web;

import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Exchange;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** CSV answers for the API's exports (JSON is http.ApiJson's). */
final class ApiIo {

    private ApiIo() {
    }

    /** A CSV table (RFC 4180): a header row, then the rows; fields quoted when they need it. */
    static Answer csv(List<String> header, List<List<Object>> rows) {
        return csv(header, rows, null);
    }

    /**
     * A CSV export; {@code credit}, when given, is the attribution a data source's licence asks for
     * (the geo database's), written as a last comment line so it travels with the file.
     */
    static Answer csv(List<String> header, List<List<Object>> rows, String credit) {
        return csv(header, rows, credit, null);
    }

    /** The same with headers of its own (a paged export's Link to the next page), or null. */
    static Answer csv(List<String> header, List<List<Object>> rows, String credit, HttpHeaders headers) {
        StringBuilder out = new StringBuilder();
        line(out, header);
        rows.forEach(r -> line(out, r));
        if (credit != null) {
            out.append("# ").append(credit).append("\r\n");
        }
        return new Answer.Bytes(HttpResponseStatus.OK, "text/csv; charset=utf-8",
                out.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void line(StringBuilder out, List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    static String field(Object v) {
        if (v == null) {
            return "";
        }
        // numbers plainly: a spreadsheet reads 9.99999999994E11 as a rounded float
        String s = v instanceof Number n ? ApiJson.plain(n) : v.toString();
        // A leading = + - @ would make a spreadsheet run the cell as a formula: quote it as text.
        boolean formula = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(v instanceof Number);
        if (formula || s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + (formula ? "'" : "") + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    static boolean wantsCsv(Exchange ex) {
        String f = ex.param("format");
        if (f == null || f.equals("json")) {
            return false;
        }
        if (f.equals("csv")) {
            return true;
        }
        throw new BadRequest("format must be json or csv");
    }
}
