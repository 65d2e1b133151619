package dev.speck.report;

/** Events and unique visitors of one pixel in one hour of the day (0-23) on the visitors' own clocks. */
public record HourlyCount(int hour, long events, long visitors) {
}
