package dev.speck.journal;

import dev.speck.hit.Hit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local journal: a few lanes of preallocated memory-mapped segments. An append is a copy into
 * the page cache, so an acknowledged hit survives a crash of the process at once, and a power loss
 * once the maintenance thread has forced it (every {@code syncInterval}). See docs/ARCHITECTURE.md.
 *
 * <p>Its parts: {@link JournalRecovery} (what an earlier run left, at open), {@link LaneWriters} (the
 * collector threads' appends), {@link JournalReader} (the loader's polls and the positions it reports),
 * {@link SegmentUpkeep} (spares, forcing and deletion of segments) and {@link JournalErasure}.
 */
public final class MappedJournal implements ErasableJournal {

    /** Largest record accepted; the collector bounds a hit's parts well below this. */
    static final int MAX_RECORD_BYTES = 256 * 1024;

    /** Every lane: the writers' and those an earlier run left. */
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final SegmentUpkeep upkeep;
    private final LaneWriters writers;
    private final JournalReader reader;
    private final JournalErasure erasure;

    private MappedJournal(int writers, int segmentBytes, long maxBytes, Duration syncInterval) {
        Lane[] writerLanes = new Lane[writers];
        this.upkeep = new SegmentUpkeep(lanes, writerLanes, segmentBytes, maxBytes, syncInterval);
        this.writers = new LaneWriters(writerLanes, upkeep);
        this.reader = new JournalReader(lanes, upkeep);
        this.erasure = new JournalErasure(lanes, reader);
    }

    /**
     * Opens the journal in {@code dir}: recovers the segments an earlier run left, seeks to the
     * positions the store saved, and prepares {@code writers} lanes for new hits.
     */
    public static MappedJournal open(Path dir, int writers, int segmentBytes, long maxBytes,
                                     Duration syncInterval, Collection<JournalPosition> saved) throws IOException {
        if (segmentBytes < MAX_RECORD_BYTES + Segment.HEADER_BYTES) {
            throw new IllegalArgumentException("journal segment size must be at least "
                    + (MAX_RECORD_BYTES + Segment.HEADER_BYTES) + " bytes (the largest record and its header)");
        }
        Files.createDirectories(dir);
        MappedJournal journal = new MappedJournal(Math.max(1, writers), segmentBytes, maxBytes, syncInterval);
        JournalRecovery.recover(dir, saved, journal.lanes, journal.upkeep, journal.reader);
        journal.writers.prepare(dir, journal.lanes);
        journal.upkeep.start();
        return journal;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public AppendOutcome append(Hit hit) {
        return writers.append(hit);
    }

    /** See {@link LaneWriters#shed()}. */
    @Override
    public int shed() {
        return writers.shed();
    }

    /** Hits appended since start (each lane's count as its writer last left it). */
    @Override
    public long appendedHits() {
        return writers.appendedHits();
    }

    // ---------------------------------------------------------------- reading (one consumer thread)

    @Override
    public void seek(Collection<JournalPosition> positions) {
        reader.seek(positions);
    }

    @Override
    public void rewind() {
        reader.rewind();
    }

    @Override
    public JournalBatch poll(int maxHits) {
        return reader.poll(maxHits);
    }

    @Override
    public void release(Collection<JournalPosition> positions) {
        reader.release(positions);
    }

    @Override
    public void persisted(Collection<JournalPosition> positions) {
        reader.persisted(positions);
    }

    /** Counted from the released positions: what the loader has polled but not yet stored is lag too. */
    @Override
    public long backlogBytes() {
        return reader.backlogBytes();
    }

    // ---------------------------------------------------------------- erasure

    @Override
    public List<JournalPosition> appendedEnd() {
        return erasure.appendedEnd();
    }

    @Override
    public boolean storedThrough(Collection<JournalPosition> ends) {
        return erasure.storedThrough(ends);
    }

    @Override
    public void scrubStored() {
        erasure.scrubStored();
    }

    // ---------------------------------------------------------------- maintenance

    /** Why the last segment allocation failed (disk full, size limit), or null. */
    public String allocationError() {
        return upkeep.allocationError();
    }

    /**
     * Copies every segment's published records into {@code target} (lane folders, same file names),
     * for a backup taken while Speck runs: opened as a journal later, it replays from the positions
     * a store snapshot taken <em>after</em> this copy saved (see the backup's order).
     *
     * @return the number of segment files written
     */
    public int copyPublishedTo(Path target) throws IOException {
        int copied = 0;
        for (Lane lane : lanes.values()) {
            Path laneDir = Files.createDirectories(target.resolve(lane.name));
            for (Segment segment : lane.segments.values()) {
                if (segment.copyPublishedTo(laneDir.resolve(segment.file.getFileName()))) {
                    copied++;
                }
            }
        }
        return copied;
    }

    @Override
    public void close() {
        upkeep.stop();
        writers.sealAll();
        upkeep.forceAll();
    }
}
