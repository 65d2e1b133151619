package dev.speck.goals;

/** A goal as a user defines it, before it has an id and a version. */
public record GoalDraft(String name, GoalRule rule, GoalValue value, String currency, Counting counting,
                        boolean allowNegative) {

    /** A goal whose values are never below zero. */
    public GoalDraft(String name, GoalRule rule, GoalValue value, String currency, Counting counting) {
        this(name, rule, value, currency, counting, false);
    }
}
