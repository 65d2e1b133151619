package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.enrich.GeoAttribution;
import dev.speck.goals.Goal;
import dev.speck.goals.GoalRegistry;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Exchange;
import dev.speck.pixels.Pixel;
import dev.speck.report.Dimension;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * /api/pixels/{id}/report, /report/breakdown and /report/attribution: reading and checking the
 * request; {@link GoalsReportView} shapes the answer.
 */
final class ReportRoutes {

    static final int MAX_DAYS = 732;
    static final int MAX_BUCKETS = 2_000;
    static final int MAX_FILTER_VALUE = 512;

    private final GoalReports reports;
    private final GoalRegistry goals;
    private final Supplier<GeoAttribution> geoAttribution;

    /** Whether a segment id names a segment of a pixel (pixel, segment). */
    private final java.util.function.BiPredicate<String, String> segmentOf;

    ReportRoutes(GoalReports reports, GoalRegistry goals, Supplier<GeoAttribution> geoAttribution,
                 java.util.function.BiPredicate<String, String> segmentOf) {
        this.segmentOf = segmentOf;
        this.reports = reports;
        this.goals = goals;
        this.geoAttribution = geoAttribution;
    }

    /** GET /api/pixels/{pixel}/report: totals per goal and a series, or either as CSV. */
    Answer report(Call call, Pixel pixel) {
        Request r = request(call, pixel);
        return report(call.exchange(), pixel, r.query(), r.view(), r.csv());
    }

    /** GET /api/pixels/{pixel}/report/breakdown: goals by one dimension. */
    Answer breakdown(Call call, Pixel pixel) {
        Request r = request(call, pixel);
        Exchange ex = call.exchange();
        Dimension d = dimension(ex.param("dimension"), "dimension");
        int limit = Params.integer(ex.param("limit"), 100, 1, 1000, "limit");
        List<GoalReports.BreakdownRow> rows = reports.breakdown(r.query(), d, limit);
        if (r.csv()) {
            GeoAttribution credit = d.isGeodata() ? geoAttribution.get() : null;
            return ApiIo.csv(r.view().breakdownHeader(), r.view().breakdownCsv(rows),
                    credit == null ? null : credit.text() + " (" + credit.url() + ")");
        }
        Map<String, Object> body = r.view().breakdown(d, rows);
        body.put("setApart", GoalsReportView.setApart(reports.setApart(r.query())));
        GeoAttribution credit = geoAttribution.get();
        if (credit != null && d.isGeodata()) {
            body.put("attribution", credit); // the geo database's licence asks for it where geodata shows
        }
        return Answer.ok(body);
    }

    /** GET /api/pixels/{pixel}/report/attribution: which sources led to a goal. */
    Answer attribution(Call call, Pixel pixel) {
        Request r = request(call, pixel);
        return attribution(call.exchange(), r.query(), r.view(), r.defined(), r.csv());
    }

    /** What every report reads first: the pixel's goals, the query (dates, filters) and the format. */
    private record Request(List<Goal> defined, ReportQuery query, GoalsReportView view, boolean csv) {
    }

    private Request request(Call call, Pixel pixel) {
        List<Goal> defined = goals.goals(pixel.id());
        ReportQuery q = query(call.exchange(), pixel, defined.isEmpty());
        return new Request(defined, q, new GoalsReportView(q, defined), ApiIo.wantsCsv(call.exchange()));
    }

    private Answer report(Exchange ex, Pixel pixel, ReportQuery q, GoalsReportView view, boolean csv) {
        String compare = ex.param("compare");
        if (compare != null && !compare.equals("previous")) {
            throw new BadRequest("compare must be previous");
        }
        Interval interval = interval(ex.param("interval"));
        LocalDateTime first = interval.start(q.from().atStartOfDay());
        long buckets = 0;
        for (LocalDateTime b = first; b.isBefore(q.to().plusDays(1).atStartOfDay()) && buckets <= MAX_BUCKETS; b = interval.next(b)) {
            buckets++;
        }
        if (buckets > MAX_BUCKETS) {
            throw new BadRequest("at most " + MAX_BUCKETS + " " + interval.wireName() + "s: choose a longer interval");
        }
        GoalReports.Overview overview = reports.overview(q, interval);
        GoalReports.Totals totals = overview.totals();
        String table = ex.param("table");
        if (table != null && !table.equals("goals") && !table.equals("series")) {
            throw new BadRequest("table must be goals or series");
        }
        if (csv && "series".equals(table)) {
            return ApiIo.csv(view.seriesHeader(totals), view.seriesCsv(interval, overview.series(), totals));
        } else if (csv) {
            return ApiIo.csv(GoalsReportView.GOAL_HEADER, view.goalsCsv(totals));
        }
        GoalReports.Totals previous = compare == null ? null : reports.totals(q.previous());
        Map<String, Object> body = view.report(interval, totals, overview.series(), previous);
        body.put("setApart", GoalsReportView.setApart(reports.setApart(q)));
        IdentityWindow.describeReport(pixel, body);
        return Answer.ok(body);
    }

    private Answer attribution(Exchange ex, ReportQuery q, GoalsReportView view, List<Goal> defined, boolean csv) {
        String goal = ex.param("goal");
        if (goal == null || goal.isBlank() || goal.length() > 600) {
            throw new BadRequest("goal is required: a goal id (or kind:name for a pixel without goals)");
        }
        Goal g = defined.stream().filter(d -> d.id().equals(goal)).findFirst().orElse(null);
        if (!q.implicitGoals() && g == null) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "this pixel has no goal '" + ApiJson.truncate(goal) + "'");
        }
        String model = ex.param("model") == null ? "last" : ex.param("model");
        if (!model.equals("first") && !model.equals("last")) {
            throw new BadRequest("model must be first or last");
        }
        int lookback = Params.integer(ex.param("lookbackDays"), 30, 0, 365, "lookbackDays");
        boolean once = g != null && g.counting() == dev.speck.goals.Counting.ONCE_PER_VISITOR;
        List<GoalReports.AttributionRow> rows = reports.attribution(q, goal, once, model.equals("last"), lookback);
        if (csv) {
            return ApiIo.csv(GoalsReportView.ATTRIBUTION_HEADER, view.attributionCsv(rows));
        }
        Map<String, Object> body = view.attribution(goal, model, lookback, rows);
        body.put("setApart", GoalsReportView.setApart(reports.setApart(q)));
        return Answer.ok(body);
    }

    private ReportQuery query(Exchange ex, Pixel pixel, boolean implicit) {
        LocalDate to = Params.date(ex.param("to"), LocalDate.now(ZoneOffset.UTC));
        LocalDate from = Params.date(ex.param("from"), to.minusDays(29));
        if (from.isAfter(to) || to.toEpochDay() - from.toEpochDay() >= MAX_DAYS) {
            throw new BadRequest("from must not be after to, and a report covers at most " + MAX_DAYS + " days");
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (Map.Entry<String, List<String>> p : ex.query().entrySet()) {
            if (p.getKey().startsWith("filter.")) {
                Dimension d = dimension(p.getKey().substring(7), p.getKey());
                String v = p.getValue().isEmpty() ? "" : p.getValue().get(0);
                if (v.isEmpty() || v.length() > MAX_FILTER_VALUE || p.getValue().size() > 1) {
                    throw new BadRequest(p.getKey() + " takes one value of 1 to " + MAX_FILTER_VALUE + " characters");
                }
                filters.put(d, v);
            }
        }
        String segment = ex.param("segment");
        if (segment != null && (segment.isEmpty() || !segmentOf.test(pixel.id(), segment))) {
            throw new BadRequest("segment names no segment of this pixel: " + ApiJson.truncate(segment));
        }
        return new ReportQuery(pixel.id(), from, to, filters, implicit, Params.traffic(ex.param("traffic")), segment);
    }

    private static Dimension dimension(String s, String what) {
        Dimension d = s == null ? null : Dimension.fromWireName(s);
        if (d == null) {
            throw new BadRequest(what + " must name a dimension: "
                    + String.join(", ", Arrays.stream(Dimension.values()).map(Dimension::wireName).toList()));
        }
        return d;
    }

    private static Interval interval(String s) {
        Interval i = s == null ? Interval.DAY : Interval.fromWireName(s);
        if (i == null) {
            throw new BadRequest("interval must be hour, day, week or month");
        }
        return i;
    }
}
