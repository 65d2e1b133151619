package dev.speck.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The journal's segments on disk: the maintenance thread ("speck-journal") that allocates each writer
 * lane's spares ahead and forces what was written every {@code syncInterval}, and the deletion of
 * segments the store no longer needs, counted against {@code journal.max-size}.
 */
final class SegmentUpkeep {

    /** The journal's logger: its parts log under the one name operators know. */
    private static final Logger LOG = Logger.getLogger(MappedJournal.class.getName());
    private static final int SPARES_PER_LANE = 2;

    private final Map<String, Lane> lanes;
    /** The writer lanes, filled in at open (after this is made, before the thread starts). */
    private final Lane[] writerLanes;
    private final int segmentBytes;
    private final long maxBytes;
    private final long syncIntervalNanos;
    private final AtomicLong bytesOnDisk = new AtomicLong();
    private final Thread maintenance;
    private volatile boolean closed;
    private volatile String allocationError;
    /** Bytes of the segments deleted since start (the consumer thread's, and start-up's). */
    private long releasedBytes;

    SegmentUpkeep(Map<String, Lane> lanes, Lane[] writerLanes, int segmentBytes, long maxBytes, Duration syncInterval) {
        this.lanes = lanes;
        this.writerLanes = writerLanes;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        this.syncIntervalNanos = syncInterval.toNanos();
        this.maintenance = new Thread(this::maintain, "speck-journal");
        this.maintenance.setDaemon(true);
    }

    /** Starts the maintenance thread, once the writer lanes are prepared. */
    void start() {
        maintenance.start();
        LockSupport.unpark(maintenance);
    }

    /** Wakes the maintenance thread: a lane took a spare, or there is room for one again. */
    void wake() {
        LockSupport.unpark(maintenance);
    }

    Segment allocate(Lane lane) throws IOException {
        Segment s = Segment.allocate(lane.dir, lane.name, lane.nextNumber++, segmentBytes);
        bytesOnDisk.addAndGet(s.capacity);
        lane.segments.put(s.number, s);
        return s;
    }

    /** A segment an earlier run left, found at open: counted against the size limit. */
    void recovered(Segment s) {
        bytesOnDisk.addAndGet(s.capacity);
    }

    /**
     * Deletes a sealed segment the reader has left if every record in it is persisted. Needed
     * beside {@link JournalReader#persisted(java.util.Collection)}'s rule (segments before a persisted position's) for a segment the idle
     * trim sealed after its last hit was stored: no later hit moves a persisted position past it, so
     * it stayed mapped (its written pages resident: 28 MB after a load.sh run) until traffic came
     * back. The idle loader polls, so it goes at the next poll (or when the store's move ends).
     */
    void deleteIfPersisted(Lane lane, Segment segment, JournalPosition done) {
        if (done != null && done.segment() == segment.number && done.offset() >= segment.published()) {
            delete(lane, segment);
        }
    }

    void delete(Lane lane, Segment s) {
        lane.segments.remove(s.number);
        try {
            s.unmapAndDelete();
            bytesOnDisk.addAndGet(-s.capacity);
            releasedBytes += s.capacity;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete journal segment " + s.file, e);
        }
        LockSupport.unpark(maintenance); // room for a spare again, if the journal was full
    }

    /** Why the last segment allocation failed (disk full, size limit), or null. */
    String allocationError() {
        return allocationError;
    }

    private void maintain() {
        while (!closed) {
            try {
                for (Lane lane : writerLanes) {
                    while (lane.spares.size() < SPARES_PER_LANE && allocateSpare(lane)) {
                        // allocate until the lane has its spares, the journal its limit, or the disk no room
                    }
                }
                forceAll();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "journal maintenance failed", e);
            }
            LockSupport.parkNanos(syncIntervalNanos);
        }
    }

    private boolean allocateSpare(Lane lane) {
        if (bytesOnDisk.get() + segmentBytes > maxBytes) {
            allocationError = "journal is at its size limit (journal.max-size=" + maxBytes + " bytes)";
            return false;
        }
        try {
            lane.spares.add(allocate(lane));
            allocationError = null;
            return true;
        } catch (IOException | UncheckedIOException e) {
            allocationError = "cannot allocate a journal segment: " + e.getMessage();
            LOG.warning(allocationError);
            return false;
        }
    }

    void forceAll() {
        for (Lane lane : lanes.values()) {
            for (Segment s : lane.segments.values()) {
                s.forcePublished();
            }
        }
    }

    /** Stops the maintenance thread (waiting up to 10 s for it). */
    void stop() {
        closed = true;
        LockSupport.unpark(maintenance);
        try {
            maintenance.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
