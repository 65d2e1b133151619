package dev.speck.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;

/** The JSON of the API and the console: one mapper, reading a request's body, and trimming what errors quote. */
public final class ApiJson {

    /**
     * Times as ISO text, never as numbers; numbers plainly, never as 9.99999999994E11 or 1.0E-5
     * (decimals, i.e. money, in their shortest exact form: 12.5, not 12.5000); a body is one JSON
     * document, with nothing after it.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("plain numbers")
                    .addSerializer(BigDecimal.class, new PlainNumber<>(BigDecimal.class))
                    .addSerializer(Double.class, new PlainNumber<>(Double.class))
                    .addSerializer(double.class, new PlainNumber<>(double.class)))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ApiJson() {
    }

    /** The request's body as a JSON object; refused (400) when it is not one. */
    public static JsonNode body(Exchange ex) {
        try (InputStream in = new ByteBufInputStream(ex.request().content().duplicate())) {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || !node.isObject()) {
                throw new BadRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequest(JsonErrors.describe(e));
        }
    }

    /** A required, non-empty string field, taken as sent (passwords are not trimmed). */
    public static String text(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadRequest(field + " is required (a string)");
        }
        if (v.asText().length() > max) {
            throw new BadRequest(field + " is longer than " + max + " characters");
        }
        return v.asText();
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A number as a person writes it: no exponent; a decimal in its shortest exact form (trailing
     * zeros dropped), a double as its shortest decimal. For the JSON and CSV Speck writes.
     */
    public static String plain(Number n) {
        BigDecimal d = decimal(n);
        return d == null ? String.valueOf(n) : d.toPlainString();
    }

    /** The number as an exact decimal in its shortest form, or null for one that has none (NaN, infinities) or is no decimal. */
    private static BigDecimal decimal(Number n) {
        BigDecimal d;
        if (n instanceof BigDecimal b) {
            d = b.stripTrailingZeros();
        } else if ((n instanceof Double || n instanceof Float) && Double.isFinite(n.doubleValue())) {
            d = BigDecimal.valueOf(n.doubleValue()); // Double.toString's shortest digits, so 0.1 stays 0.1
        } else {
            return null;
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static final class PlainNumber<T extends Number> extends StdSerializer<T> {
        PlainNumber(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            BigDecimal d = decimal(value);
            if (d == null) {
                gen.writeNumber(value.doubleValue());
            } else {
                gen.writeNumber(d);
            }
        }
    }

    /** What an error message quotes of the client's input: at most 80 characters. */
    public static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
