package dev.speck.journal;

import dev.speck.hit.Hit;

import java.util.Collection;

/**
 * The append-only log that makes an acknowledged hit durable before the response is sent.
 * The seam where a Kafka topic can take the place of the local memory-mapped journal. What an erasure
 * needs besides (a barrier, and forgetting stored hits) is {@link ErasableJournal}'s.
 */
public interface HitJournal extends AutoCloseable {

    /** Called on a collector thread for every hit; must not block on I/O. */
    AppendOutcome append(Hit hit);

    /**
     * Reads up to {@code maxHits} hits after the given positions (or after what the last poll
     * returned), without waiting. Lanes without a position are read from their start.
     */
    JournalBatch poll(int maxHits);

    /** Starts reading each lane from the given positions, as saved by the store. */
    void seek(Collection<JournalPosition> positions);

    /**
     * The consumer could not store what it polled since its last release: the next poll reads
     * again from the released positions (each lane's start where nothing was released yet).
     */
    void rewind();

    /**
     * The consumer has stored everything before these positions: it is not read again, not even
     * after {@link #rewind()}.
     */
    void release(Collection<JournalPosition> positions);

    /**
     * What the consumer stored before these positions is also safe from a crash: the space before
     * them may be freed. Until then it is kept for a replay at the next start.
     */
    void persisted(Collection<JournalPosition> positions);

    /** Bytes appended but not yet released (polled or not): the loader's lag. */
    long backlogBytes();

    /** Hits appended since start, or -1 when this journal does not count them. */
    default long appendedHits() {
        return -1;
    }

    /**
     * While no hits come: lets go of memory that only the hits already appended still hold (for the
     * mapped journal, the written pages of each lane's current segment, resident until it is unmapped).
     *
     * @return how many lanes let go of something
     */
    default int shed() {
        return 0;
    }

    @Override
    void close();
}
