package dev.speck.store.duckdb;

import dev.speck.report.Dimension;
import dev.speck.report.GoalCounts;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The goals report on DuckDB. SQL is put together only from constants chosen by enums; every value
 * from a request is a bound parameter. Unique counts are exact (count DISTINCT).
 */
public final class DuckDbGoalReports implements GoalReports {

    private static final String COUNTS = "count(*), count(*) FILTER (WHERE nth = 1), count(DISTINCT visitor_id), "
            + "coalesce(sum(value), 0), coalesce(sum(value) FILTER (WHERE nth = 1), 0), max(currency)";

    /** The same figures from goal_visitor_days rows (gd): sums, no distinct counting. */
    private static final String DAY_COUNTS = "sum(achievements), count(*) FILTER (WHERE is_first), "
            + "count(*) FILTER (WHERE is_first AND visitor_id IS NOT NULL), sum(value), sum(first_value), max(currency)";

    private final DuckDbDatabase database;

    public DuckDbGoalReports(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public Totals totals(ReportQuery q) {
        try (Connection c = database.connect()) {
            Coverage cov = Coverage.of(c, q);
            Sql visitors = new Sql(cov).add("WITH ").visitorCte(q, null).add(" SELECT count(*) FROM fv");
            Sql goals = new Sql(cov).add("WITH ").goalDays(q)
                    .add(" SELECT goal, version, " + DAY_COUNTS + " FROM gd GROUP BY GROUPING SETS ((goal), (goal, version))"
                            + " ORDER BY goal, version NULLS FIRST");
            long v = visitors.query(c, rs -> rs.getLong(1)).get(0);
            return new Totals(v, goals.query(c, rs -> counts(rs, 1, 3, rs.getObject(2) == null ? null : rs.getInt(2))));
        } catch (SQLException e) {
            throw new StoreException("goals report failed: " + e.getMessage(), e);
        }
    }

    /**
     * Every figure here adds up over days (visitor ids live one day; each visitor-goal-day has one
     * first achievement), so the totals are the sums of the series: one pass over the rolled-up rows.
     */
    @Override
    public Overview overview(ReportQuery q, Interval interval) {
        if (interval == Interval.HOUR) {
            return new Overview(totals(q), series(q, interval));
        }
        String bucket = "CAST(date_trunc('" + unit(interval) + "', day) AS TIMESTAMP)";
        try (Connection c = database.connect()) {
            Coverage cov = Coverage.of(c, q);
            Sql visitors = new Sql(cov).add("WITH ").visitorCte(q, null)
                    .add(" SELECT " + bucket + " AS b, count(*) FROM fv GROUP BY b ORDER BY b");
            Sql goals = new Sql(cov).add("WITH ").goalDays(q)
                    .add(" SELECT " + bucket + " AS b, goal, version, " + DAY_COUNTS + " FROM gd GROUP BY b, goal, version ORDER BY b, goal, version");
            Map<String, GoalCounts> byGoal = new java.util.TreeMap<>();
            Map<List<Object>, GoalCounts> byVersion = new LinkedHashMap<>();
            Map<LocalDateTime, Map<String, GoalCounts>> byBucket = new LinkedHashMap<>();
            for (Object[] row : goals.query(c, rs -> new Object[]{rs.getObject(1, LocalDateTime.class), counts(rs, 2, 4, rs.getInt(3))})) {
                GoalCounts g = (GoalCounts) row[1];
                byGoal.merge(g.goal(), g, DuckDbGoalReports::plus);
                byVersion.merge(List.of(g.goal(), g.version()), g, DuckDbGoalReports::plus);
                byBucket.computeIfAbsent((LocalDateTime) row[0], b -> new java.util.TreeMap<>()).merge(g.goal(), g, DuckDbGoalReports::plus);
            }
            List<SeriesPoint> series = visitors.query(c, rs -> {
                LocalDateTime b = rs.getObject(1, LocalDateTime.class);
                List<GoalCounts> gs = byBucket.getOrDefault(b, Map.of()).values().stream().map(g -> withVersion(g, null)).toList();
                return new SeriesPoint(b, rs.getLong(2), gs);
            });
            List<GoalCounts> totals = new ArrayList<>();
            for (GoalCounts g : byGoal.values()) {
                totals.add(withVersion(g, null));
                byVersion.values().stream().filter(v -> v.goal().equals(g.goal()))
                        .sorted(java.util.Comparator.comparing(GoalCounts::version)).forEach(totals::add);
            }
            return new Overview(new Totals(series.stream().mapToLong(SeriesPoint::visitors).sum(), totals), series);
        } catch (SQLException e) {
            throw new StoreException("goals report failed: " + e.getMessage(), e);
        }
    }

    private static GoalCounts plus(GoalCounts a, GoalCounts b) {
        return new GoalCounts(a.goal(), a.version(), a.achievements() + b.achievements(),
                a.firstAchievements() + b.firstAchievements(), a.achievers() + b.achievers(), a.value() + b.value(),
                a.firstValue() + b.firstValue(), a.currency() != null ? a.currency() : b.currency());
    }

    private static GoalCounts withVersion(GoalCounts g, Integer version) {
        return new GoalCounts(g.goal(), version, g.achievements(), g.firstAchievements(), g.achievers(), g.value(),
                g.firstValue(), g.currency());
    }

    @Override
    public List<SeriesPoint> series(ReportQuery q, Interval interval) {
        String bucket = "date_trunc('" + unit(interval) + "', time)";
        try (Connection c = database.connect()) {
            Coverage cov = Coverage.of(c, q);
            Sql visitors = new Sql(cov).add("WITH ").visitorCte(q, null).add(" ");
            if (interval == Interval.HOUR) {
                // visitors of an hour are not in visitor_days: count them from the events
                visitors.add("SELECT " + bucket + " AS b, count(DISTINCT visitor_id) FROM events WHERE ").range(q);
                if (!q.filters().isEmpty()) {
                    visitors.add(" AND visitor_id IN (SELECT visitor_id FROM fv)");
                }
            } else {
                // a visitor id lives one day: the visitors of a week or month are the sum of its days'
                visitors.add("SELECT CAST(date_trunc('" + unit(interval) + "', day) AS TIMESTAMP) AS b, count(*) FROM fv");
            }
            visitors.add(" GROUP BY b ORDER BY b");
            Sql goals = new Sql(cov).add("WITH ");
            if (interval == Interval.HOUR) {
                goals.achievementCtes(q, null)
                        .add(" SELECT " + bucket + " AS b, goal, " + COUNTS + " FROM ranked GROUP BY b, goal ORDER BY b, goal");
            } else {
                goals.goalDays(q).add(" SELECT CAST(date_trunc('" + unit(interval) + "', day) AS TIMESTAMP) AS b, goal, "
                        + DAY_COUNTS + " FROM gd GROUP BY b, goal ORDER BY b, goal");
            }
            Map<LocalDateTime, List<GoalCounts>> byBucket = new LinkedHashMap<>();
            for (Object[] row : goals.query(c, rs -> new Object[]{rs.getObject(1, LocalDateTime.class), counts(rs, 2, 3, null)})) {
                byBucket.computeIfAbsent((LocalDateTime) row[0], b -> new ArrayList<>()).add((GoalCounts) row[1]);
            }
            return visitors.query(c, rs -> {
                LocalDateTime b = rs.getObject(1, LocalDateTime.class);
                return new SeriesPoint(b, rs.getLong(2), byBucket.getOrDefault(b, List.of()));
            });
        } catch (SQLException e) {
            throw new StoreException("goals report series failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<BreakdownRow> breakdown(ReportQuery q, Dimension dimension, int limit) {
        try (Connection c = database.connect()) {
            Coverage cov = Coverage.of(c, q);
            Sql visitors = new Sql(cov).add("WITH ").visitorCte(q, dimension)
                    .add(" SELECT dim, count(*) AS visitors FROM fv GROUP BY dim ORDER BY visitors DESC, dim LIMIT ?").bind(limit);
            Sql goals = new Sql(cov).add("WITH ").visitorCte(q, dimension).add(", ").goalDaysFrom(q)
                    .add(" SELECT fv.dim, goal, " + DAY_COUNTS + " FROM gd JOIN fv USING (visitor_id) GROUP BY fv.dim, goal ORDER BY goal");
            Map<String, List<GoalCounts>> byValue = new LinkedHashMap<>();
            for (Object[] row : goals.query(c, rs -> new Object[]{rs.getString(1), counts(rs, 2, 3, null)})) {
                byValue.computeIfAbsent((String) row[0], b -> new ArrayList<>()).add((GoalCounts) row[1]);
            }
            return visitors.query(c, rs -> new BreakdownRow(rs.getString(1), rs.getLong(2),
                    byValue.getOrDefault(rs.getString(1), List.of())));
        } catch (SQLException e) {
            throw new StoreException("goals breakdown failed: " + e.getMessage(), e);
        }
    }

    /**
     * A touch is any event from outside the site (every channel but internal), of the same visitor,
     * no later than the achievement and no earlier than the lookback window allows.
     */
    @Override
    public List<AttributionRow> attribution(ReportQuery q, String goal, boolean onlyFirst, boolean lastTouch,
                                            int lookbackDays) {
        try (Connection c = database.connect()) {
        Sql sql = new Sql(Coverage.of(c, q)).add("WITH ");
        if (onlyFirst) {
            sql.achievementCtes(q, goal).add(", ach AS MATERIALIZED (SELECT seq, time, visitor_id, value FROM ranked WHERE nth = 1)");
        } else {
            if (!q.filters().isEmpty()) {
                sql.visitorCte(q, null).add(", ");
            }
            sql.add("ach AS MATERIALIZED (SELECT seq, time, visitor_id, value FROM (").achievementRows(q, goal).add("))");
        }
        // Touches are read from the range only, not lookbackDays before it: visitor ids live one
        // UTC day, so an earlier day cannot hold a touch of the same visitor.
        sql.add(", credited AS (SELECT a.seq, any_value(a.value) AS value, "
                        + (lastTouch ? "arg_max" : "arg_min")
                        + "(struct_pack(channel := t.channel, source := t.source, campaign := t.utm_campaign), (t.time, t.seq)) AS touch"
                        + " FROM ach a LEFT JOIN (SELECT visitor_id, time, seq, channel, source, utm_campaign FROM events"
                        + " WHERE pixel = ? AND time >= ? AND time < ? AND coalesce(channel, '') <> 'internal') t"
                        + " ON t.visitor_id = a.visitor_id"
                        // a condition ordering same-millisecond touches by seq (an OR) would make this join a nested loop
                        + " AND t.time <= a.time"
                        + " AND t.time >= a.time - to_days(CAST(? AS INTEGER)) GROUP BY a.seq)")
                .bind(q.pixel()).bind(q.from().atStartOfDay()).bind(q.to().plusDays(1).atStartOfDay()).bind(lookbackDays)
                .add(" SELECT touch.channel, touch.source, touch.campaign, count(*) AS n, coalesce(sum(value), 0) AS v"
                        + " FROM credited GROUP BY ALL ORDER BY n DESC, v DESC, 1, 2, 3");
            return sql.query(c, rs -> new AttributionRow(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getLong(4), rs.getDouble(5)));
        } catch (SQLException e) {
            throw new StoreException("attribution failed: " + e.getMessage(), e);
        }
    }

    /** Reads the goal key at goalColumn and the COUNTS columns from firstCount on. */
    private static GoalCounts counts(ResultSet rs, int goalColumn, int i, Integer version) throws SQLException {
        return new GoalCounts(rs.getString(goalColumn), version, rs.getLong(i), rs.getLong(i + 1), rs.getLong(i + 2),
                rs.getDouble(i + 3), rs.getDouble(i + 4), rs.getString(i + 5));
    }

    private static String unit(Interval interval) {
        return switch (interval) {
            case HOUR -> "hour";
            case DAY -> "day";
            case WEEK -> "week";
            case MONTH -> "month";
        };
    }

    /** The visitor_days column of a dimension; from events, its first non-empty value of the visitor's day. */
    private static String column(Dimension d) {
        return switch (d) {
            case CHANNEL -> "channel";
            case SOURCE -> "source";
            case UTM_CAMPAIGN -> "utm_campaign";
            case UTM_MEDIUM -> "utm_medium";
            case LANDING_PAGE -> "landing_page";
            case COUNTRY -> "country";
            case DEVICE_CLASS -> "device_class";
            case BROWSER -> "browser";
            case OS -> "os";
        };
    }

    private static String fromEvents(Dimension d) {
        return d == Dimension.LANDING_PAGE ? "arg_min(path, (time, seq)) FILTER (WHERE kind = 'page_view')"
                : VisitorRollup.first(column(d));
    }

    /** Which days of a report visitor_days answers (rolled up, no newer events), and which the events must. */
    record Coverage(List<LocalDate[]> rolled, List<LocalDate[]> unrolled) {

        static Coverage of(Connection c, ReportQuery q) throws SQLException {
            long watermark;
            try (java.sql.Statement st = c.createStatement()) {
                watermark = VisitorRollup.watermark(st);
            }
            java.util.Set<LocalDate> rolled = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT day FROM rolled_days WHERE pixel = ? AND day >= ? AND day <= ?")) {
                ps.setString(1, q.pixel());
                ps.setObject(2, q.from());
                ps.setObject(3, q.to());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rolled.add(rs.getObject(1, LocalDate.class));
                    }
                }
            }
            if (!rolled.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT CAST(time AS DATE) FROM events "
                        + "WHERE seq > ? AND pixel = ? AND time >= ? AND time < ?")) {
                    ps.setLong(1, watermark);
                    ps.setString(2, q.pixel());
                    ps.setObject(3, q.from().atStartOfDay());
                    ps.setObject(4, q.to().plusDays(1).atStartOfDay());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rolled.remove(rs.getObject(1, LocalDate.class));
                        }
                    }
                }
            }
            List<LocalDate[]> yes = new ArrayList<>();
            List<LocalDate[]> no = new ArrayList<>();
            for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
                List<LocalDate[]> into = rolled.contains(d) ? yes : no;
                if (!into.isEmpty() && into.get(into.size() - 1)[1].plusDays(1).equals(d)) {
                    into.get(into.size() - 1)[1] = d;
                } else {
                    into.add(new LocalDate[]{d, d});
                }
            }
            return new Coverage(yes, no);
        }
    }

    /** SQL text and its bound values, built side by side so they cannot drift apart. */
    private static final class Sql {
        private final StringBuilder text = new StringBuilder();
        private final List<Object> params = new ArrayList<>();
        private final Coverage coverage;

        Sql(Coverage coverage) {
            this.coverage = coverage;
        }

        Sql add(String s) {
            text.append(s);
            return this;
        }

        Sql bind(Object value) {
            params.add(value);
            return this;
        }

        Sql range(ReportQuery q) {
            return add("pixel = ? AND time >= ? AND time < ?")
                    .bind(q.pixel()).bind(q.from().atStartOfDay()).bind(q.to().plusDays(1).atStartOfDay());
        }

        /**
         * fv(visitor_id, day[, dim]): the visitors of the range the filters let through, from
         * visitor_days for the days rolled up and from the events for the others.
         */
        Sql visitorCte(ReportQuery q, Dimension breakdown) {
            java.util.Set<Dimension> dims = java.util.EnumSet.noneOf(Dimension.class);
            dims.addAll(q.filters().keySet());
            if (breakdown != null) {
                dims.add(breakdown);
            }
            StringBuilder rolledCols = new StringBuilder();
            StringBuilder eventCols = new StringBuilder();
            for (Dimension d : dims) {
                rolledCols.append(", ").append(column(d));
                eventCols.append(", ").append(fromEvents(d)).append(" AS ").append(column(d));
            }
            add("fv AS (SELECT visitor_id, day");
            if (breakdown != null) {
                add(", coalesce(" + column(breakdown) + ", '" + Dimension.NONE + "') AS dim");
            }
            add(" FROM (SELECT visitor_id, day" + rolledCols + " FROM visitor_days WHERE pixel = ? AND (").bind(q.pixel());
            ranges("day >= ? AND day <= ?", coverage.rolled(), false);
            add(") UNION ALL SELECT visitor_id, CAST(min(time) AS DATE)" + eventCols + " FROM events WHERE pixel = ? AND (")
                    .bind(q.pixel());
            ranges("time >= ? AND time < ?", coverage.unrolled(), true);
            add(") AND visitor_id IS NOT NULL GROUP BY visitor_id)");
            String glue = " WHERE ";
            for (Map.Entry<Dimension, String> f : q.filters().entrySet()) {
                add(glue + "coalesce(" + column(f.getKey()) + ", '" + Dimension.NONE + "') = ?").bind(f.getValue());
                glue = " AND ";
            }
            return add(")");
        }

        private void ranges(String condition, List<LocalDate[]> ranges, boolean asTimes) {
            if (ranges.isEmpty()) {
                add("FALSE");
            }
            String glue = "";
            for (LocalDate[] r : ranges) {
                add(glue + "(" + condition + ")");
                bind(asTimes ? r[0].atStartOfDay() : r[0]);
                bind(asTimes ? r[1].plusDays(1).atStartOfDay() : r[1]);
                glue = " OR ";
            }
        }

        /** gd: goal_visitor_days rows of the range (of the filtered visitors): rolled-up days, the rest from raw rows. */
        Sql goalDays(ReportQuery q) {
            if (!q.filters().isEmpty()) {
                visitorCte(q, null).add(", ");
            }
            return goalDaysFrom(q);
        }

        Sql goalDaysFrom(ReportQuery q) {
            add("gd AS (SELECT * FROM (SELECT " + VisitorRollup.GOAL_COLUMNS + " FROM goal_visitor_days WHERE pixel = ? AND (")
                    .bind(q.pixel());
            ranges("day >= ? AND day <= ?", coverage.rolled(), false);
            add(") UNION ALL SELECT " + VisitorRollup.GOAL_COLUMNS + " FROM (");
            StringBuilder times = new StringBuilder();
            for (int i = 0; i < coverage.unrolled().size(); i++) {
                times.append(i == 0 ? "" : " OR ").append("(time >= ? AND time < ?)");
            }
            add(VisitorRollup.goalDaysFromRaw(times.isEmpty() ? "FALSE" : times.toString()));
            for (int twice = 0; twice < 2; twice++) {
                bind(q.pixel());
                for (LocalDate[] r : coverage.unrolled()) {
                    bind(r[0].atStartOfDay()).bind(r[1].plusDays(1).atStartOfDay());
                }
                bind(Long.MAX_VALUE);
            }
            add(")) WHERE implicit = ?").bind(q.implicitGoals());
            if (!q.filters().isEmpty()) {
                add(" AND visitor_id IN (SELECT visitor_id FROM fv)");
            }
            return add(")");
        }

        Sql achievementCtes(ReportQuery q, String goal) {
            if (!q.filters().isEmpty()) {
                visitorCte(q, null).add(", ");
            }
            return achievementSources(q, goal);
        }

        /**
         * src: the achievements in the range (of the filtered visitors when fv exists); ranked adds
         * nth, the place of each among its visitor's achievements of the same goal.
         */
        Sql achievementSources(ReportQuery q, String goal) {
            add("src AS (");
            achievementRows(q, goal);
            return add("), ranked AS (SELECT *, row_number() OVER (PARTITION BY goal, visitor_id ORDER BY time, seq) AS nth"
                    + " FROM src)");
        }

        /** The stored achievements of the range (goal-less pixels: their own hits), of the filtered visitors when fv exists. */
        Sql achievementRows(ReportQuery q, String goal) {
            if (q.implicitGoals()) {
                add("SELECT seq, time, visitor_id, kind || ':' || coalesce(name, campaign, link, '') AS goal,"
                        + " 0 AS version, value, currency FROM events WHERE ").range(q).add(" AND kind <> 'page_view'");
                if (goal != null) {
                    add(" AND kind || ':' || coalesce(name, campaign, link, '') = ?").bind(goal);
                }
            } else {
                add("SELECT seq, time, visitor_id, goal_id AS goal, goal_version AS version, value, currency"
                        + " FROM goal_achievements WHERE ").range(q);
                if (goal != null) {
                    add(" AND goal_id = ?").bind(goal);
                }
            }
            if (!q.filters().isEmpty()) {
                add(" AND visitor_id IN (SELECT visitor_id FROM fv)");
            }
            return this;
        }

        <T> List<T> query(Connection c, Row<T> row) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(text.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.read(rs));
                    }
                }
                return out;
            }
        }
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
