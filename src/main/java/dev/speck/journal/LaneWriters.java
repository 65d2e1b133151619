package dev.speck.journal;

import dev.speck.hit.Hit;

import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * The writing half of the journal: each collector thread appends to a writer lane of its own (see
 * {@link Lane}), rolling over to a spare segment when its current one is full. The hot path: an
 * append is an encode into the lane's scratch buffer, a checksum and one copy into the mapping.
 */
final class LaneWriters {

    /** Below this, sealing a lane's segment to shed its pages is not worth a new segment. */
    static final int SHED_MIN_BYTES = 1 << 20;

    private final Lane[] writerLanes;
    private final AtomicInteger nextWriterLane = new AtomicInteger();
    private final ThreadLocal<Lane> laneOfThread;
    private final SegmentUpkeep upkeep;

    /** @param writerLanes filled in by {@link #prepare}, shared with the maintenance thread */
    LaneWriters(Lane[] writerLanes, SegmentUpkeep upkeep) {
        this.writerLanes = writerLanes;
        this.upkeep = upkeep;
        this.laneOfThread = ThreadLocal.withInitial(
                () -> writerLanes[Math.floorMod(nextWriterLane.getAndIncrement(), writerLanes.length)]);
    }

    /** At open, after recovery: a lane for each writer, with a current segment to append to. */
    void prepare(Path dir, Map<String, Lane> lanes) throws IOException {
        for (int i = 0; i < writerLanes.length; i++) {
            String name = "lane-" + i;
            Lane lane = lanes.computeIfAbsent(name, n -> new Lane(n, dir.resolve(n)));
            Files.createDirectories(lane.dir);
            lane.current = upkeep.allocate(lane); // the spare comes from the maintenance thread, off the start-up path
            writerLanes[i] = lane;
        }
    }

    AppendOutcome append(Hit hit) {
        Lane lane = laneOfThread.get();
        lane.writeLock.lock();
        try {
            AppendOutcome outcome = tryAppend(lane, lane.current, hit);
            if (outcome != null) {
                return outcome;
            }
            if (!moveToSpare(lane)) {
                return AppendOutcome.FULL;
            }
            outcome = tryAppend(lane, lane.current, hit);
            return outcome != null ? outcome : AppendOutcome.TOO_LARGE;
        } finally {
            lane.writeLock.unlock();
        }
    }

    /**
     * Seals each writer lane's current segment once it holds at least {@link #SHED_MIN_BYTES}, moving
     * the lane on to a spare. Every page written into a mapping stays in the process's resident memory
     * until the mapping goes: after a burst that is up to a whole segment (32 MB) per lane, held while
     * idle for hits already stored. A sealed segment is deleted and unmapped as soon as the loader has
     * stored it, like any full one; its unused tail costs only disk until then. A lane without a spare
     * ready keeps its segment.
     */
    int shed() {
        int sealed = 0;
        for (Lane lane : writerLanes) {
            lane.writeLock.lock();
            try {
                if (lane.current != null && lane.current.writePosition >= SHED_MIN_BYTES && moveToSpare(lane)) {
                    sealed++;
                }
            } finally {
                lane.writeLock.unlock();
            }
        }
        return sealed;
    }

    /**
     * Under the lane's write lock: seals its current segment and moves it on to a spare; false when
     * no spare is ready. Wakes the maintenance thread either way, to allocate the next spare.
     */
    private boolean moveToSpare(Lane lane) {
        Segment next = lane.spares.poll();
        upkeep.wake();
        if (next == null) {
            return false;
        }
        lane.current.seal();
        lane.current = next;
        return true;
    }

    /**
     * Returns null when the hit does not fit in what is left of the segment. The hit is encoded
     * into the lane's heap scratch buffer first and copied into the mapping in one go: per-byte
     * puts into a mapped buffer cost a bounds and session check each, which showed in profiles.
     */
    private AppendOutcome tryAppend(Lane lane, Segment segment, Hit hit) {
        ByteBuffer scratch = lane.scratch.clear();
        try {
            HitCodec.encode(hit, scratch);
        } catch (BufferOverflowException e) {
            return AppendOutcome.TOO_LARGE;
        }
        int length = scratch.position();
        int start = segment.writePosition;
        if (start + Segment.HEADER_BYTES + length > segment.capacity) {
            return null;
        }
        CRC32C crc = lane.crc;
        crc.reset();
        crc.update(scratch.array(), 0, length);
        ByteBuffer out = segment.writerView();
        out.put(start + Segment.HEADER_BYTES, scratch.array(), 0, length);
        // The checksum first and the length last: a record whose length is set is complete.
        out.putInt(start + 4, (int) crc.getValue());
        out.putInt(start, length);
        int end = start + Segment.HEADER_BYTES + length;
        segment.writePosition = end;
        segment.publish(end);
        lane.appended++;
        return AppendOutcome.STORED;
    }

    /** Hits appended since start (each lane's count as its writer last left it). */
    long appendedHits() {
        long total = 0;
        for (Lane lane : writerLanes) {
            total += lane.appended;
        }
        return total;
    }

    /** At close, after the maintenance thread stopped: no writer appends into a lane's segment again. */
    void sealAll() {
        for (Lane lane : writerLanes) {
            lane.writeLock.lock();
            try {
                lane.current.seal();
            } finally {
                lane.writeLock.unlock();
            }
        }
    }
}
