package dev.speck.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SignInLimiterTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T10:00:00Z"));
    private final InstantSource clock = now::get;
    private final SignInLimiter limiter = new SignInLimiter(5, Duration.ofMinutes(15), clock);

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void theSixthAttemptWaitsUntilTheFirstFailureLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.blockedFor("ann", "10.0.0.1")).isEmpty();
            limiter.failed("ann", "10.0.0.1");
            advance(Duration.ofMinutes(1));
        }
        // failures at 0..4 minutes; now 5 minutes: the first one leaves the window at 15
        assertThat(limiter.blockedFor("ann", "10.0.0.1")).contains(Duration.ofMinutes(10));
        assertThat(limiter.blockedFor("ann", "10.0.0.2")).isPresent(); // the account, from anywhere
        advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(limiter.blockedFor("ann", "10.0.0.1")).contains(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        assertThat(limiter.blockedFor("ann", "10.0.0.1")).isEmpty();
        limiter.failed("ann", "10.0.0.1");
        assertThat(limiter.blockedFor("ann", "10.0.0.1")).isPresent();
    }

    @Test
    void oneAddressGuessingManyAccountsIsStoppedAtFourTimesTheLimit() {
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.blockedFor("user" + i, "10.0.0.9")).isEmpty();
            limiter.failed("user" + i, "10.0.0.9");
        }
        assertThat(limiter.blockedFor("someone-else", "10.0.0.9")).isPresent();
        assertThat(limiter.blockedFor("someone-else", "10.0.0.10")).isEmpty();
        advance(Duration.ofMinutes(15));
        assertThat(limiter.blockedFor("someone-else", "10.0.0.9")).isEmpty();
    }

    @Test
    void aSuccessResetsTheAccountsCount() {
        for (int i = 0; i < 4; i++) {
            limiter.failed("bob", "10.0.0.1");
        }
        limiter.succeeded("bob");
        for (int i = 0; i < 4; i++) {
            limiter.failed("bob", "10.0.0.1");
        }
        assertThat(limiter.blockedFor("bob", "10.0.0.1")).isEmpty();
    }
}
