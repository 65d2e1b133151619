package dev.speck.segments;

import java.time.Instant;

/**
 * A named set of a pixel's people: kept by a rule over their stored hits ({@link SegmentRule}, live:
 * updated as hits are stored), or a static list of customers (uploaded or sent through the API).
 *
 * @param id   Speck's id (sg_…)
 * @param rule the rule of a rule segment; null for a list
 */
public record Segment(String id, String pixel, String name, SegmentRule rule, Instant created, Instant updated) {

    /** Whether members come from a list rather than a rule. */
    public boolean list() {
        return rule == null;
    }

    /** The {@code kind} of the API: rule or list. */
    public String kind() {
        return list() ? "list" : "rule";
    }
}
