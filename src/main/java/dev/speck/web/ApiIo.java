package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.http.Exchange;
import dev.speck.http.Responses;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reading JSON bodies and writing JSON or CSV answers, for the API's route classes. */
final class ApiIo {

    static final ObjectMapper JSON = new ObjectMapper();

    private ApiIo() {
    }

    static JsonNode body(Exchange ex) {
        try (InputStream in = new ByteBufInputStream(ex.request().content().duplicate())) {
            JsonNode node = JSON.readTree(in);
            if (node == null || !node.isObject()) {
                throw new ApiRoutes.BadRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ApiRoutes.BadRequest("the body is not valid JSON");
        }
    }

    static void json(ChannelHandlerContext ctx, Exchange ex, HttpResponseStatus status, Object body) {
        try {
            Responses.send(ctx, ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSV table (RFC 4180): a header row, then the rows; fields quoted when they need it. */
    static void csv(ChannelHandlerContext ctx, Exchange ex, List<String> header, List<List<Object>> rows) {
        csv(ctx, ex, header, rows, null);
    }

    /**
     * A CSV export; {@code credit}, when given, is the attribution a data source's licence asks for
     * (the geo database's), written as a last comment line so it travels with the file.
     */
    static void csv(ChannelHandlerContext ctx, Exchange ex, List<String> header, List<List<Object>> rows,
                    String credit) {
        StringBuilder out = new StringBuilder();
        line(out, header);
        rows.forEach(r -> line(out, r));
        if (credit != null) {
            out.append("# ").append(credit).append("\r\n");
        }
        Responses.send(ctx, ex, HttpResponseStatus.OK, "text/csv; charset=utf-8",
                out.toString().getBytes(StandardCharsets.UTF_8), null);
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
        String s = v.toString();
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
        throw new ApiRoutes.BadRequest("format must be json or csv");
    }
}
