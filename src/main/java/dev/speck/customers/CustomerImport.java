package dev.speck.customers;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a customer CSV: a header row naming the columns, then one customer per row. Known columns
 * are external_id, email, name and aliases (separated by ";"); every other column is an attribute
 * of that name (an empty cell sets nothing). The whole file is checked before anything is stored:
 * one bad row and nothing is imported, and the answer lists every bad row by its line.
 */
public final class CustomerImport {

    public static final int MAX_ERRORS_REPORTED = 100;
    private static final List<String> KNOWN = List.of("external_id", "email", "name", "aliases");

    /** A row that cannot be imported: its line in the file (1 is the header) and why. */
    public record RowError(long line, String error) {
    }

    /** The drafts of a file without errors, or the errors (at most {@value #MAX_ERRORS_REPORTED}) and no drafts. */
    public record Parsed(List<CustomerDraft> drafts, List<Long> lines, List<RowError> errors, long badRows) {

        public boolean ok() {
            return badRows == 0;
        }
    }

    private CustomerImport() {
    }

    public static Parsed parse(String csv, int maxRows) {
        List<CustomerDraft> drafts = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        long bad = 0;
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(stripBom(csv)), format)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            checkHeader(header);
            var rows = parser.iterator();
            while (true) {
                CSVRecord row;
                long line = parser.getCurrentLineNumber() + 1;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    row = rows.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    // the CSV itself is broken here (an unclosed quote): no row after it can be trusted
                    errors.add(new RowError(line, "not valid CSV: " + rootMessage(e)));
                    return new Parsed(List.of(), List.of(), errors, bad + 1);
                }
                if (drafts.size() + bad >= maxRows) {
                    errors.add(new RowError(line, "more than " + maxRows + " rows: split the file"));
                    return new Parsed(List.of(), List.of(), errors, bad + 1);
                }
                try {
                    drafts.add(draft(header, row));
                    lines.add(lineOf(row));
                } catch (IllegalArgumentException e) {
                    bad++;
                    if (errors.size() < MAX_ERRORS_REPORTED) {
                        errors.add(new RowError(lineOf(row), e.getMessage()));
                    }
                }
            }
        } catch (IOException e) {
            errors.add(new RowError(1, "not valid CSV: " + e.getMessage()));
            return new Parsed(List.of(), List.of(), errors, 1);
        } catch (IllegalArgumentException e) {
            errors.add(new RowError(1, e.getMessage()));
            return new Parsed(List.of(), List.of(), errors, 1);
        }
        if (drafts.isEmpty() && bad == 0) {
            errors.add(new RowError(1, "no customers: the file has a header row but no rows"));
            return new Parsed(List.of(), List.of(), errors, 1);
        }
        return bad > 0 ? new Parsed(List.of(), List.of(), errors, bad) : new Parsed(drafts, lines, errors, 0);
    }

    private static long lineOf(CSVRecord row) {
        // The header is line 1; a row whose quoted cells hold line breaks still counts as one line.
        return row.getRecordNumber() + 1;
    }

    private static void checkHeader(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("the first line must name the columns, e.g. external_id,email,name");
        }
        if (!header.contains("external_id") && !header.contains("email")) {
            throw new IllegalArgumentException("the header must have an external_id or an email column; it has "
                    + String.join(", ", header));
        }
        if (header.size() > KNOWN.size() + CustomerDraft.MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("at most " + (KNOWN.size() + CustomerDraft.MAX_ATTRIBUTES) + " columns");
        }
    }

    private static CustomerDraft draft(List<String> header, CSVRecord row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("has " + row.size() + " cells, the header " + header.size());
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String v = row.get(i);
            if (KNOWN.contains(header.get(i))) {
                values.put(header.get(i), v);
            } else if (v != null && !v.isBlank()) {
                attributes.put(header.get(i), v.trim());
            }
        }
        String aliases = values.get("aliases");
        return new CustomerDraft(values.get("external_id"), values.get("email"), values.get("name"), attributes,
                aliases == null || aliases.isBlank() ? null : Arrays.asList(aliases.split(";")));
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
