package dev.speck.audiences;

/** The running counts of one export (one thread). */
final class Tally {
    long written;
    long skipped;
    long phonesLeftOut;

    ExportCounts counts() {
        return new ExportCounts(written, skipped, phonesLeftOut);
    }
}
