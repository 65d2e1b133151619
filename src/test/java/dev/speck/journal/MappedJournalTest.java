package dev.speck.journal;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappedJournalTest {

    /** The smallest segment open() accepts: the largest record and its header. */
    private static final int SMALL_SEGMENT = MappedJournal.MAX_RECORD_BYTES + Segment.HEADER_BYTES;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- fixtures

    private static Hit hit(String id) {
        return Hit.of(1_741_953_600_000L, HitKind.EVENT, "px_journal").name("signup")
                .page(new Hit.Page("https://shop.example/checkout?step=2", "https://www.google.com/", "Checkout – step 2"))
                .client(new Hit.Client("203.0.113.7",
                        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                        Map.of("sec-ch-ua-mobile", "?0"), "de-CH", "1920x1080", "Europe/Zurich", "CH"))
                .value(new Hit.Value(new java.math.BigDecimal("12.5"), "CHF")).props(Map.of("id", id)).build();
    }

    private static String id(Hit hit) {
        return hit.props().get("id");
    }

    private MappedJournal open(int writers, int segmentBytes, long maxBytes, Collection<JournalPosition> saved)
            throws IOException {
        return MappedJournal.open(dir, writers, segmentBytes, maxBytes, Duration.ofMillis(20), saved);
    }

    /** What the loader does, without a store: reads batches and keeps each lane's latest position. */
    private static final class Consumer {
        final HitJournal journal;
        final Map<String, JournalPosition> saved = new HashMap<>();
        int corrupt;

        Consumer(HitJournal journal) {
            this.journal = journal;
        }

        /** One batch; returns false when the journal had nothing new. */
        boolean pollOnce(int maxHits, List<Hit> into) {
            JournalBatch batch = journal.poll(maxHits);
            into.addAll(batch.hits());
            corrupt += batch.corruptRecords();
            batch.positions().forEach(p -> saved.put(p.lane(), p));
            return !batch.positions().isEmpty() || batch.corruptRecords() > 0;
        }

        List<Hit> readAll(int maxHits) {
            List<Hit> hits = new ArrayList<>();
            for (int polls = 0; pollOnce(maxHits, hits); polls++) {
                assertThat(polls).as("polls before the journal has nothing new").isLessThan(100_000);
            }
            return hits;
        }

        /** Stored and safe at once, as with a store that keeps its commits in its file. */
        void releaseAll() {
            journal.release(saved.values());
            journal.persisted(saved.values());
        }
    }

    /** Appends, waiting out a roll-over that comes before the maintenance thread has the next segment ready. */
    private static void append(HitJournal journal, Hit hit) throws InterruptedException {
        await(() -> journal.append(hit) == AppendOutcome.STORED, "the journal to take hit " + id(hit));
    }

    /** Each writer thread appends "writer:i" hits; a thread is given a lane of its own, as an event loop is. */
    private static void appendFromEachWriter(HitJournal journal, int writers, int hitsEach) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < hitsEach; i++) {
                        append(journal, hit(writer + ":" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Long> segmentNumbers(Path laneDir) throws IOException {
        try (Stream<Path> files = Files.list(laneDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg"))
                    .map(Segment::numberOf).sorted().toList();
        }
    }

    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + description);
            }
            Thread.sleep(10);
        }
    }

    // ---------------------------------------------------------------- behaviour

    @Test
    void appendedHitsComeBackIdenticalAndInOrder() throws Exception {
        List<Hit> sent = IntStream.range(0, 2000).mapToObj(i -> hit("h" + i)).toList();
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            for (Hit h : sent) {
                append(journal, h);
            }

            List<Hit> read = new Consumer(journal).readAll(300);

            assertThat(read).containsExactlyElementsOf(sent);
            assertThat(journal.appendedHits()).isEqualTo(sent.size());
        }
    }

    @Test
    void eachLaneKeepsTheOrderOfItsWriter() throws Exception {
        int writers = 3;
        try (MappedJournal journal = open(writers, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            // Each thread is given a lane of its own (round robin), as an event loop is.
            appendFromEachWriter(journal, writers, 1500);

            List<Hit> read = new Consumer(journal).readAll(1000);

            assertThat(read).hasSize(writers * 1500);
            for (int w = 0; w < writers; w++) {
                String prefix = w + ":";
                assertThat(read.stream().map(MappedJournalTest::id).filter(id -> id.startsWith(prefix)).toList())
                        .containsExactlyElementsOf(IntStream.range(0, 1500).mapToObj(i -> prefix + i).toList());
            }
        }
    }

    @Test
    void idleRestartsLeaveTheJournalsDiskUseFlat() throws Exception {
        for (int start = 0; start < 30; start++) {
            try (MappedJournal journal = open(2, SMALL_SEGMENT, NO_LIMIT, List.of())) {
                // each start allocates a current segment and spares ahead; wait until they are there
                awaitTrue(() -> segmentCount(dir.resolve("lane-0")) >= 3 && segmentCount(dir.resolve("lane-1")) >= 3);
            }
        }
        assertThat(segmentCount(dir.resolve("lane-0"))).isLessThanOrEqualTo(3);
        assertThat(segmentCount(dir.resolve("lane-1"))).isLessThanOrEqualTo(3);
    }

    @Test
    void hitsNotYetStoredSurviveAnyNumberOfIdleRestarts() throws Exception {
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            for (int i = 0; i < 10; i++) {
                append(journal, hit("kept" + i));
            }
        }
        for (int start = 0; start < 10; start++) {
            try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
                awaitTrue(() -> segmentCount(dir.resolve("lane-0")) >= 3);
            }
        }
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            assertThat(new Consumer(journal).readAll(700).stream().map(MappedJournalTest::id).toList())
                    .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "kept" + i).toList());
        }
        assertThat(segmentCount(dir.resolve("lane-0"))).isLessThanOrEqualTo(4); // the kept hits' segment + a start's three
    }

    private static long segmentCount(Path laneDir) throws IOException {
        if (!Files.isDirectory(laneDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(laneDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).count();
        }
    }

    private interface IoCondition {
        boolean holds() throws IOException;
    }

    /** Waits for the maintenance thread's work; the limit is generous for a busy machine. */
    private static void awaitTrue(IoCondition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void readingResumesExactlyAtTheSavedPositionsAfterAReopen() throws Exception {
        List<String> before = new ArrayList<>();
        Map<String, JournalPosition> saved;
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            for (int i = 0; i < 5000; i++) {
                append(journal, hit("a" + i));
            }
            Consumer consumer = new Consumer(journal);
            List<Hit> read = new ArrayList<>();
            while (read.size() < 2100) {
                consumer.pollOnce(700, read);
            }
            read.forEach(h -> before.add(id(h)));
            saved = consumer.saved;
        }
        assertThat(segmentNumbers(dir.resolve("lane-0"))).hasSizeGreaterThan(3); // the hits span segments

        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, saved.values())) {
            long resumeSegment = saved.get("lane-0").segment();
            assertThat(segmentNumbers(dir.resolve("lane-0"))).allMatch(n -> n >= resumeSegment);
            for (int i = 0; i < 100; i++) {
                append(journal, hit("b" + i));
            }

            List<String> after = new Consumer(journal).readAll(700).stream().map(MappedJournalTest::id).toList();

            List<String> expected = new ArrayList<>();
            IntStream.range(2100, 5000).forEach(i -> expected.add("a" + i));
            IntStream.range(0, 100).forEach(i -> expected.add("b" + i));
            assertThat(before).containsExactlyElementsOf(IntStream.range(0, 2100).mapToObj(i -> "a" + i).toList());
            assertThat(after).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aRewindReadsAgainFromWhatWasReleasedInEveryLaneAndFromTheStartWhereNothingWas() throws Exception {
        int writers = 2;
        try (MappedJournal journal = open(writers, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            // lane-0 and lane-1 each take one writer thread's hits (round robin, as for event loops)
            appendFromEachWriter(journal, writers, 1500);
            Consumer consumer = new Consumer(journal);
            List<Hit> first = new ArrayList<>();
            consumer.pollOnce(400, first);
            consumer.releaseAll(); // stored: the first 400 of one lane
            Map<String, JournalPosition> released = new HashMap<>(consumer.saved);
            List<Hit> polledButNotStored = new ArrayList<>();
            while (polledButNotStored.size() < 2000) {
                consumer.pollOnce(300, polledButNotStored);
            }

            journal.rewind();
            List<Hit> again = new Consumer(journal).readAll(300);

            assertThat(first).hasSize(400);
            assertThat(released).hasSize(1);
            assertThat(again).as("everything but the released 400, read once more").hasSize(3000 - 400);
            assertThat(again).doesNotContainAnyElementsOf(first).containsAll(polledButNotStored);
            assertThat(journal.backlogBytes()).as("nothing stored since, so all of it is lag").isPositive();
        }
    }

    @Test
    void segmentsRollOverAndReleasedOnesAreDeletedFromDisk() throws Exception {
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            int n = 0;
            while (segmentNumbers(lane).size() < 6) { // at least 3 sealed, besides current and 2 spares
                append(journal, hit("r" + n++));
            }
            Consumer consumer = new Consumer(journal);

            assertThat(consumer.readAll(1000)).hasSize(n);
            long reading = consumer.saved.get("lane-0").segment();
            assertThat(reading).isGreaterThanOrEqualTo(3);
            consumer.releaseAll();

            assertThat(segmentNumbers(lane)).isNotEmpty().allMatch(s -> s >= reading);
            assertThat(journal.backlogBytes()).isZero();
        }
    }

    @Test
    void segmentsStoredButNotYetPersistedAreKeptAndTheReaderDoesNotGoBackForThem() throws Exception {
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            int n = 0;
            while (segmentNumbers(lane).size() < 4) {
                append(journal, hit("k" + n++));
            }
            Consumer consumer = new Consumer(journal);
            List<Hit> first = consumer.readAll(1000);
            journal.release(consumer.saved.values()); // stored in memory, not yet safe from a crash
            List<Long> before = segmentNumbers(lane);

            assertThat(segmentNumbers(lane)).as("kept for a replay").isEqualTo(before);
            assertThat(journal.backlogBytes()).as("nothing left to load").isZero();
            assertThat(journal.storedThrough(journal.appendedEnd())).as("an erasure must wait for the move").isFalse();
            journal.rewind();
            assertThat(consumer.readAll(1000)).as("a rewind goes back to what was stored, not persisted").isEmpty();

            journal.persisted(consumer.saved.values());
            assertThat(segmentNumbers(lane)).as("the full ones read to their end go").doesNotContain(before.get(0));
            assertThat(journal.storedThrough(journal.appendedEnd())).isTrue();
            assertThat(first).hasSize(n);
        }
    }

    @Test
    void releasedSegmentsAreUnmappedAtOnceNotWhenTheGarbageCollectorGetsToThem() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux's /proc/self/maps");
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            int n = 0;
            while (segmentNumbers(lane).size() < 6) {
                append(journal, hit("m" + n++));
            }
            Consumer consumer = new Consumer(journal);
            consumer.readAll(1000);
            consumer.releaseAll();

            // A deleted file that is still mapped shows as "path (deleted)": its touched pages
            // would count towards RSS until a full collection, which may not come for hours.
            String laneDir = lane.toRealPath().toString();
            List<String> stillMapped = Files.readAllLines(maps).stream()
                    .filter(l -> l.contains(laneDir) && l.contains("(deleted)")).toList();
            assertThat(stillMapped).isEmpty();
        }
    }

    @Test
    void sheddingSealsALaneSoItsSegmentIsUnmappedOnceLoadedAndLaterHitsFollowInOrder() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux's /proc/self/maps");
        try (MappedJournal journal = open(1, 4 << 20, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) { // ~1.5 MB: past the least worth shedding
                append(journal, hit("s" + i));
                expected.add("s" + i);
            }
            long busySegment = segmentNumbers(lane).get(0);
            await(() -> journal.shed() == 1, "the lane to be sealed once a spare is ready");
            for (int i = 0; i < 100; i++) {
                append(journal, hit("after" + i));
                expected.add("after" + i);
            }

            Consumer consumer = new Consumer(journal);
            List<String> read = consumer.readAll(1000).stream().map(MappedJournalTest::id).toList();
            consumer.releaseAll();

            assertThat(read).containsExactlyElementsOf(expected);
            assertUnmapped(lane, busySegment);
        }
    }

    @Test
    void aSegmentSealedAfterItsHitsWereStoredIsUnmappedAtTheNextPollWithoutNewHits() throws Exception {
        try (MappedJournal journal = open(1, 4 << 20, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            long busySegment = appendAShedsWorth(journal, lane);
            Consumer consumer = new Consumer(journal);
            consumer.readAll(1000);
            consumer.releaseAll();

            await(() -> journal.shed() == 1, "the lane to be sealed once a spare is ready");
            assertThat(journal.poll(1000).hits()).as("an idle poll").isEmpty();

            assertUnmapped(lane, busySegment);
        }
    }

    @Test
    void aSegmentSealedBetweenReadingAndStoringIsUnmappedAtThePollAfterItsHitsAreStored() throws Exception {
        try (MappedJournal journal = open(1, 4 << 20, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            long busySegment = appendAShedsWorth(journal, lane);
            Consumer consumer = new Consumer(journal);
            assertThat(consumer.readAll(1000)).hasSize(5_000);

            await(() -> journal.shed() == 1, "the lane to be sealed once a spare is ready");
            consumer.releaseAll();
            assertThat(journal.poll(1000).hits()).as("an idle poll").isEmpty();

            assertUnmapped(lane, busySegment);
            append(journal, hit("later"));
            assertThat(consumer.readAll(1000)).extracting(MappedJournalTest::id).containsExactly("later");
        }
    }

    /** Appends 5,000 hits (~1.5 MB: past the least worth shedding); returns the lane's segment that holds them. */
    private long appendAShedsWorth(MappedJournal journal, Path lane) throws Exception {
        for (int i = 0; i < 5_000; i++) {
            append(journal, hit("s" + i));
        }
        return segmentNumbers(lane).get(0);
    }

    private static void assertUnmapped(Path lane, long segment) throws IOException {
        assertThat(segmentNumbers(lane)).doesNotContain(segment);
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            String segmentFile = lane.resolve(Segment.fileName(segment)).toString();
            assertThat(Files.readAllLines(maps)).noneMatch(l -> l.contains(segmentFile));
        }
    }

    @Test
    void sheddingLeavesALaneWithLittleWrittenAlone() throws Exception {
        try (MappedJournal journal = open(1, 4 << 20, NO_LIMIT, List.of())) {
            Path lane = dir.resolve("lane-0");
            for (int i = 0; i < 100; i++) {
                append(journal, hit("few" + i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (segmentNumbers(lane).size() < 3) { // the spares are there: only the size can hold it back
                assertThat(System.nanoTime()).as("the lane's spares to be allocated").isLessThan(deadline);
                Thread.sleep(10);
            }
            List<Long> before = segmentNumbers(lane);

            assertThat(journal.shed()).isZero();

            append(journal, hit("next"));
            List<String> read = new Consumer(journal).readAll(1000).stream().map(MappedJournalTest::id).toList();
            assertThat(read).hasSize(101).endsWith("next");
            assertThat(segmentNumbers(lane).get(0)).isEqualTo(before.get(0));
        }
    }

    @Test
    void aRecordWithABadChecksumIsSkippedAndCountedWithoutLosingEarlierRecords() throws Exception {
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            for (int i = 0; i < 100; i++) {
                append(journal, hit("t" + i));
            }
        }
        Path segment = dir.resolve("lane-0").resolve(Segment.fileName(0));
        byte[] payload = new byte[50];
        java.util.Arrays.fill(payload, (byte) 0x5a);
        writeAtEnd(segment, header(payload.length, 12345), payload);

        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            append(journal, hit("after"));
            Consumer consumer = new Consumer(journal);

            List<String> read = consumer.readAll(1000).stream().map(MappedJournalTest::id).toList();

            List<String> expected = new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "t" + i).toList());
            expected.add("after");
            assertThat(read).containsExactlyElementsOf(expected);
            assertThat(consumer.corrupt).isEqualTo(1);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsSkippedAndCountedOnce() throws Exception {
        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            for (int i = 0; i < 100; i++) {
                append(journal, hit("g" + i));
            }
        }
        Path segment = dir.resolve("lane-0").resolve(Segment.fileName(0));
        byte[] garbage = new byte[300];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0x7f; // a length far beyond the segment: no record can start here
        writeAtEnd(segment, new byte[0], garbage);

        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Consumer consumer = new Consumer(journal);

            List<String> read = consumer.readAll(1000).stream().map(MappedJournalTest::id).toList();
            consumer.readAll(1000); // a second pass finds nothing new to count

            assertThat(read).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "g" + i).toList());
            assertThat(consumer.corrupt).isEqualTo(1);
        }
    }

    @Test
    void aTornRecordInTheLastSegmentOfALaneNoLongerWrittenIsCountedOnce() throws Exception {
        // Two writers in the first run, one in the second: lane-1 is then only read, never written.
        try (MappedJournal journal = open(2, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Thread other = Thread.ofPlatform().start(() -> journal.append(hit("first lane")));
            other.join();
            Thread second = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    journal.append(hit("l" + i));
                }
            });
            second.join();
        }
        List<Long> lane1 = segmentNumbers(dir.resolve("lane-1"));
        Path last = dir.resolve("lane-1").resolve(Segment.fileName(lane1.get(lane1.size() - 1)));
        byte[] payload = new byte[40];
        writeAtEnd(last, header(payload.length, 99), payload);

        try (MappedJournal journal = open(1, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Consumer consumer = new Consumer(journal);

            List<String> read = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                consumer.readAll(1000).forEach(h -> read.add(id(h)));
            }

            assertThat(read).containsExactlyInAnyOrder(
                    Stream.concat(Stream.of("first lane"), IntStream.range(0, 10).mapToObj(i -> "l" + i))
                            .toArray(String[]::new));
            assertThat(consumer.corrupt).isEqualTo(1);
        }
    }

    @Test
    void aFullJournalRefusesHitsAndAcceptsAgainOnceSpaceIsReleased() throws Exception {
        // One writer: its current segment and two spares, and the limit is reached.
        try (MappedJournal journal = open(1, SMALL_SEGMENT, 3L * SMALL_SEGMENT, List.of())) {
            int stored = 0;
            while (true) {
                Hit h = hit("f" + stored);
                boolean[] taken = {journal.append(h) == AppendOutcome.STORED};
                if (!taken[0]) {
                    // Refused: the limit, or only a spare still being allocated on a busy machine.
                    // Try again first: a spare may arrive after the limit was seen for the one after it.
                    await(() -> (taken[0] = journal.append(h) == AppendOutcome.STORED)
                            || journal.allocationError() != null, "the journal to fill up");
                }
                if (!taken[0]) {
                    break;
                }
                stored++;
            }
            assertThat(journal.allocationError()).contains("size limit");
            assertThat(journal.append(hit("f" + stored))).isEqualTo(AppendOutcome.FULL); // no shorter hit that still fits

            Consumer consumer = new Consumer(journal);
            List<Hit> read = consumer.readAll(1000);
            assertThat(read).hasSize(stored);
            consumer.releaseAll();
            await(() -> journal.allocationError() == null, "the journal to allocate again after a release");

            assertThat(journal.append(hit("again"))).isEqualTo(AppendOutcome.STORED);
            assertThat(consumer.readAll(1000)).extracting(MappedJournalTest::id).containsExactly("again");
        }
    }

    @Test
    void concurrentWritersAndOneConsumerSeeEveryHitExactlyOnce() throws Exception {
        int threads = 6;
        int perThread = 8000;
        try (MappedJournal journal = open(3, SMALL_SEGMENT, NO_LIMIT, List.of())) {
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            List<Future<?>> writers = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            Hit h = hit(thread + ":" + i);
                            // A roll-over may briefly find no spare on a busy machine: a client would retry.
                            while (journal.append(h) == AppendOutcome.FULL) {
                                Thread.onSpinWait();
                            }
                        }
                        return null;
                    }));
                }
                Future<Integer> consumer = pool.submit(() -> {
                    Consumer c = new Consumer(journal);
                    List<Hit> batch = new ArrayList<>();
                    while (true) {
                        boolean writersDone = !writing.get(); // read before the poll: a poll after it sees all
                        batch.clear();
                        boolean more = c.pollOnce(500, batch);
                        batch.forEach(h -> seen.merge(id(h), 1, Integer::sum));
                        c.releaseAll();
                        if (writersDone && !more) {
                            return c.corrupt;
                        }
                    }
                });
                start.countDown();
                for (Future<?> w : writers) {
                    w.get(120, TimeUnit.SECONDS);
                }
                writing.set(false);

                assertThat(consumer.get(120, TimeUnit.SECONDS)).isZero();
            } finally {
                pool.shutdownNow();
            }
            assertThat(seen).hasSize(threads * perThread);
            assertThat(seen.values()).allMatch(n -> n == 1);
            assertThat(journal.backlogBytes()).isZero();
        }
    }

    @Test
    void aSegmentTooSmallForTheLargestRecordIsRefusedWithTheMinimum() {
        assertThatThrownBy(() -> open(1, 256 * 1024, NO_LIMIT, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(SMALL_SEGMENT));
    }

    // ---------------------------------------------------------------- writing into segment files

    private static byte[] header(int length, int crc) {
        return ByteBuffer.allocate(Segment.HEADER_BYTES).order(ByteOrder.BIG_ENDIAN).putInt(length).putInt(crc).array();
    }

    /** Writes bytes just after the last intact record of a segment file, as a crash mid-write might leave them. */
    private static void writeAtEnd(Path segment, byte[] header, byte[] payload) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer all = ByteBuffer.allocate((int) ch.size());
            ch.read(all, 0);
            int at = 0;
            CRC32C crc = new CRC32C();
            while (true) {
                int length = all.getInt(at);
                if (length <= 0) {
                    break;
                }
                crc.reset();
                crc.update(all.duplicate().position(at + Segment.HEADER_BYTES).limit(at + Segment.HEADER_BYTES + length));
                assertThat((int) crc.getValue()).isEqualTo(all.getInt(at + 4));
                at += Segment.HEADER_BYTES + length;
            }
            ch.write(ByteBuffer.wrap(header), at);
            ch.write(ByteBuffer.wrap(payload), at + header.length);
        }
    }
}
