package dev.speck.audiences;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** A CSV export: the format's header line, then a line per member its {@link Rows} does not leave out. */
final class CsvMembers implements MemberWriter {

    private final Rows rows;
    private final Writer out;
    private final Tally tally;

    CsvMembers(Rows rows, Writer out, Tally tally) {
        this.rows = rows;
        this.out = out;
        this.tally = tally;
    }

    @Override
    public void begin() throws IOException {
        Csv.line(out, rows.header());
    }

    @Override
    public void write(AudienceMember member) throws IOException {
        List<String> row = rows.row(member, tally);
        if (row == null) {
            tally.skipped++;
            return;
        }
        Csv.line(out, row);
        tally.written++;
    }

    @Override
    public void end() {
    }
}
