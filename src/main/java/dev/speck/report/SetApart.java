package dev.speck.report;

import java.util.Map;

/**
 * The hits of a report's range that were not counted as people, by verdict (bot, automation, ...).
 *
 * @param byVerdict verdict wire name to hits, largest first
 */
public record SetApart(long total, Map<String, Long> byVerdict) {

    public static final SetApart NONE = new SetApart(0, Map.of());

    public SetApart {
        byVerdict = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byVerdict));
    }
}
