package dev.speck.goals;

/**
 * A goal reached by one event of a batch being stored.
 *
 * @param eventIndex the event's position in its batch; the store turns it into the event's seq
 */
public record Achievement(int eventIndex, String goalId, int goalVersion, java.math.BigDecimal value, String currency) {
}
