package dev.speck.triggers;

import java.time.Instant;
import java.util.List;

/**
 * A rule and an action: when a pixel's hit is of {@link When} (and, with a {@link Pattern}, the
 * person's hits over time fit it) and its visitor is {@link Who} and every {@link Condition} holds,
 * the {@link Action} fires, within the {@link Limits}.
 *
 * @param id      Speck's id (tr…)
 * @param enabled a disabled trigger is kept but never fires
 */
public record Trigger(String id, String pixel, String name, boolean enabled, When when, Pattern pattern, Who who,
                      List<Condition> conditions, Limits limits, Action action, Instant created, Instant updated) {

    public Trigger {
        conditions = List.copyOf(conditions);
    }

    /** Judged on each live hit (no pattern, not a segment's), or over stored hits by the pattern job. */
    public boolean live() {
        return pattern == null && !onSegment();
    }

    /** Started by a person entering or leaving a segment. */
    public boolean onSegment() {
        return when.kind() == When.Kind.SEGMENT_ENTERED || when.kind() == When.Kind.SEGMENT_LEFT;
    }

    /** Whose hits may fire it. */
    public enum Who implements WireName {
        /** Only hits of recognised customers; the payload names the customer. */
        CUSTOMERS("customers"),
        /** Any visitor's hits; the payload then holds no personal data (no customer, no visitor id). */
        ANYONE("anyone");

        private final String wireName;

        Who(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        static Who fromWireName(String s) {
            return WireName.find(values(), s);
        }
    }
}
