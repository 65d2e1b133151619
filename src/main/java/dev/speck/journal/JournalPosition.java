package dev.speck.journal;

/**
 * How far a consumer has read one lane of the journal: the next record is at {@code offset} in
 * segment number {@code segment}. The store saves these in the same transaction as the events,
 * which is what makes replay after a crash free of duplicates.
 */
public record JournalPosition(String lane, long segment, long offset) {
}
