package dev.speck.journal;

import dev.speck.hit.Hit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The local journal: a few lanes of preallocated memory-mapped segments. An append is a copy into
 * the page cache, so an acknowledged hit survives a crash of the process at once, and a power loss
 * once the maintenance thread has forced it (every {@code syncInterval}). See docs/ARCHITECTURE.md.
 */
public final class MappedJournal implements HitJournal {

    private static final Logger LOG = Logger.getLogger(MappedJournal.class.getName());
    /** Largest record accepted; the collector bounds a hit's parts well below this. */
    static final int MAX_RECORD_BYTES = 256 * 1024;
    private static final int SPARES_PER_LANE = 2;
    /** Below this, sealing a lane's segment to shed its pages is not worth a new segment. */
    static final int SHED_MIN_BYTES = 1 << 20;

    private final Path dir;
    private final int segmentBytes;
    private final long maxBytes;
    private final long syncIntervalNanos;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Lane[] writerLanes;
    private final AtomicInteger nextWriterLane = new AtomicInteger();
    private final ThreadLocal<Lane> laneOfThread;
    private final AtomicLong bytesOnDisk = new AtomicLong();
    private final Thread maintenance;
    private volatile boolean closed;
    private volatile String allocationError;

    // Reader state: used by the single consumer thread only.
    private final Map<String, ReadCursor> cursors = new ConcurrentHashMap<>();
    private final CRC32C readCrc = new CRC32C();
    private long releasedBytes;
    /** Per lane, the position before which the store holds everything (what release was last told). */
    private final Map<String, JournalPosition> stored = new ConcurrentHashMap<>();
    /** Each lane's position before which the store holds everything safe from a crash (never after {@link #stored}'s). */
    private final Map<String, JournalPosition> persisted = new ConcurrentHashMap<>();

    private static final class ReadCursor {
        volatile long segment;
        volatile long offset;

        ReadCursor(long segment, long offset) {
            this.segment = segment;
            this.offset = offset;
        }
    }

    private MappedJournal(Path dir, int writers, int segmentBytes, long maxBytes, Duration syncInterval) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        this.syncIntervalNanos = syncInterval.toNanos();
        this.writerLanes = new Lane[writers];
        this.laneOfThread = ThreadLocal.withInitial(
                () -> writerLanes[Math.floorMod(nextWriterLane.getAndIncrement(), writerLanes.length)]);
        this.maintenance = new Thread(this::maintain, "speck-journal");
        this.maintenance.setDaemon(true);
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
        MappedJournal journal = new MappedJournal(dir, Math.max(1, writers), segmentBytes, maxBytes, syncInterval);
        journal.recover(saved);
        journal.prepareWriters();
        journal.maintenance.start();
        LockSupport.unpark(journal.maintenance);
        return journal;
    }

    private void recover(Collection<JournalPosition> saved) throws IOException {
        Map<String, JournalPosition> byLane = new HashMap<>();
        saved.forEach(p -> byLane.put(p.lane(), p));
        try (Stream<Path> laneDirs = Files.list(dir)) {
            for (Path laneDir : laneDirs.filter(Files::isDirectory).toList()) {
                Lane lane = new Lane(laneDir.getFileName().toString(), laneDir);
                lanes.put(lane.name, lane);
                try (Stream<Path> files = Files.list(laneDir)) {
                    for (Path f : files.toList()) {
                        String n = f.getFileName().toString();
                        if (n.endsWith(".tmp")) {
                            Files.deleteIfExists(f); // an allocation the crash interrupted
                        } else if (n.endsWith(".seg")) {
                            Segment s = Segment.recover(f, lane.name, Segment.numberOf(f));
                            lane.segments.put(s.number, s);
                            bytesOnDisk.addAndGet(s.capacity);
                        }
                    }
                }
            }
        }
        for (Lane lane : lanes.values()) {
            JournalPosition p = byLane.get(lane.name);
            long last = lane.segments.isEmpty() ? -1 : lane.segments.lastKey();
            lane.nextNumber = Math.max(last, p == null ? -1 : p.segment()) + 1;
            if (p != null) {
                stored.put(lane.name, p);
                persisted.put(lane.name, p);
                cursors.put(lane.name, new ReadCursor(p.segment(), p.offset()));
                // Segments wholly before the saved position were stored before the crash.
                for (Segment s : new ArrayList<>(lane.segments.headMap(p.segment()).values())) {
                    delete(lane, s);
                }
            }
        }
        for (JournalPosition p : saved) {
            if (!lanes.containsKey(p.lane())) {
                Lane lane = new Lane(p.lane(), dir.resolve(p.lane()));
                lane.nextNumber = p.segment() + 1;
                lanes.put(lane.name, lane);
                cursors.put(lane.name, new ReadCursor(p.segment(), p.offset()));
            }
        }
    }

    private void prepareWriters() throws IOException {
        for (int i = 0; i < writerLanes.length; i++) {
            String name = "lane-" + i;
            Lane lane = lanes.computeIfAbsent(name, n -> new Lane(n, dir.resolve(n)));
            Files.createDirectories(lane.dir);
            lane.current = allocate(lane); // the spare comes from the maintenance thread, off the start-up path
            writerLanes[i] = lane;
        }
    }

    private Segment allocate(Lane lane) throws IOException {
        Segment s = Segment.allocate(lane.dir, lane.name, lane.nextNumber++, segmentBytes);
        bytesOnDisk.addAndGet(s.capacity);
        lane.segments.put(s.number, s);
        return s;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public AppendOutcome append(Hit hit) {
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
    @Override
    public int shed() {
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
        LockSupport.unpark(maintenance);
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

    // ---------------------------------------------------------------- reading (one consumer thread)

    @Override
    public void seek(Collection<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            cursors.put(p.lane(), new ReadCursor(p.segment(), p.offset()));
        }
    }

    @Override
    public void rewind() {
        for (Lane lane : lanes.values()) {
            JournalPosition done = stored.get(lane.name);
            cursors.put(lane.name, done == null
                    ? new ReadCursor(firstSegment(lane), 0) // nothing released: nothing was deleted either
                    : new ReadCursor(done.segment(), done.offset()));
        }
    }

    @Override
    public JournalBatch poll(int maxHits) {
        List<Hit> hits = new ArrayList<>(Math.min(maxHits, 4096));
        List<JournalPosition> positions = new ArrayList<>();
        int corrupt = 0;
        for (Lane lane : lanes.values()) {
            ReadCursor cursor = cursors.computeIfAbsent(lane.name, n -> new ReadCursor(firstSegment(lane), 0));
            long offsetBefore = cursor.offset;
            long segmentBefore = cursor.segment;
            corrupt += readLane(lane, cursor, hits, maxHits);
            if (cursor.segment != segmentBefore || cursor.offset != offsetBefore) {
                positions.add(new JournalPosition(lane.name, cursor.segment, cursor.offset));
            }
            if (hits.size() >= maxHits) {
                break;
            }
        }
        return new JournalBatch(hits, positions, corrupt);
    }

    private static long firstSegment(Lane lane) {
        return lane.segments.isEmpty() ? 0 : lane.segments.firstKey();
    }

    private int readLane(Lane lane, ReadCursor cursor, List<Hit> out, int maxHits) {
        int corrupt = 0;
        while (out.size() < maxHits) {
            Map.Entry<Long, Segment> entry = lane.segments.ceilingEntry(cursor.segment);
            if (entry == null) {
                return corrupt;
            }
            Segment segment = entry.getValue();
            if (segment.number != cursor.segment) {
                cursor.segment = segment.number;
                cursor.offset = 0;
            }
            boolean sealed = segment.sealed(); // read before the limit: a seal publishes the final limit first
            long limit = segment.published();
            ByteBuffer buf = segment.view();
            boolean endOfSegment = false;
            while (out.size() < maxHits) {
                long at = cursor.offset;
                if (at + Segment.HEADER_BYTES > limit) {
                    endOfSegment = true;
                    break;
                }
                int length = buf.getInt((int) at);
                boolean whole = length > 0 && at + Segment.HEADER_BYTES + length <= limit && length <= MAX_RECORD_BYTES;
                byte[] payload = whole ? new byte[length] : null;
                if (whole) {
                    buf.get((int) at + Segment.HEADER_BYTES, payload);
                    readCrc.reset();
                    readCrc.update(payload);
                }
                if (!whole || (int) readCrc.getValue() != buf.getInt((int) at + 4)) {
                    // Below the published limit every record is whole: this is damage, not the end.
                    LOG.warning("journal record with a bad length or checksum in " + segment.file + " at " + at
                            + ": the rest of the segment is skipped");
                    corrupt++;
                    if (sealed) {
                        // Past it for good, so a lane's last segment is not counted again at every poll.
                        cursor.offset = limit;
                        segment.takeTornTail();
                    }
                    endOfSegment = true;
                    break;
                }
                cursor.offset = at + Segment.HEADER_BYTES + length;
                try {
                    out.add(HitCodec.decode(ByteBuffer.wrap(payload)));
                } catch (IllegalArgumentException e) {
                    LOG.log(Level.WARNING, "journal record that is not a hit in " + segment.file + " at " + at, e);
                    corrupt++;
                }
            }
            if (!endOfSegment) {
                return corrupt;
            }
            if (sealed && cursor.offset == limit && segment.takeTornTail()) {
                LOG.warning("journal segment " + segment.file + " holds an incomplete record after " + limit
                        + " (a write the crash cut off): skipped");
                corrupt++;
            }
            boolean moreAfter = lane.segments.higherKey(segment.number) != null;
            if (sealed && moreAfter) {
                cursor.segment = segment.number + 1;
                cursor.offset = 0;
                deleteIfPersisted(lane, segment, persisted.get(lane.name));
            } else {
                return corrupt;
            }
        }
        return corrupt;
    }

    @Override
    public void release(Collection<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            if (lanes.containsKey(p.lane())) {
                stored.merge(p.lane(), p, (a, b) -> before(a, b) ? b : a);
            }
        }
    }

    @Override
    public void persisted(Collection<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            Lane lane = lanes.get(p.lane());
            if (lane == null) {
                continue;
            }
            JournalPosition now = persisted.merge(p.lane(), p, (a, b) -> before(a, b) ? b : a);
            for (Segment s : new ArrayList<>(lane.segments.headMap(now.segment()).values())) {
                if (s.sealed()) {
                    delete(lane, s);
                }
            }
            Segment at = lane.segments.get(now.segment());
            if (at != null && at.sealed() && lane.segments.higherKey(at.number) != null) {
                deleteIfPersisted(lane, at, now);
            }
        }
    }

    /**
     * Deletes a sealed segment the reader has left if every record in it is persisted. Needed
     * beside {@link #persisted}'s rule (segments before a persisted position's) for a segment the idle
     * trim sealed after its last hit was stored: no later hit moves a persisted position past it, so
     * it stayed mapped (its written pages resident: 28 MB after a load.sh run) until traffic came
     * back. The idle loader polls, so it goes at the next poll (or when the store's move ends).
     */
    private void deleteIfPersisted(Lane lane, Segment segment, JournalPosition done) {
        if (done != null && done.segment() == segment.number && done.offset() >= segment.published()) {
            delete(lane, segment);
        }
    }

    private void delete(Lane lane, Segment s) {
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

    private static boolean before(JournalPosition a, JournalPosition b) {
        return a.segment() < b.segment() || (a.segment() == b.segment() && a.offset() < b.offset());
    }

    // ---------------------------------------------------------------- erasure

    /**
     * Where each lane ends now: a hit appended before this call lies before these positions. Lanes
     * an earlier run left (with more event loops) count too: their unread hits are loaded later.
     */
    public List<JournalPosition> appendedEnd() {
        List<JournalPosition> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            lane.writeLock.lock();
            try {
                Segment last = lane.current != null ? lane.current
                        : lane.segments.isEmpty() ? null : lane.segments.lastEntry().getValue();
                if (last != null) {
                    out.add(new JournalPosition(lane.name, last.number, last.published()));
                }
            } finally {
                lane.writeLock.unlock();
            }
        }
        return out;
    }

    /**
     * Whether the store holds every hit before these positions (as {@link #appendedEnd()} gave them)
     * safe from a crash.
     */
    public boolean storedThrough(Collection<JournalPosition> ends) {
        for (JournalPosition end : ends) {
            JournalPosition done = persisted.get(end.lane());
            if (done == null) {
                Lane lane = lanes.get(end.lane());
                boolean empty = end.offset() == 0 && (lane == null || lane.segments.headMap(end.segment()).values()
                        .stream().allMatch(s -> s.published() == 0));
                if (!empty) {
                    return false;
                }
            } else if (before(done, end)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Overwrites with zeros the payload of every record the store already holds safe from a crash, so
     * the journal's files keep no copy of stored hits (a segment is only deleted once it is full). The
     * record lengths stay, so the segment still reads as written; nothing before a persisted position is
     * read again (it is before the stored one too).
     */
    public void scrubStored() {
        for (Lane lane : lanes.values()) {
            JournalPosition done = persisted.get(lane.name);
            if (done == null) {
                continue;
            }
            for (Segment s : lane.segments.headMap(done.segment(), true).values()) {
                s.scrub(s.number < done.segment() ? s.published() : done.offset());
            }
        }
    }

    /** Counted from the released positions: what the loader has polled but not yet stored is lag too. */
    @Override
    public long backlogBytes() {
        long total = 0;
        for (Lane lane : lanes.values()) {
            JournalPosition done = stored.get(lane.name);
            for (Segment s : lane.segments.values()) {
                if (done != null && s.number < done.segment()) {
                    continue;
                }
                long from = done != null && s.number == done.segment() ? done.offset() : 0;
                total += Math.max(0, s.published() - from);
            }
        }
        return total;
    }

    /** Hits appended since start (each lane's count as its writer last left it). */
    @Override
    public long appendedHits() {
        long total = 0;
        for (Lane lane : writerLanes) {
            total += lane.appended;
        }
        return total;
    }

    /** Why the last segment allocation failed (disk full, size limit), or null. */
    public String allocationError() {
        return allocationError;
    }

    // ---------------------------------------------------------------- maintenance

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

    private void forceAll() {
        for (Lane lane : lanes.values()) {
            for (Segment s : lane.segments.values()) {
                s.forcePublished();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(maintenance);
        try {
            maintenance.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane lane : writerLanes) {
            lane.writeLock.lock();
            try {
                lane.current.seal();
            } finally {
                lane.writeLock.unlock();
            }
        }
        forceAll();
    }
}
