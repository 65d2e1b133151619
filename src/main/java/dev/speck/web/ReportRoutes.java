package dev.speck.web;

import dev.speck.http.Exchange;
import dev.speck.enrich.GeoAttribution;
import dev.speck.goals.Goal;
import dev.speck.goals.GoalRegistry;
import dev.speck.pixels.Pixel;
import dev.speck.report.Dimension;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * /api/pixels/{id}/report, /report/breakdown and /report/attribution: reading and checking the
 * request; {@link GoalsReportView} shapes the answer.
 */
final class ReportRoutes implements PixelRoutes {

    static final int MAX_DAYS = 732;
    static final int MAX_BUCKETS = 2_000;
    static final int MAX_FILTER_VALUE = 512;

    private final GoalReports reports;
    private final GoalRegistry goals;
    private final Supplier<GeoAttribution> geoAttribution;

    ReportRoutes(GoalReports reports, GoalRegistry goals, Supplier<GeoAttribution> geoAttribution) {
        this.reports = reports;
        this.goals = goals;
        this.geoAttribution = geoAttribution;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, Exchange ex, Pixel pixel, String[] parts, HttpMethod m) {
        if (parts.length < 3 || !parts[2].equals("report") || parts.length > 4) {
            return false;
        }
        if (m != HttpMethod.GET) {
            throw ApiRoutes.BadRequest.method();
        }
        List<Goal> defined = goals.goals(pixel.id());
        ReportQuery q = query(ex, pixel, defined.isEmpty());
        GoalsReportView view = new GoalsReportView(q, defined);
        boolean csv = ApiIo.wantsCsv(ex);
        String sub = parts.length == 4 ? parts[3] : "";
        switch (sub) {
            case "" -> report(ctx, ex, pixel, q, view, csv);
            case "breakdown" -> {
                Dimension d = dimension(ex.param("dimension"), "dimension");
                int limit = ApiRoutes.integer(ex.param("limit"), 100, 1, 1000, "limit");
                List<GoalReports.BreakdownRow> rows = reports.breakdown(q, d, limit);
                if (csv) {
                    GeoAttribution credit = d.isGeodata() ? geoAttribution.get() : null;
                    ApiIo.csv(ctx, ex, view.breakdownHeader(), view.breakdownCsv(rows),
                            credit == null ? null : credit.text() + " (" + credit.url() + ")");
                } else {
                    Map<String, Object> body = view.breakdown(d, rows);
                    GeoAttribution credit = geoAttribution.get();
                    if (credit != null && d.isGeodata()) {
                        body.put("attribution", credit); // the geo database's licence asks for it where geodata shows
                    }
                    ApiIo.json(ctx, ex, HttpResponseStatus.OK, body);
                }
            }
            case "attribution" -> attribution(ctx, ex, q, view, defined, csv);
            default -> throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND,
                    "report resources are report, report/breakdown and report/attribution");
        }
        return true;
    }

    private void report(ChannelHandlerContext ctx, Exchange ex, Pixel pixel, ReportQuery q, GoalsReportView view,
                        boolean csv) {
        String compare = ex.param("compare");
        if (compare != null && !compare.equals("previous")) {
            throw new ApiRoutes.BadRequest("compare must be previous");
        }
        Interval interval = interval(ex.param("interval"));
        LocalDateTime first = interval.start(q.from().atStartOfDay());
        long buckets = 0;
        for (LocalDateTime b = first; b.isBefore(q.to().plusDays(1).atStartOfDay()) && buckets <= MAX_BUCKETS; b = interval.next(b)) {
            buckets++;
        }
        if (buckets > MAX_BUCKETS) {
            throw new ApiRoutes.BadRequest("at most " + MAX_BUCKETS + " " + interval.wireName() + "s: choose a longer interval");
        }
        GoalReports.Overview overview = reports.overview(q, interval);
        GoalReports.Totals totals = overview.totals();
        String table = ex.param("table");
        if (table != null && !table.equals("goals") && !table.equals("series")) {
            throw new ApiRoutes.BadRequest("table must be goals or series");
        }
        if (csv && "series".equals(table)) {
            ApiIo.csv(ctx, ex, view.seriesHeader(totals), view.seriesCsv(interval, overview.series(), totals));
        } else if (csv) {
            ApiIo.csv(ctx, ex, GoalsReportView.GOAL_HEADER, view.goalsCsv(totals));
        } else {
            GoalReports.Totals previous = compare == null ? null : reports.totals(q.previous());
            Map<String, Object> body = view.report(interval, totals, overview.series(), previous);
            IdentityWindow.describeReport(pixel, body);
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, body);
        }
    }

    private void attribution(ChannelHandlerContext ctx, Exchange ex, ReportQuery q, GoalsReportView view,
                             List<Goal> defined, boolean csv) {
        String goal = ex.param("goal");
        if (goal == null || goal.isBlank() || goal.length() > 600) {
            throw new ApiRoutes.BadRequest("goal is required: a goal id (or kind:name for a pixel without goals)");
        }
        Goal g = defined.stream().filter(d -> d.id().equals(goal)).findFirst().orElse(null);
        if (!q.implicitGoals() && g == null) {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "this pixel has no goal '" + ApiRoutes.truncate(goal) + "'");
        }
        String model = ex.param("model") == null ? "last" : ex.param("model");
        if (!model.equals("first") && !model.equals("last")) {
            throw new ApiRoutes.BadRequest("model must be first or last");
        }
        int lookback = ApiRoutes.integer(ex.param("lookbackDays"), 30, 0, 365, "lookbackDays");
        boolean once = g != null && g.counting() == dev.speck.goals.Counting.ONCE_PER_VISITOR;
        List<GoalReports.AttributionRow> rows = reports.attribution(q, goal, once, model.equals("last"), lookback);
        if (csv) {
            ApiIo.csv(ctx, ex, GoalsReportView.ATTRIBUTION_HEADER, view.attributionCsv(rows));
        } else {
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, view.attribution(goal, model, lookback, rows));
        }
    }

    private static ReportQuery query(Exchange ex, Pixel pixel, boolean implicit) {
        LocalDate to = date(ex.param("to"), LocalDate.now(ZoneOffset.UTC));
        LocalDate from = date(ex.param("from"), to.minusDays(29));
        if (from.isAfter(to) || to.toEpochDay() - from.toEpochDay() >= MAX_DAYS) {
            throw new ApiRoutes.BadRequest("from must not be after to, and a report covers at most " + MAX_DAYS + " days");
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (Map.Entry<String, List<String>> p : ex.query().entrySet()) {
            if (p.getKey().startsWith("filter.")) {
                Dimension d = dimension(p.getKey().substring(7), p.getKey());
                String v = p.getValue().isEmpty() ? "" : p.getValue().get(0);
                if (v.isEmpty() || v.length() > MAX_FILTER_VALUE || p.getValue().size() > 1) {
                    throw new ApiRoutes.BadRequest(p.getKey() + " takes one value of 1 to " + MAX_FILTER_VALUE + " characters");
                }
                filters.put(d, v);
            }
        }
        return new ReportQuery(pixel.id(), from, to, filters, implicit);
    }

    private static Dimension dimension(String s, String what) {
        Dimension d = s == null ? null : Dimension.fromWireName(s);
        if (d == null) {
            throw new ApiRoutes.BadRequest(what + " must name a dimension: "
                    + String.join(", ", Arrays.stream(Dimension.values()).map(Dimension::wireName).toList()));
        }
        return d;
    }

    private static Interval interval(String s) {
        Interval i = s == null ? Interval.DAY : Interval.fromWireName(s);
        if (i == null) {
            throw new ApiRoutes.BadRequest("interval must be hour, day, week or month");
        }
        return i;
    }

    private static LocalDate date(String s, LocalDate dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new ApiRoutes.BadRequest("'" + ApiRoutes.truncate(s) + "' is not a date such as 2026-11-25");
        }
    }
}
