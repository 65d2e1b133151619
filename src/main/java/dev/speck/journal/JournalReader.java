package dev.speck.journal;

import dev.speck.hit.Hit;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The reading half of the journal, for its one consumer (the loader): a cursor per lane, and the
 * positions the consumer released (stored) and persisted (safe from a crash), after which segments
 * are deleted.
 */
final class JournalReader {

    /** The journal's logger: its parts log under the one name operators know. */
    private static final Logger LOG = Logger.getLogger(MappedJournal.class.getName());

    private final Map<String, Lane> lanes;
    private final SegmentUpkeep upkeep;

    // Reader state: used by the single consumer thread only.
    private final Map<String, ReadCursor> cursors = new ConcurrentHashMap<>();
    private final CRC32C readCrc = new CRC32C();
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

    JournalReader(Map<String, Lane> lanes, SegmentUpkeep upkeep) {
        this.lanes = lanes;
        this.upkeep = upkeep;
    }

    /** At open: a lane the store saved a position for, read from there; everything before it is stored and persisted. */
    void recovered(String lane, JournalPosition p) {
        stored.put(lane, p);
        persisted.put(lane, p);
        cursors.put(lane, new ReadCursor(p.segment(), p.offset()));
    }

    /** At open: a lane with a saved position but no folder left, read from there once it has segments. */
    void startAt(String lane, JournalPosition p) {
        cursors.put(lane, new ReadCursor(p.segment(), p.offset()));
    }

    void seek(Collection<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            cursors.put(p.lane(), new ReadCursor(p.segment(), p.offset()));
        }
    }

    void rewind() {
        for (Lane lane : lanes.values()) {
            JournalPosition done = stored.get(lane.name);
            cursors.put(lane.name, done == null
                    ? new ReadCursor(firstSegment(lane), 0) // nothing released: nothing was deleted either
                    : new ReadCursor(done.segment(), done.offset()));
        }
    }

    JournalBatch poll(int maxHits) {
        List<Hit> hits = new ArrayList<>(Math.min(maxHits, 4096));
        List<JournalPosition> recordAt = new ArrayList<>(Math.min(maxHits, 4096));
        List<JournalPosition> positions = new ArrayList<>();
        int corrupt = 0;
        for (Lane lane : lanes.values()) {
            ReadCursor cursor = cursors.computeIfAbsent(lane.name, n -> new ReadCursor(firstSegment(lane), 0));
            long offsetBefore = cursor.offset;
            long segmentBefore = cursor.segment;
            corrupt += readLane(lane, cursor, hits, recordAt, maxHits);
            if (cursor.segment != segmentBefore || cursor.offset != offsetBefore) {
                positions.add(new JournalPosition(lane.name, cursor.segment, cursor.offset));
            }
            if (hits.size() >= maxHits) {
                break;
            }
        }
        return new JournalBatch(hits, recordAt, positions, corrupt);
    }

    private static long firstSegment(Lane lane) {
        return lane.segments.isEmpty() ? 0 : lane.segments.firstKey();
    }

    private int readLane(Lane lane, ReadCursor cursor, List<Hit> out, List<JournalPosition> recordAt, int maxHits) {
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
                boolean whole = length > 0 && at + Segment.HEADER_BYTES + length <= limit && length <= MappedJournal.MAX_RECORD_BYTES;
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
                    recordAt.add(new JournalPosition(lane.name, segment.number, at));
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
                upkeep.deleteIfPersisted(lane, segment, persisted.get(lane.name));
            } else {
                return corrupt;
            }
        }
        return corrupt;
    }

    void release(Collection<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            if (lanes.containsKey(p.lane())) {
                stored.merge(p.lane(), p, (a, b) -> before(a, b) ? b : a);
            }
        }
    }

    void persisted(Collection<JournalPosition> positions) {
        for (JournalPosition p : positions) {
            Lane lane = lanes.get(p.lane());
            if (lane == null) {
                continue;
            }
            JournalPosition now = persisted.merge(p.lane(), p, (a, b) -> before(a, b) ? b : a);
            for (Segment s : new ArrayList<>(lane.segments.headMap(now.segment()).values())) {
                if (s.sealed()) {
                    upkeep.delete(lane, s);
                }
            }
            Segment at = lane.segments.get(now.segment());
            if (at != null && at.sealed() && lane.segments.higherKey(at.number) != null) {
                upkeep.deleteIfPersisted(lane, at, now);
            }
        }
    }

    /** Whether {@code a} lies before {@code b} in its lane. */
    static boolean before(JournalPosition a, JournalPosition b) {
        return a.segment() < b.segment() || (a.segment() == b.segment() && a.offset() < b.offset());
    }

    /** Each lane's position before which the store holds everything safe from a crash, or null. */
    JournalPosition persistedAt(String lane) {
        return persisted.get(lane);
    }

    /** Counted from the released positions: what the loader has polled but not yet stored is lag too. */
    long backlogBytes() {
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
}
