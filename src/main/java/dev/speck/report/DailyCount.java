package dev.speck.report;

import java.time.LocalDate;

/** Events and unique visitors of one pixel on one UTC day. */
public record DailyCount(LocalDate day, long events, long visitors) {
}
