package dev.speck.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a JSON body, in Speck's own words: "the body is not valid JSON: unexpected end
 * at line 1, column 12". The JSON library's messages name its own classes, settings and buffers
 * ({@code StreamReadConstraints.getMaxStringLength()}, {@code JsonReadFeature...}, "Source: REDACTED"),
 * which mean nothing to whoever sent the body and tell an attacker which parser runs here.
 */
public final class JsonErrors {

    private static final Pattern QUOTED = Pattern.compile("'([^']{0,40})");
    private static final Pattern LIMIT = Pattern.compile("maximum allowed \\((\\d+)");

    private JsonErrors() {
    }

    /** True when the body broke one of the reader's size limits (a string, a number), not its grammar. */
    public static boolean isTooLarge(IOException e) {
        return e instanceof StreamConstraintsException && !String.valueOf(e.getMessage()).startsWith("Document nesting");
    }

    /** The whole message: "the body is not valid JSON: ...", or "the body is larger than ...". */
    public static String describe(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return limit(String.valueOf(e.getMessage()));
        }
        return "the body is not valid JSON: " + problem(e) + where(e);
    }

    private static String limit(String m) {
        Matcher n = LIMIT.matcher(m);
        String max = n.find() ? n.group(1) : "its limit";
        if (m.startsWith("String value length")) {
            return "the body is larger than Speck reads: a text value is longer than " + max + " characters";
        }
        if (m.startsWith("Number value length")) {
            return "the body is larger than Speck reads: a number is longer than " + max + " digits";
        }
        if (m.startsWith("Document nesting")) {
            return "the body is not valid here: it nests deeper than " + max + " levels";
        }
        return "the body is larger than Speck reads";
    }

    private static String problem(IOException e) {
        String m = e instanceof JsonProcessingException j ? String.valueOf(j.getOriginalMessage()) : String.valueOf(e.getMessage());
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input") || m.startsWith("No content to map")) {
            return "unexpected end";
        }
        if (e instanceof MismatchedInputException && m.startsWith("Trailing token")) {
            return "more than one JSON value: something follows the first";
        }
        if (m.startsWith("Duplicate field")) {
            return "duplicate field '" + quoted(m) + "'";
        }
        if (m.startsWith("Unexpected character")) {
            return "unexpected character '" + quoted(m) + "'";
        }
        if (m.startsWith("Unrecognized token")) {
            return "unexpected '" + quoted(m) + "'";
        }
        if (m.startsWith("Non-standard token")) {
            return "NaN and Infinity are no JSON numbers";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "a control character inside a string must be escaped";
        }
        if (m.startsWith("Unrecognized character escape")) {
            return "an unknown escape inside a string";
        }
        if (m.contains("Leading zeroes") || m.startsWith("Invalid numeric value") || m.contains("numeric value")) {
            return "a malformed number";
        }
        if (m.startsWith("Invalid UTF-8") || m.contains("UTF-8")) {
            return "bytes that are not UTF-8";
        }
        return "malformed JSON";
    }

    /** The first quoted token of the library's message, made safe to quote back (no quotes, no control characters). */
    private static String quoted(String m) {
        Matcher q = QUOTED.matcher(m);
        if (!q.find()) {
            return "?";
        }
        StringBuilder out = new StringBuilder();
        for (char c : q.group(1).toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    private static String where(IOException e) {
        JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
