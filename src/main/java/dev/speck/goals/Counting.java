package dev.speck.goals;

import java.util.Locale;

/**
 * How often a visitor's achievements count. Every achievement is stored either way; ONCE_PER_VISITOR
 * is applied when a report is read (a visitor's first achievement in the report's range), so
 * switching it never needs the history rewritten.
 */
public enum Counting {
    EVERY_TIME, ONCE_PER_VISITOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
