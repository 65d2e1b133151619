package dev.speck.triggers;

import java.math.BigDecimal;

/**
 * What kind of hit starts a trigger.
 *
 * @param kind     goal, event, page or recognised
 * @param target   for a goal its id; for an event its name (a glob: {@code *} any run of characters);
 *                 for a page its path (a glob); null for recognised
 * @param minValue for a goal: fires only when the achievement's value is at least this (exact decimal)
 * @param currency for a goal: fires only for values in this currency (ISO 4217)
 */
public record When(Kind kind, String target, BigDecimal minValue, String currency) {

    public enum Kind implements WireName {
        /** A goal achieved. */
        GOAL("goal"),
        /** A custom event by name. */
        EVENT("event"),
        /** A page view by path. */
        PAGE("page"),
        /** A visitor recognised as a customer for the first time (a new identity link). */
        RECOGNISED("recognised"),
        /** A person entered a segment (target: its id); judged by the segment job, not on a hit. */
        SEGMENT_ENTERED("segment_entered"),
        /** A person left a segment (target: its id). */
        SEGMENT_LEFT("segment_left");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        static Kind fromWireName(String s) {
            return WireName.find(values(), s);
        }
    }
}
