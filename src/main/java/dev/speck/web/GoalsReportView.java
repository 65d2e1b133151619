package dev.speck.web;

import dev.speck.goals.Counting;
import dev.speck.goals.Goal;
import dev.speck.report.Dimension;
import dev.speck.report.GoalCounts;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import dev.speck.report.SetApart;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shapes the goals report's figures as JSON and CSV, and applies each goal's counting: a goal
 * counted once per visitor shows each visitor's first achievement in the range only.
 */
final class GoalsReportView {

    /** Unique counts rest on cookieless visitor ids that rotate at midnight UTC. */
    static final String VISITOR_IDENTITY = "cookieless-daily";
    static final String IDENTITY_NOTE = "Visitor ids are cookieless and change at midnight UTC: someone who comes back "
            + "on another day counts as another visitor, and attribution cannot look past their day.";
    static final List<String> GOAL_HEADER = List.of("goal", "name", "counting", "currency", "visitors", "achievements",
            "achievers", "conversion_rate", "total_value", "average_value");
    static final List<String> ATTRIBUTION_HEADER = List.of("channel", "source", "campaign", "achievements", "value");

    private final ReportQuery q;
    private final List<Goal> defined;

    GoalsReportView(ReportQuery q, List<Goal> defined) {
        this.q = q;
        this.defined = defined;
    }

    /** A column of the report: a defined goal, or for a pixel without goals an event kind:name. */
    private record Column(String key, String name, boolean once, String currency) {
    }

    private List<Column> columns(List<GoalCounts> found) {
        if (!q.implicitGoals()) {
            return defined.stream().map(g -> new Column(g.id(), g.name(), g.counting() == Counting.ONCE_PER_VISITOR,
                    g.currency())).toList();
        }
        return found.stream().filter(c -> c.version() == null).map(GoalCounts::goal).distinct().sorted()
                .map(k -> new Column(k, k, false, currencyOf(found, k))).toList();
    }

    private static String currencyOf(List<GoalCounts> found, String key) {
        return found.stream().filter(c -> c.goal().equals(key) && c.currency() != null).map(GoalCounts::currency)
                .findFirst().orElse(null);
    }

    Map<String, Object> report(Interval interval, GoalReports.Totals totals, List<GoalReports.SeriesPoint> series,
                               GoalReports.Totals previous) {
        Map<String, Object> out = header();
        out.put("interval", interval.wireName());
        out.put("visitors", totals.visitors());
        List<Column> columns = columns(totals.goals());
        out.put("goals", goals(columns, totals, true));
        out.put("series", series(interval, columns, series));
        if (previous != null) {
            ReportQuery p = q.previous();
            Map<String, Object> prev = new LinkedHashMap<>();
            prev.put("from", p.from().toString());
            prev.put("to", p.to().toString());
            prev.put("visitors", previous.visitors());
            prev.put("goals", goals(columns, previous, false));
            out.put("previous", prev);
        }
        return out;
    }

    private Map<String, Object> header() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pixel", q.pixel());
        out.put("from", q.from().toString());
        out.put("to", q.to().toString());
        out.put("timeZone", "UTC");
        Map<String, String> filters = new LinkedHashMap<>();
        q.filters().forEach((d, v) -> filters.put(d.wireName(), v));
        out.put("filters", filters);
        out.put("traffic", q.traffic().wireName());
        out.put("goalsDefined", !q.implicitGoals());
        out.put("visitorIdentity", VISITOR_IDENTITY);
        out.put("visitorIdentityNote", IDENTITY_NOTE);
        return out;
    }

    private List<Map<String, Object>> goals(List<Column> columns, GoalReports.Totals totals, boolean versions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Column c : columns) {
            GoalCounts all = find(totals.goals(), c.key(), null);
            Map<String, Object> g = figures(c, all, totals.visitors());
            if (versions && !q.implicitGoals()) {
                List<Map<String, Object>> vs = new ArrayList<>();
                for (GoalCounts v : totals.goals()) {
                    if (v.goal().equals(c.key()) && v.version() != null) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("version", v.version());
                        row.put("achievements", c.once() ? v.firstAchievements() : v.achievements());
                        row.put("totalValue", c.once() ? v.firstValue() : v.value());
                        vs.add(row);
                    }
                }
                g.put("ruleVersions", vs);
            }
            out.add(g);
        }
        return out;
    }

    private static Map<String, Object> figures(Column c, GoalCounts counts, long visitors) {
        long achievements = counts == null ? 0 : c.once() ? counts.firstAchievements() : counts.achievements();
        long achievers = counts == null ? 0 : counts.achievers();
        java.math.BigDecimal value = counts == null ? java.math.BigDecimal.ZERO : c.once() ? counts.firstValue() : counts.value();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("goal", c.key());
        g.put("name", c.name());
        g.put("counting", c.once() ? Counting.ONCE_PER_VISITOR.wireName() : Counting.EVERY_TIME.wireName());
        g.put("currency", c.currency());
        g.put("achievements", achievements);
        g.put("achievers", achievers);
        g.put("conversionRate", visitors == 0 ? 0.0 : (double) achievers / visitors);
        g.put("totalValue", value);
        g.put("averageValue", achievements == 0 ? null : average(value, achievements));
        return g;
    }

    /** An exact average, to 4 places (a value's own precision), in its shortest form. */
    private static java.math.BigDecimal average(java.math.BigDecimal total, long n) {
        java.math.BigDecimal a = total.divide(java.math.BigDecimal.valueOf(n), 4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
        return a.scale() < 0 ? a.setScale(0) : a;
    }

    private static GoalCounts find(List<GoalCounts> counts, String key, Integer version) {
        for (GoalCounts c : counts) {
            if (c.goal().equals(key) && Objects.equals(c.version(), version)) {
                return c;
            }
        }
        return null;
    }

    /** Every bucket of the range, empty ones included, so a chart needs no gap filling. */
    private List<Map<String, Object>> series(Interval interval, List<Column> columns, List<GoalReports.SeriesPoint> points) {
        Map<LocalDateTime, GoalReports.SeriesPoint> byBucket = new LinkedHashMap<>();
        points.forEach(p -> byBucket.put(p.bucket(), p));
        List<Map<String, Object>> out = new ArrayList<>();
        LocalDateTime end = q.to().plusDays(1).atStartOfDay();
        for (LocalDateTime b = interval.start(q.from().atStartOfDay()); b.isBefore(end); b = interval.next(b)) {
            GoalReports.SeriesPoint p = byBucket.get(b);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", b.toInstant(java.time.ZoneOffset.UTC).toString());
            row.put("visitors", p == null ? 0 : p.visitors());
            Map<String, Object> achievements = new LinkedHashMap<>();
            for (Column c : columns) {
                GoalCounts gc = p == null ? null : find(p.goals(), c.key(), null);
                achievements.put(c.key(), gc == null ? 0 : c.once() ? gc.firstAchievements() : gc.achievements());
            }
            row.put("achievements", achievements);
            out.add(row);
        }
        return out;
    }

    List<List<Object>> goalsCsv(GoalReports.Totals totals) {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> g : goals(columns(totals.goals()), totals, false)) {
            rows.add(List.of(g.get("goal"), g.get("name"), g.get("counting"), nullable(g.get("currency")),
                    totals.visitors(), g.get("achievements"), g.get("achievers"), g.get("conversionRate"),
                    g.get("totalValue"), nullable(g.get("averageValue"))));
        }
        return rows;
    }

    List<String> seriesHeader(GoalReports.Totals totals) {
        List<String> h = new ArrayList<>(List.of("start", "visitors"));
        columns(totals.goals()).forEach(c -> h.add(c.key()));
        return h;
    }

    @SuppressWarnings("unchecked")
    List<List<Object>> seriesCsv(Interval interval, List<GoalReports.SeriesPoint> points, GoalReports.Totals totals) {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> s : series(interval, columns(totals.goals()), points)) {
            List<Object> row = new ArrayList<>(List.of(s.get("start"), s.get("visitors")));
            row.addAll(((Map<String, Object>) s.get("achievements")).values());
            rows.add(row);
        }
        return rows;
    }

    Map<String, Object> breakdown(Dimension d, List<GoalReports.BreakdownRow> rows) {
        Map<String, Object> out = header();
        out.put("dimension", d.wireName());
        List<Map<String, Object>> list = new ArrayList<>();
        for (GoalReports.BreakdownRow r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", r.value());
            row.put("visitors", r.visitors());
            row.put("goals", breakdownGoals(r));
            list.add(row);
        }
        out.put("rows", list);
        return out;
    }

    private List<Map<String, Object>> breakdownGoals(GoalReports.BreakdownRow r) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Column> columns = q.implicitGoals()
                ? r.goals().stream().map(g -> new Column(g.goal(), g.goal(), false, g.currency())).toList()
                : columns(List.of());
        for (Column c : columns) {
            Map<String, Object> f = figures(c, find(r.goals(), c.key(), null), r.visitors());
            f.remove("counting");
            f.remove("currency");
            f.remove("averageValue");
            out.add(f);
        }
        return out;
    }

    List<String> breakdownHeader() {
        return List.of("value", "visitors", "goal", "name", "achievements", "achievers", "conversion_rate", "total_value");
    }

    List<List<Object>> breakdownCsv(List<GoalReports.BreakdownRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (GoalReports.BreakdownRow r : rows) {
            for (Map<String, Object> g : breakdownGoals(r)) {
                out.add(List.of(r.value(), r.visitors(), g.get("goal"), g.get("name"), g.get("achievements"),
                        g.get("achievers"), g.get("conversionRate"), g.get("totalValue")));
            }
        }
        return out;
    }

    Map<String, Object> attribution(String goal, String model, int lookbackDays, List<GoalReports.AttributionRow> rows) {
        Map<String, Object> out = header();
        out.put("goal", goal);
        out.put("model", model);
        out.put("lookbackDays", lookbackDays);
        List<Map<String, Object>> list = new ArrayList<>();
        for (GoalReports.AttributionRow r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("channel", r.channel() == null ? Dimension.NONE : r.channel());
            row.put("source", r.source());
            row.put("campaign", r.campaign());
            row.put("achievements", r.achievements());
            row.put("value", r.value());
            list.add(row);
        }
        out.put("rows", list);
        return out;
    }

    List<List<Object>> attributionCsv(List<GoalReports.AttributionRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (GoalReports.AttributionRow r : rows) {
            out.add(java.util.Arrays.asList(r.channel() == null ? Dimension.NONE : r.channel(), r.source(), r.campaign(),
                    r.achievements(), r.value()));
        }
        return out;
    }

    /** {total, byVerdict}: the hits of the range not counted as people, whatever the traffic shown. */
    static Map<String, Object> setApart(SetApart s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", s.total());
        out.put("byVerdict", s.byVerdict());
        return out;
    }

    private static Object nullable(Object o) {
        return o == null ? "" : o;
    }
}
