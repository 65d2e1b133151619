package dev.speck.goals;

/** A goal as a user defines it, before it has an id and a version. */
public record GoalDraft(String name, GoalRule rule, GoalValue value, String currency, Counting counting) {
}
