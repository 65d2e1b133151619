package dev.speck.journal;

/** What became of a hit offered to the journal. */
public enum AppendOutcome {
    /** Durable as docs/ARCHITECTURE.md promises: the hit may be acknowledged. */
    STORED,
    /** The journal is at its size limit or its disk is full: the hit is refused, nothing was written. */
    FULL,
    /** The hit alone is larger than a journal record may be. */
    TOO_LARGE
}
