package dev.speck.triggers;

import java.time.Duration;

/**
 * A pattern over time, judged over stored hits every few seconds rather than on each live hit
 * ({@link PatternJob}); the start of the pattern is the trigger's {@link When}.
 *
 * <ul>
 *   <li>repeated: the same person started it at least {@code times} times within {@code within}
 *       ("visited /pricing 3 times in 7 days"), and, with {@code unlessGoal}, did not reach that goal
 *       within {@code within} either ("... and no Signup");</li>
 *   <li>after: {@code after} has passed since a start and the person did not reach {@code unlessGoal}
 *       in that time ("added to cart, no Purchase within 2 hours").</li>
 * </ul>
 *
 * @param times      2 or more for repeated; 1 for after
 * @param within     the window of a repeated pattern (and of its unless); null for after
 * @param after      the wait of an after pattern; null for repeated
 * @param unlessGoal a goal id whose achievement cancels it, or null (required for after)
 */
public record Pattern(int times, Duration within, Duration after, String unlessGoal) {

    public boolean repeated() {
        return after == null;
    }
}
