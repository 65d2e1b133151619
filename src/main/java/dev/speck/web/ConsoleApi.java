package dev.speck.web;

import dev.speck.collect.HitRecorder;
import dev.speck.collect.PixelActivity;
import dev.speck.goals.GoalRegistry;
import dev.speck.report.GoalReports;

/** What the console's API needs beyond pixels and links: goals, their reports, pixel health and the live view. */
public record ConsoleApi(GoalRegistry goals, GoalReports goalReports, PixelActivity activity, HitRecorder recorder,
                         LiveFeed live) {
}
