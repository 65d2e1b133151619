package dev.speck.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Opening the journal: the lanes and segments an earlier run left in its folder, and where the
 * positions the store saved put the reader (what lies before them was stored before the crash).
 */
final class JournalRecovery {

    private JournalRecovery() {
    }

    static void recover(Path dir, Collection<JournalPosition> saved, Map<String, Lane> lanes, SegmentUpkeep upkeep,
                        JournalReader reader) throws IOException {
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
                            if (s.neverWritten()) {
                                // An earlier run's spare: nothing to replay. Kept, every start added its own
                                // spares to them and idle restarts piled up gigabytes (and minutes of start-up).
                                s.unmapAndDelete();
                                continue;
                            }
                            lane.segments.put(s.number, s);
                            upkeep.recovered(s);
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
                reader.recovered(lane.name, p);
                // Segments wholly before the saved position were stored before the crash.
                for (Segment s : new ArrayList<>(lane.segments.headMap(p.segment()).values())) {
                    upkeep.delete(lane, s);
                }
            }
        }
        for (JournalPosition p : saved) {
            if (!lanes.containsKey(p.lane())) {
                Lane lane = new Lane(p.lane(), dir.resolve(p.lane()));
                lane.nextNumber = p.segment() + 1;
                lanes.put(lane.name, lane);
                reader.startAt(lane.name, p);
            }
        }
    }
}
