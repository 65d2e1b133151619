package dev.speck.audiences;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Test helpers: an export into a string, and the members the tests share. */
final class Exports {

    record Written(String text, ExportCounts counts) {
        List<String> lines() {
            return List.of(text.split("\r\n", -1));
        }
    }

    private Exports() {
    }

    static Written write(AudienceFormat format, ExportOptions options, AudienceMember... members) {
        StringWriter out = new StringWriter();
        try {
            ExportCounts counts = format.write(List.of(members), out, options);
            return new Written(out.toString(), counts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Zoë-Anne O'Brien of Menlo Park: every field filled, each in a form that needs normalising. */
    static AudienceMember zoe() {
        return new AudienceMember("c-1", "shop-77", "  Joe.Smith@Example.COM ", "(650) 555-1234", "Zoë-Anne",
                "O'Brien", "us", "94025-1234", Instant.parse("2026-12-01T09:30:00Z"), List.of("v-a", "v-b"));
    }
}
