package dev.speck.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BurstDeferralTest {

    private static final long MS = 1_000_000L;
    private static final long BACKLOG_LIMIT = 100_000_000L;

    /** Hits arrive at {@code perSecond}; returns the decision after {@code millis} more of them. */
    private static final class Traffic {
        long now = 1_000 * MS;
        long appended;
        long backlog;

        boolean after(BurstDeferral d, long millis, long perSecond, long backlog) {
            now += millis * MS;
            appended += perSecond * millis / 1000;
            return d.defer(now, appended, backlog);
        }
    }

    /** Hits arrive at perSecond for windows of 500 ms while the backlog grows by 1 MB each; the last decision. */
    private static boolean burst(BurstDeferral d, Traffic t, int windows, long perSecond) {
        boolean deferred = false;
        for (int i = 0; i < windows; i++) {
            t.backlog += 1_000_000;
            deferred = t.after(d, 500, perSecond, t.backlog);
        }
        return deferred;
    }

    private static BurstDeferral measured(double loaderRate) {
        BurstDeferral d = new BurstDeferral(Duration.ofSeconds(30), BACKLOG_LIMIT);
        d.stored(5000, (long) (5000 / loaderRate * 1e9), true);
        return d;
    }

    @Test
    void neverWaitsBeforeTheLoaderHasMeasuredItselfOnAFullBatch() {
        BurstDeferral d = new BurstDeferral(Duration.ofSeconds(30), BACKLOG_LIMIT);
        d.stored(40, 5 * MS, false); // a small batch: 8,000 hits/s of mostly fixed costs, not a capacity
        Traffic t = new Traffic();
        for (int i = 0; i < 20; i++) {
            assertThat(t.after(d, 200, 50_000, 10_000_000)).isFalse();
        }
        assertThat(d.loaderRate()).isZero();
    }

    @Test
    void waitsOnceHitsHaveArrivedFasterThanTheLoaderStoresThemForTwoSeconds() {
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        assertThat(burst(d, t, BurstDeferral.GROWING_WINDOWS - 1, 40_000)).isFalse();
        assertThat(d.arrivalRate()).isEqualTo(40_000);
        assertThat(burst(d, t, 1, 40_000)).isTrue();
        assertThat(burst(d, t, 3, 40_000)).isTrue();
    }

    @Test
    void aBacklogThatRisesAndFallsIsNotABurst() {
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        for (int i = 0; i < 40; i++) { // arrivals just above the measured rate, but the loader keeps pace
            assertThat(t.after(d, 500, 22_000, i % 3 == 2 ? 200_000 : 900_000 + i)).isFalse();
        }
    }

    @Test
    void loadsAtOnceWhenArrivalsAreWithinWhatTheLoaderKeepsUpWith() {
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        assertThat(burst(d, t, 10, 15_000)).isFalse(); // the backlog grows, but slower than the loader stores

    }

    @Test
    void arrivalsALittleFasterThanTheLoadersMeasuredRateAreNoBurst() {
        // Its rate is measured while it shares the cores with the traffic: at half rate it read
        // 20.7k/s against 24k/s arriving, and standing back left a hit invisible for 9 s.
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        assertThat(burst(d, t, 10, 24_000)).isFalse();
        assertThat(burst(d, t, 10, 29_000)).isFalse();
        assertThat(burst(d, t, BurstDeferral.GROWING_WINDOWS, 31_000)).as("half again as fast: a burst").isTrue();
    }

    @Test
    void aBurstThatEndsLetsTheLoaderCatchUp() {
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        assertThat(burst(d, t, BurstDeferral.GROWING_WINDOWS, 40_000)).isTrue();
        assertThat(t.after(d, 600, 0, t.backlog)).isFalse();
    }

    @Test
    void waitsAtMostTheLimitThenCatchesUpBeforeWaitingAgain() {
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        assertThat(burst(d, t, BurstDeferral.GROWING_WINDOWS, 40_000)).isTrue();
        long waited = 0;
        while (burst(d, t, 1, 40_000)) {
            waited += 500;
            assertThat(waited).isLessThanOrEqualTo(30_000);
        }
        assertThat(waited).isGreaterThanOrEqualTo(29_000);
        // the burst goes on, but the backlog is loaded first
        for (int i = 0; i < 10; i++) {
            assertThat(t.after(d, 500, 40_000, 3_000_000 - i)).isFalse();
        }
        t.backlog = 0;
        assertThat(t.after(d, 500, 40_000, 0)).isFalse(); // caught up
        assertThat(burst(d, t, BurstDeferral.GROWING_WINDOWS, 40_000)).isTrue(); // and may stand back again
    }

    @Test
    void neverLetsMoreThanTheBacklogLimitWait() {
        BurstDeferral d = measured(20_000);
        Traffic t = new Traffic();
        t.after(d, 0, 0, 0);
        assertThat(burst(d, t, BurstDeferral.GROWING_WINDOWS, 40_000)).isTrue();
        assertThat(t.after(d, 500, 40_000, BACKLOG_LIMIT)).isFalse();
    }

    @Test
    void offNeverWaitsAndNeitherDoesAJournalThatDoesNotCount() {
        Traffic t = new Traffic();
        BurstDeferral off = BurstDeferral.OFF;
        off.stored(5000, 250 * MS, true);
        t.after(off, 0, 0, 0);
        assertThat(t.after(off, 600, 1_000_000, 5_000_000)).isFalse();
        BurstDeferral d = measured(20_000);
        assertThat(d.defer(1, -1, 5_000_000)).isFalse();
        assertThat(d.defer(1_000 * MS, -1, 5_000_000)).isFalse();
    }
}
