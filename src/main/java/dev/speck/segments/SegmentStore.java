package dev.speck.segments;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where segments, their members, their entries and exits and their sizes are kept; store/duckdb implements it. */
public interface SegmentStore {

    List<Segment> all();

    Segment find(String id);

    void save(Segment segment);

    /** Deletes the segment with its members, changes and sizes; true when it existed. */
    boolean delete(String id);

    /**
     * Judges a rule segment's people again as of {@code now} over all stored history (the backfill)
     * and records who entered and who left, in one transaction. A person is a customer over all their
     * linked visitors (the link made last wins for a shared visitor), else one visitor
     * ({@code v:<visitor id>}).
     *
     * @return how many entered and left
     */
    Changed rejudge(Segment segment, Instant now);

    /**
     * Judges only the people of these visitors (a visitor's customers with all their visitors, and the
     * visitor itself) for each of a pixel's rule segments, as {@link #rejudge(Segment, Instant)} would.
     *
     * @return per segment id, how many entered and left
     */
    Map<String, Changed> rejudge(String pixel, List<Segment> segments, Instant now, Collection<String> visitors);

    /**
     * Adds customers to (or removes them from) a list segment, recording the changes.
     *
     * @param customerIds Speck's customer ids (resolved by the caller)
     */
    Changed changeList(Segment segment, Collection<String> customerIds, boolean add, Instant now);

    record Changed(int entered, int left) {
    }

    /** Members in person order after {@code after} (null: from the first), at most {@code limit}. */
    List<Member> members(String segmentId, String after, int limit);

    int size(String segmentId);

    /** The size at the end of each day it was measured, oldest first. */
    Map<LocalDate, Integer> sizes(String segmentId, LocalDate from, LocalDate to);

    /** Records today's size (the last measure of a day stands for it). */
    void recordSize(String segmentId, LocalDate day, int size);

    /** Entries and exits not yet handed to triggers, oldest first, at most {@code limit}. */
    List<SegmentChange> undispatched(int limit);

    void dispatched(Collection<Long> changeIds);

    /** The latest entries and exits of one segment, newest first. */
    List<SegmentChange> changes(String segmentId, int limit);

    /** The highest event seq stored so far (0 when none). */
    long lastSeq();

    /** Visitors with stored people's hits whose seq is in (afterSeq, upToSeq], by pixel. */
    Map<String, Set<String>> touched(long afterSeq, long upToSeq);

    /**
     * Visitors of a pixel with hits that left one of the windows between {@code from} and {@code to}:
     * a hit at t with {@code from - days < t <= to - days} for one of {@code windows} (in days).
     */
    Set<String> expired(String pixel, Set<Integer> windows, Instant from, Instant to);

    /** What the live job has judged so far: the last seq and time, or null before its first run. */
    Watermark watermark();

    void saveWatermark(Watermark watermark);

    record Watermark(long seq, Instant at) {
    }
}
