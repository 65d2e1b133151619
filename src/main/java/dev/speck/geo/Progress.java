package dev.speck.geo;

import java.io.PrintStream;
import java.util.Locale;

/** Prints how far a download or unpacking has come, at most once a second, as whole lines (fine in logs too). */
final class Progress {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String what;
    private final long total;
    private long lastPrinted = System.nanoTime();

    /** {@code total} in bytes, or -1 when unknown (then only the bytes so far are shown). */
    Progress(PrintStream out, String what, long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    void update(long bytes) {
        long now = System.nanoTime();
        if (now - lastPrinted >= INTERVAL_NANOS) {
            lastPrinted = now;
            out.println(line(bytes));
        }
    }

    void done(long bytes) {
        out.println(line(bytes) + " done");
    }

    String line(long bytes) {
        if (total > 0) {
            return String.format(Locale.ROOT, "  %s: %s of %s (%d%%)", what, megabytes(bytes), megabytes(total),
                    Math.min(100, bytes * 100 / total));
        }
        return String.format(Locale.ROOT, "  %s: %s", what, megabytes(bytes));
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
