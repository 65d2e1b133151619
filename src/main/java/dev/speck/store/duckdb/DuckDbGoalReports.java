package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.Dimension;
import dev.speck.report.GoalCounts;
import dev.speck.report.GoalReports;
import dev.speck.report.Interval;
import dev.speck.report.ReportQuery;
import dev.speck.report.SetApart;
import dev.speck.report.Traffic;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
            RollupCoverage cov = RollupCoverage.of(c, q);
            ReportSql visitors = new ReportSql(cov).add("WITH ").visitorCte(q, null).add(" SELECT count(*) FROM fv");
            ReportSql goals = new ReportSql(cov).add("WITH ").goalDays(q)
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
            RollupCoverage cov = RollupCoverage.of(c, q);
            ReportSql visitors = new ReportSql(cov).add("WITH ").visitorCte(q, null)
                    .add(" SELECT " + bucket + " AS b, count(*) FROM fv GROUP BY b ORDER BY b");
            ReportSql goals = new ReportSql(cov).add("WITH ").goalDays(q)
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
                a.firstAchievements() + b.firstAchievements(), a.achievers() + b.achievers(), a.value().add(b.value()),
                a.firstValue().add(b.firstValue()), a.currency() != null ? a.currency() : b.currency());
    }

    private static GoalCounts withVersion(GoalCounts g, Integer version) {
        return new GoalCounts(g.goal(), version, g.achievements(), g.firstAchievements(), g.achievers(), g.value(),
                g.firstValue(), g.currency());
    }

    @Override
    public List<SeriesPoint> series(ReportQuery q, Interval interval) {
        String bucket = "date_trunc('" + unit(interval) + "', time)";
        try (Connection c = database.connect()) {
            RollupCoverage cov = RollupCoverage.of(c, q);
            ReportSql visitors = new ReportSql(cov).add("WITH ").visitorCte(q, null).add(" ");
            if (interval == Interval.HOUR) {
                // visitors of an hour are not in visitor_days: count them from the events
                visitors.add("SELECT " + bucket + " AS b, count(DISTINCT visitor_id) FROM " + VISIBLE_EVENTS + " WHERE ").range(q)
                        .add(TrafficSql.and(q.traffic()));
                if (q.narrowed()) {
                    visitors.add(" AND visitor_id IN (SELECT visitor_id FROM fv)");
                }
            } else {
                // a visitor id lives one day: the visitors of a week or month are the sum of its days'
                visitors.add("SELECT CAST(date_trunc('" + unit(interval) + "', day) AS TIMESTAMP) AS b, count(*) FROM fv");
            }
            visitors.add(" GROUP BY b ORDER BY b");
            ReportSql goals = new ReportSql(cov).add("WITH ");
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
            RollupCoverage cov = RollupCoverage.of(c, q);
            ReportSql visitors = new ReportSql(cov).add("WITH ").visitorCte(q, dimension)
                    .add(" SELECT dim, count(*) AS visitors FROM fv GROUP BY dim ORDER BY visitors DESC, dim LIMIT ?").bind(limit);
            ReportSql goals = new ReportSql(cov).add("WITH ").visitorCte(q, dimension).add(", ").goalDaysFrom(q)
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
        ReportSql sql = new ReportSql(RollupCoverage.of(c, q)).add("WITH ");
        if (onlyFirst) {
            sql.achievementCtes(q, goal).add(", ach AS MATERIALIZED (SELECT seq, time, visitor_id, value FROM ranked WHERE nth = 1)");
        } else {
            if (q.narrowed()) {
                sql.visitorCte(q, null).add(", ");
            }
            sql.add("ach AS MATERIALIZED (SELECT seq, time, visitor_id, value FROM (").achievementRows(q, goal).add("))");
        }
        // Touches are read from the range only, not lookbackDays before it: visitor ids live one
        // UTC day, so an earlier day cannot hold a touch of the same visitor.
        sql.add(", credited AS (SELECT a.seq, any_value(a.value) AS value, "
                        + (lastTouch ? "arg_max" : "arg_min")
                        + "(struct_pack(channel := t.channel, source := t.source, campaign := t.utm_campaign), (t.time, t.seq)) AS touch"
                        + " FROM ach a LEFT JOIN (SELECT visitor_id, time, seq, channel, source, utm_campaign FROM " + VISIBLE_EVENTS
                        + " WHERE pixel = ? AND time >= ? AND time < ? AND coalesce(channel, '') <> 'internal'"
                        + TrafficSql.and(q.traffic()) + ") t"
                        + " ON t.visitor_id = a.visitor_id"
                        // a condition ordering same-millisecond touches by seq (an OR) would make this join a nested loop
                        + " AND t.time <= a.time"
                        + " AND t.time >= a.time - to_days(CAST(? AS INTEGER)) GROUP BY a.seq)")
                .bind(q.pixel()).bind(q.from().atStartOfDay()).bind(q.to().plusDays(1).atStartOfDay()).bind(lookbackDays)
                .add(" SELECT touch.channel, touch.source, touch.campaign, count(*) AS n, coalesce(sum(value), 0) AS v"
                        + " FROM credited GROUP BY ALL ORDER BY n DESC, v DESC, 1, 2, 3");
            return sql.query(c, rs -> new AttributionRow(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getLong(4), money(rs, 5)));
        } catch (SQLException e) {
            throw new StoreException("attribution failed: " + e.getMessage(), e);
        }
    }

    @Override
    public SetApart setApart(ReportQuery q) {
        try (Connection c = database.connect()) {
            return SetApartCounts.of(c, q, RollupCoverage.of(c, new ReportQuery(q.pixel(), q.from(), q.to(), Map.of(),
                    q.implicitGoals(), Traffic.HUMAN)));
        } catch (SQLException e) {
            throw new StoreException("set-apart counts failed: " + e.getMessage(), e);
        }
    }

    /** Reads the goal key at goalColumn and the COUNTS columns from firstCount on. */
    private static GoalCounts counts(ResultSet rs, int goalColumn, int i, Integer version) throws SQLException {
        return new GoalCounts(rs.getString(goalColumn), version, rs.getLong(i), rs.getLong(i + 1), rs.getLong(i + 2),
                money(rs, i + 3), money(rs, i + 4), rs.getString(i + 5));
    }

    /** A DECIMAL sum, exact, in its shortest form (12.5, not 12.5000); zero when there was nothing to sum. */
    private static java.math.BigDecimal money(ResultSet rs, int column) throws SQLException {
        java.math.BigDecimal v = rs.getBigDecimal(column);
        if (v == null || v.signum() == 0) {
            return java.math.BigDecimal.ZERO;
        }
        v = v.stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }

    private static String unit(Interval interval) {
        return switch (interval) {
            case HOUR -> "hour";
            case DAY -> "day";
            case WEEK -> "week";
            case MONTH -> "month";
        };
    }


}
