package dev.speck.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One sequence of segments in its own folder, written by one collector thread at a time.
 * Each event loop gets a lane of its own so appends never contend; the lock is only there for
 * the rare thread that is not an event loop.
 */
final class Lane {

    final String name;
    final Path dir;
    final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    final ReentrantLock writeLock = new ReentrantLock();
    /**
     * The next segments, allocated ahead (in order) by the maintenance thread so a roll-over never
     * waits for the disk. Two, because one segment can fill faster than the next is zero-filled.
     */
    final ConcurrentLinkedQueue<Segment> spares = new ConcurrentLinkedQueue<>();
    /** Guarded by writeLock; null for a lane that only holds segments of an earlier run. */
    Segment current;
    /** Writer-only (under writeLock): the encoding buffer and checksum of this lane's appends. */
    final ByteBuffer scratch = ByteBuffer.allocate(MappedJournal.MAX_RECORD_BYTES);
    final CRC32C crc = new CRC32C();
    /** Hits appended to this lane since start; written under writeLock, read loosely for metrics. */
    volatile long appended;
    /** Guarded by the maintenance thread (and start-up). */
    long nextNumber;

    Lane(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    boolean writable() {
        return current != null;
    }
}
