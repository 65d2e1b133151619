package dev.speck.audiences;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The files a segment's members can be exported as (docs/AUDIENCES.md): the plain member list as CSV or
 * JSON, and the customer-list files that Meta, Google and LinkedIn take, with normalised, SHA-256-hashed
 * identifiers. A writer streams: it reads the members one at a time and holds none of them, so a segment
 * of any size is exported in constant memory.
 */
public enum AudienceFormat {

    CSV("csv", "text/csv; charset=utf-8", ".csv", false) {
        @Override
        MemberWriter open(Writer out, ExportOptions options, Tally tally) {
            return new CsvMembers(new PlainRows(), out, tally);
        }
    },
    JSON("json", "application/json; charset=utf-8", ".json", false) {
        @Override
        MemberWriter open(Writer out, ExportOptions options, Tally tally) throws IOException {
            return new JsonMembers(out, tally);
        }
    },
    META("meta", "text/csv; charset=utf-8", ".meta.csv", true) {
        @Override
        MemberWriter open(Writer out, ExportOptions options, Tally tally) {
            return new CsvMembers(new MetaRows(options), out, tally);
        }
    },
    GOOGLE("google", "text/csv; charset=utf-8", ".google.csv", true) {
        @Override
        MemberWriter open(Writer out, ExportOptions options, Tally tally) {
            return new CsvMembers(new GoogleRows(options), out, tally);
        }
    },
    LINKEDIN("linkedin", "text/csv; charset=utf-8", ".linkedin.csv", true) {
        @Override
        MemberWriter open(Writer out, ExportOptions options, Tally tally) {
            return new CsvMembers(new LinkedInRows(), out, tally);
        }
    };

    /** Bytes handed to the stream at a time: large enough that a million rows are a few hundred writes. */
    private static final int BUFFER = 64 * 1024;

    private final String wireName;
    private final String contentType;
    private final String fileSuffix;
    private final boolean hashed;

    AudienceFormat(String wireName, String contentType, String fileSuffix, boolean hashed) {
        this.wireName = wireName;
        this.contentType = contentType;
        this.fileSuffix = fileSuffix;
        this.hashed = hashed;
    }

    /** The name in the API and in file names: csv, json, meta, google, linkedin. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP Content-Type of the file (UTF-8 throughout). */
    public String contentType() {
        return contentType;
    }

    /** What a download's file name ends with: ".csv", ".json", ".meta.csv", ".google.csv", ".linkedin.csv". */
    public String fileSuffix() {
        return fileSuffix;
    }

    /** Whether identifiers are hashed and members without one the platform matches on are left out. */
    public boolean hashed() {
        return hashed;
    }

    public static Optional<AudienceFormat> byWireName(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
    }

    /** For a refusal that names what is allowed: "csv, json, meta, google, linkedin". */
    public static String wireNames() {
        return Arrays.stream(values()).map(AudienceFormat::wireName).collect(Collectors.joining(", "));
    }

    /**
     * Writes the members to the stream as UTF-8 and flushes it; the stream stays open (it is the caller's).
     */
    public ExportCounts write(Iterator<? extends AudienceMember> members, OutputStream out, ExportOptions options)
            throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
        return write(members, w, options);
    }

    public ExportCounts write(Iterable<? extends AudienceMember> members, OutputStream out, ExportOptions options)
            throws IOException {
        return write(members.iterator(), out, options);
    }

    public ExportCounts write(Iterable<? extends AudienceMember> members, Writer out, ExportOptions options)
            throws IOException {
        return write(members.iterator(), out, options);
    }

    /** Writes the members and flushes the writer; the writer stays open (it is the caller's). */
    public ExportCounts write(Iterator<? extends AudienceMember> members, Writer out, ExportOptions options)
            throws IOException {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        Tally tally = new Tally();
        MemberWriter writer = open(out, options, tally);
        writer.begin();
        while (members.hasNext()) {
            writer.write(members.next());
        }
        writer.end();
        out.flush();
        return tally.counts();
    }

    abstract MemberWriter open(Writer out, ExportOptions options, Tally tally) throws IOException;
}
