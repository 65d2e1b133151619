package dev.speck.goals;

import java.util.List;

/** Where goals and every version of them are kept (the embedded store by default). */
public interface GoalRepository {

    List<Goal> loadGoals();

    /** Saves the goal as current and keeps this version in its history. */
    void save(Goal goal);

    /** Removes the goal from the current ones; its versions stay, as do its achievements. */
    void delete(String goalId);
}
