package dev.speck.access;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits password guessing: after {@code limit} failed sign-ins for one account within the window
 * (or 4× that from one client address), further attempts are refused without checking the
 * password, until the oldest failure leaves the window. Kept in memory: a restart forgets, which
 * costs an attacker a restart they cannot cause. The maps are bounded, oldest keys dropped first.
 */
public final class SignInLimiter {

    private static final int MAX_KEYS = 100_000;

    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public SignInLimiter(int limit, Duration window, InstantSource clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** How long until an attempt for this account from this address is allowed; empty when it is now. */
    public synchronized Optional<Duration> blockedFor(String account, String address) {
        Instant now = clock.instant();
        Duration a = wait("u:" + account, limit, now);
        Duration b = wait("a:" + address, limit * 4, now);
        Duration longer = a.compareTo(b) >= 0 ? a : b;
        return longer.isZero() ? Optional.empty() : Optional.of(longer);
    }

    public synchronized void failed(String account, String address) {
        Instant now = clock.instant();
        for (String key : new String[]{"u:" + account, "a:" + address}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            times.addLast(now);
            while (times.size() > limit * 4) {
                times.removeFirst();
            }
        }
    }

    /** A right password resets the account's count (not the address's: one success hides no guessing). */
    public synchronized void succeeded(String account) {
        failures.remove("u:" + account);
    }

    private Duration wait(String key, int max, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return Duration.ZERO;
        }
        if (times.size() < max) {
            return Duration.ZERO;
        }
        // the attempt is allowed once enough failures have aged out to bring the count below max
        Instant freedAt = times.stream().skip(times.size() - max).findFirst().orElseThrow().plus(window);
        return Duration.between(now, freedAt);
    }
}
