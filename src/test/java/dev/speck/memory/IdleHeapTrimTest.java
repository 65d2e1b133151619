package dev.speck.memory;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IdleHeapTrimTest {

    private static final long MB = 1L << 20;
    private static final long SECOND = 1000;

    /** Idle after 30 s, at most one trim every 2 minutes, only when the heap grew by 32 MB since the last one. */
    private final IdleHeapTrim trim = new IdleHeapTrim(Duration.ofSeconds(30), Duration.ofMinutes(2), 32 * MB);

    @Test
    void neverTrimsWhileHitsKeepComing() {
        for (long t = 0, hits = 0; t < 600 * SECOND; t += 5 * SECOND, hits += 1000) {
            assertThat(trim.shouldTrim(t, hits, 700 * MB)).as("at %d ms", t).isFalse();
        }
    }

    @Test
    void trimsOnceTheServerHasBeenQuietLongEnough() {
        assertThat(trim.shouldTrim(0, 500, 600 * MB)).isFalse(); // the last hit came around now
        assertThat(trim.shouldTrim(29 * SECOND, 500, 600 * MB)).isFalse();
        assertThat(trim.shouldTrim(30 * SECOND, 500, 600 * MB)).isTrue();
    }

    @Test
    void trimsOnlyOncePerQuietSpell() {
        trim.shouldTrim(0, 500, 600 * MB);
        assertThat(trim.shouldTrim(30 * SECOND, 500, 600 * MB)).isTrue();
        trim.trimmed(31 * SECOND, 200 * MB);

        // Still quiet, and even if the heap grew again (a report query), no second collection.
        assertThat(trim.shouldTrim(10 * 60 * SECOND, 500, 400 * MB)).isFalse();
        assertThat(trim.shouldTrim(60 * 60 * SECOND, 500, 400 * MB)).isFalse();
    }

    @Test
    void aNewBurstMakesANewQuietSpellButTrimsAreSpacedByTheMinimumGap() {
        trim.shouldTrim(0, 500, 600 * MB);
        trim.shouldTrim(30 * SECOND, 500, 600 * MB);
        trim.trimmed(30 * SECOND, 200 * MB);

        assertThat(trim.shouldTrim(40 * SECOND, 9000, 600 * MB)).isFalse(); // traffic again
        assertThat(trim.shouldTrim(80 * SECOND, 9000, 600 * MB)).as("quiet 40 s, but 50 s after the last trim").isFalse();
        assertThat(trim.shouldTrim(150 * SECOND, 9000, 600 * MB)).as("2 minutes after the last trim").isTrue();
    }

    @Test
    void leavesTheHeapAloneWhenItHasNotGrownSinceTheLastTrim() {
        trim.shouldTrim(0, 500, 600 * MB);
        trim.shouldTrim(30 * SECOND, 500, 600 * MB);
        trim.trimmed(30 * SECOND, 200 * MB);

        trim.shouldTrim(200 * SECOND, 501, 220 * MB); // one hit, then quiet again
        assertThat(trim.shouldTrim(400 * SECOND, 501, 220 * MB)).as("20 MB above what the last trim left").isFalse();
        assertThat(trim.shouldTrim(401 * SECOND, 501, 232 * MB)).as("32 MB above it").isTrue();
    }

    @Test
    void aTrimThatLeftMoreThanAnEarlierOneDoesNotRaiseTheBaseline() {
        trim.shouldTrim(0, 500, 320 * MB);
        trim.shouldTrim(30 * SECOND, 500, 320 * MB);
        trim.trimmed(30 * SECOND, 260 * MB); // after start

        trim.shouldTrim(200 * SECOND, 9000, 400 * MB); // a lull in a burst: the trim gives little back
        trim.shouldTrim(230 * SECOND, 9000, 400 * MB);
        trim.trimmed(230 * SECOND, 404 * MB);

        trim.shouldTrim(300 * SECOND, 20000, 432 * MB); // the burst's end
        assertThat(trim.shouldTrim(400 * SECOND, 20000, 432 * MB))
                .as("172 MB above the least a trim left, though only 28 MB above the last").isTrue();
    }

    @Test
    void theFirstQuietSpellAfterStartIsTrimmedToo() {
        // Start-up (the geo install, the user-agent analyzer) grows the heap before any hit.
        assertThat(trim.shouldTrim(0, 0, 300 * MB)).isFalse();
        assertThat(trim.shouldTrim(30 * SECOND, 0, 300 * MB)).isTrue();
    }
}
