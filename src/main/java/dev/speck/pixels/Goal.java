package dev.speck.pixels;

/**
 * A targeted action a pixel records: reached when a hit is a goal or event of this name.
 * The console issue widens the rule; the value is in points, or money when a currency is set.
 */
public record Goal(String name, Double value, String currency) {
}
