package dev.speck.triggers;

import java.time.Duration;

/**
 * How often a trigger may fire.
 *
 * @param oncePer      at most once per customer (or, for anyone, per visitor) in this period; null: every time
 * @param maxPerMinute at most this many firings a minute for the whole trigger; those above are skipped and counted
 */
public record Limits(Duration oncePer, int maxPerMinute) {

    public static final int DEFAULT_PER_MINUTE = 600;
    public static final int MAX_PER_MINUTE = 100_000;
}
