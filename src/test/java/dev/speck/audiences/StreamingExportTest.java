package dev.speck.audiences;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million members go through the JSON writer and a hashed CSV writer (every CSV format shares the one
 * that streams, {@link CsvMembers}) without the writer holding on to them: the members are made
 * one at a time as the writer asks, the bytes go nowhere, and (1) every 10,000th member, watched through a
 * weak reference, is collectable by the end, and (2) the heap after a full collection at the millionth member
 * is within a few megabytes of what it was at the 100,000th. Holding a million members would take hundreds.
 */
class StreamingExportTest {

    static final int MEMBERS = 1_000_000;
    static final long MAX_GROWTH = 32L * 1024 * 1024;

    /** Members made on demand; the iterator keeps only a counter (and the weak references it hands out). */
    static final class Generated implements Iterator<AudienceMember> {
        final List<WeakReference<AudienceMember>> watched = new ArrayList<>();
        long heapAt100k;
        long heapAtEnd;
        int made;

        @Override
        public boolean hasNext() {
            return made < MEMBERS;
        }

        @Override
        public AudienceMember next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            made++;
            if (made == 100_000) {
                heapAt100k = usedHeapAfterGc();
            } else if (made == MEMBERS) {
                heapAtEnd = usedHeapAfterGc();
            }
            AudienceMember m = new AudienceMember("c-" + made, "ext-" + made, "member" + made + "@example.com",
                    "+1 650 555 " + (1000 + made % 9000), "Zoë" + (made % 97), "Müller-" + made,
                    made % 2 == 0 ? "US" : "DE", "94025", Instant.ofEpochSecond(1_700_000_000L + made),
                    List.of("v-" + made));
            if (made % 10_000 == 0) {
                watched.add(new WeakReference<>(m));
            }
            return m;
        }
    }

    /** Counts the bytes and drops them. */
    static final class Sink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @ParameterizedTest
    @EnumSource(value = AudienceFormat.class, names = {"JSON", "LINKEDIN"})
    void aMillionMembersStreamThroughWithoutBeingHeld(AudienceFormat format) throws Exception {
        Generated members = new Generated();
        Sink sink = new Sink();

        ExportCounts counts = format.write(members, sink, ExportOptions.none());

        assertThat(counts.written()).isEqualTo(MEMBERS);
        assertThat(sink.bytes).isGreaterThan(MEMBERS * 60L);
        assertThat(members.heapAtEnd - members.heapAt100k).as("heap growth from 100k to 1M members")
                .isLessThan(MAX_GROWTH);
        assertThat(members.watched).hasSize(MEMBERS / 10_000);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (members.watched.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(members.watched).as("members still reachable after the export").allMatch(r -> r.get() == null);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
