package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Reading the API's query parameters and body fields, with the errors the client gets when they are wrong. */
final class Params {

    private Params() {
    }

    static int integer(String s, int dflt, int min, int max, String name) {
        if (s == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(s);
            if (i < min || i > max) {
                throw new BadRequest(name + " must be from " + min + " to " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be an integer");
        }
    }

    static LocalDate date(String s, LocalDate dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadRequest("'" + ApiJson.truncate(s) + "' is not a date such as 2026-11-25");
        }
    }

    /** ?traffic=human|non-human|all: which hits a report counts; people when absent. */
    static dev.speck.report.Traffic traffic(String s) {
        if (s == null) {
            return dev.speck.report.Traffic.HUMAN;
        }
        dev.speck.report.Traffic t = dev.speck.report.Traffic.fromWireName(s);
        if (t == null) {
            throw new BadRequest("traffic must be human, non-human or all");
        }
        return t;
    }

    /** A required string field, trimmed: names and addresses, where surrounding blanks are a slip. */
    static String requiredText(JsonNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest(field + " is required (a string)");
        }
        if (v.asText().length() > max) {
            throw new BadRequest(field + " is longer than " + max + " characters");
        }
        return v.asText().trim();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
