package dev.speck.memory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HeapTrimmerTest {

    private static final long MB = 1L << 20;

    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong resident = new AtomicLong(300 * MB);
    private final AtomicInteger shed = new AtomicInteger();
    /** Quiet at once, no gap between trims: only the growth rule is left to decide. */
    private final HeapTrimmer trimmer = new HeapTrimmer(new IdleHeapTrim(Duration.ZERO, Duration.ZERO, 32 * MB),
            hits::get, shed::incrementAndGet, resident::get);

    @Test
    void aBurstThatGrowsOnlyMemoryOutsideTheHeapIsStillTrimmed() {
        trimmer.run(); // sees the hit count
        trimmer.run(); // quiet: the first trim, from 300 MB
        assertThat(trimmer.trims()).isEqualTo(1);
        assertThat(shed.get()).as("DuckDB's cache and the mapped pages were let go too").isEqualTo(1);

        hits.addAndGet(1_000_000); // a burst that leaves the heap as it was and DuckDB 200 MB larger
        resident.addAndGet(200 * MB);
        trimmer.run();
        trimmer.run();

        assertThat(trimmer.trims()).isEqualTo(2);
        assertThat(shed.get()).isEqualTo(2);
    }

    @Test
    void theFreeRatiosAreBackAsTheyWereAfterTheTightCollection() {
        com.sun.management.HotSpotDiagnosticMXBean hotSpot = java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        String min = hotSpot.getVMOption("MinHeapFreeRatio").getValue();
        String max = hotSpot.getVMOption("MaxHeapFreeRatio").getValue();

        trimmer.run();
        trimmer.run();

        assertThat(trimmer.trims()).isEqualTo(1);
        assertThat(hotSpot.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
        assertThat(hotSpot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
    }

    @Test
    void aQuietSpellAfterLittleGrowthIsLeftAlone() {
        trimmer.run();
        trimmer.run();
        hits.incrementAndGet();
        resident.addAndGet(10 * MB);
        trimmer.run();
        trimmer.run();

        assertThat(trimmer.trims()).isEqualTo(1);
    }

    @Test
    void theResidentMemoryReadIsTheProcesssOwn() {
        long rss = ResidentMemory.bytes();
        long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(rss).as("a JVM is resident in more than its used heap and less than the machine")
                .isBetween(Math.max(16 * MB, heapUsed), machine);
    }
}
