package dev.speck.web;

import dev.speck.collect.HitRecorder;
import dev.speck.collect.PixelActivity;
import dev.speck.enrich.GeoAttribution;
import dev.speck.goals.GoalRegistry;
import dev.speck.report.GoalReports;
import dev.speck.report.Reports;

import java.util.List;
import java.util.function.Supplier;

/** What the console's API needs beyond pixels and links: goals, their reports, pixel health and the live view. */
public record ConsoleApi(GoalRegistry goals, GoalReports goalReports, PixelActivity activity, HitRecorder recorder,
                         LiveFeed live) {

    /** @param geoAttribution the geo database's credit (or null), added to breakdowns that show geodata */
    List<PixelRoutes> routes(Reports reports, Supplier<GeoAttribution> geoAttribution) {
        return List.of(new GoalRoutes(goals), new ReportRoutes(goalReports, goals, geoAttribution),
                new PixelHealthRoutes(activity, reports, recorder), live);
    }
}
