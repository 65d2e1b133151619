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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
            long v = 0;
            ChunkSums sums = new ChunkSums();
            for (VisitorChunk chunk : VisitorChunk.needed(c, q, cov)) {
                ReportSql visitors = new ReportSql(cov, chunk).add("WITH ").visitorCte(q, null).add(" SELECT count(*) FROM fv");
                ReportSql goals = new ReportSql(cov, chunk).add("WITH ").goalDays(q)
                        .add(" SELECT goal, version, " + DAY_COUNTS + " FROM gd GROUP BY GROUPING SETS ((goal), (goal, version))"
                                + " ORDER BY goal, version NULLS FIRST");
                v += visitors.query(c, rs -> rs.getLong(1)).get(0);
                goals.query(c, rs -> counts(rs, 1, 3, rs.getObject(2) == null ? null : rs.getInt(2))).forEach(sums::add);
            }
            return new Totals(v, sums.rows());
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
            Map<LocalDateTime, Long> visitorsByBucket = new TreeMap<>();
            Map<LocalDateTime, ChunkSums> goalsByBucket = new TreeMap<>();
            for (VisitorChunk chunk : VisitorChunk.needed(c, q, cov)) {
                ReportSql visitors = new ReportSql(cov, chunk).add("WITH ").visitorCte(q, null)
                        .add(" SELECT " + bucket + " AS b, count(*) FROM fv GROUP BY b ORDER BY b");
                ReportSql goals = new ReportSql(cov, chunk).add("WITH ").goalDays(q)
                        .add(" SELECT " + bucket + " AS b, goal, version, " + DAY_COUNTS + " FROM gd GROUP BY b, goal, version ORDER BY b, goal, version");
                for (Object[] row : goals.query(c, rs -> new Object[]{rs.getObject(1, LocalDateTime.class), counts(rs, 2, 4, rs.getInt(3))})) {
                    goalsByBucket.computeIfAbsent((LocalDateTime) row[0], b -> new ChunkSums()).add((GoalCounts) row[1]);
                }
                for (Object[] row : visitors.query(c, rs -> new Object[]{rs.getObject(1, LocalDateTime.class), rs.getLong(2)})) {
                    visitorsByBucket.merge((LocalDateTime) row[0], (Long) row[1], Long::sum);
                }
            }
            Map<String, GoalCounts> byGoal = new TreeMap<>();
            Map<List<Object>, GoalCounts> byVersion = new LinkedHashMap<>();
            Map<LocalDateTime, Map<String, GoalCounts>> byBucket = new LinkedHashMap<>();
            for (Map.Entry<LocalDateTime, ChunkSums> bucketRows : goalsByBucket.entrySet()) {
                for (GoalCounts g : bucketRows.getValue().rows()) {
                    byGoal.merge(g.goal(), g, DuckDbGoalReports::plus);
                    byVersion.merge(List.of(g.goal(), g.version()), g, DuckDbGoalReports::plus);
                    byBucket.computeIfAbsent(bucketRows.getKey(), b -> new TreeMap<>()).merge(g.goal(), g, DuckDbGoalReports::plus);
                }
            }
            List<SeriesPoint> series = new ArrayList<>();
            visitorsByBucket.forEach((b, v) -> series.add(new SeriesPoint(b, v,
                    byBucket.getOrDefault(b, Map.of()).values().stream().map(g -> withVersion(g, null)).toList())));
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
        try (Connection c = database.connect()) {
            RollupCoverage cov = RollupCoverage.of(c, q);
            Map<LocalDateTime, Long> visitorsByBucket = new TreeMap<>();
            Map<LocalDateTime, ChunkSums> goalsByBucket = new TreeMap<>();
            for (VisitorChunk chunk : VisitorChunk.needed(c, q, cov)) {
                for (Object[] row : seriesGoals(q, interval, cov, chunk).query(c,
                        rs -> new Object[]{rs.getObject(1, LocalDateTime.class), counts(rs, 2, 3, null)})) {
                    goalsByBucket.computeIfAbsent((LocalDateTime) row[0], b -> new ChunkSums()).add((GoalCounts) row[1]);
                }
                for (Object[] row : seriesVisitors(q, interval, cov, chunk).query(c,
                        rs -> new Object[]{rs.getObject(1, LocalDateTime.class), rs.getLong(2)})) {
                    visitorsByBucket.merge((LocalDateTime) row[0], (Long) row[1], Long::sum);
                }
            }
            List<SeriesPoint> series = new ArrayList<>();
            visitorsByBucket.forEach((b, v) -> series.add(new SeriesPoint(b, v,
                    goalsByBucket.containsKey(b) ? goalsByBucket.get(b).rows() : List.of())));
            return series;
        } catch (SQLException e) {
            throw new StoreException("goals report series failed: " + e.getMessage(), e);
        }
    }

    private static ReportSql seriesVisitors(ReportQuery q, Interval interval, RollupCoverage cov, VisitorChunk chunk) {
        ReportSql visitors = new ReportSql(cov, chunk).add("WITH ").visitorCte(q, null).add(" ");
        if (interval == Interval.HOUR) {
            // visitors of an hour are not in visitor_days: count them from the events
            visitors.add("SELECT date_trunc('hour', time) AS b, count(DISTINCT visitor_id) FROM " + VISIBLE_EVENTS + " WHERE ").range(q)
                    .add(TrafficSql.and(q.traffic())).visitors();
            if (q.narrowed()) {
                visitors.add(" AND visitor_id IN (SELECT visitor_id FROM fv)");
            }
        } else {
            // a visitor id lives one day: the visitors of a week or month are the sum of its days'
            visitors.add("SELECT CAST(date_trunc('" + unit(interval) + "', day) AS TIMESTAMP) AS b, count(*) FROM fv");
        }
        return visitors.add(" GROUP BY b ORDER BY b");
    }

    private static ReportSql seriesGoals(ReportQuery q, Interval interval, RollupCoverage cov, VisitorChunk chunk) {
        ReportSql goals = new ReportSql(cov, chunk).add("WITH ");
        if (interval == Interval.HOUR) {
            return goals.achievementCtes(q, null)
                    .add(" SELECT date_trunc('hour', time) AS b, goal, " + COUNTS + " FROM ranked GROUP BY b, goal ORDER BY b, goal");
        }
        return goals.goalDays(q).add(" SELECT CAST(date_trunc('" + unit(interval) + "', day) AS TIMESTAMP) AS b, goal, "
                + DAY_COUNTS + " FROM gd GROUP BY b, goal ORDER BY b, goal");
    }

    @Override
    public List<BreakdownRow> breakdown(ReportQuery q, Dimension dimension, int limit) {
        try (Connection c = database.connect()) {
            RollupCoverage cov = RollupCoverage.of(c, q);
            List<VisitorChunk> chunks = VisitorChunk.needed(c, q, cov);
            Map<String, Long> visitorsByValue = new HashMap<>();
            Map<String, ChunkSums> goalsByValue = new HashMap<>();
            for (VisitorChunk chunk : chunks) {
                // a chunk's top values are not the report's: a report read in chunks ranks every value
                ReportSql visitors = new ReportSql(cov, chunk).add("WITH ").visitorCte(q, dimension)
                        .add(" SELECT dim, count(*) AS visitors FROM fv GROUP BY dim ORDER BY visitors DESC, dim");
                if (chunks.size() == 1) {
                    visitors.add(" LIMIT ?").bind(limit);
                }
                ReportSql goals = new ReportSql(cov, chunk).add("WITH ").visitorCte(q, dimension).add(", ").goalDaysFrom(q)
                        .add(" SELECT fv.dim, goal, " + DAY_COUNTS + " FROM gd JOIN fv USING (visitor_id) GROUP BY fv.dim, goal ORDER BY goal");
                for (Object[] row : goals.query(c, rs -> new Object[]{rs.getString(1), counts(rs, 2, 3, null)})) {
                    goalsByValue.computeIfAbsent((String) row[0], b -> new ChunkSums()).add((GoalCounts) row[1]);
                }
                for (Object[] row : visitors.query(c, rs -> new Object[]{rs.getString(1), rs.getLong(2)})) {
                    visitorsByValue.merge((String) row[0], (Long) row[1], Long::sum);
                }
            }
            return visitorsByValue.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(ChunkSums.TEXT)))
                    .limit(limit)
                    .map(e -> new BreakdownRow(e.getKey(), e.getValue(),
                            goalsByValue.containsKey(e.getKey()) ? goalsByValue.get(e.getKey()).rows() : List.of()))
                    .toList();
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
            RollupCoverage cov = RollupCoverage.of(c, q);
            Map<List<String>, AttributionRow> byTouch = new HashMap<>();
            for (VisitorChunk chunk : VisitorChunk.needed(c, q, cov)) {
                for (AttributionRow r : attributionSql(q, goal, onlyFirst, lastTouch, lookbackDays, cov, chunk).query(c,
                        rs -> new AttributionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), money(rs, 5)))) {
                    byTouch.merge(java.util.Arrays.asList(r.channel(), r.source(), r.campaign()), r, (a, b) -> new AttributionRow(
                            a.channel(), a.source(), a.campaign(), a.achievements() + b.achievements(),
                            ChunkSums.money(a.value().add(b.value()))));
                }
            }
            return byTouch.values().stream().sorted(java.util.Comparator.comparingLong(AttributionRow::achievements).reversed()
                    .thenComparing(AttributionRow::value, java.util.Comparator.reverseOrder())
                    .thenComparing(AttributionRow::channel, ChunkSums.TEXT).thenComparing(AttributionRow::source, ChunkSums.TEXT)
                    .thenComparing(AttributionRow::campaign, ChunkSums.TEXT)).toList();
        } catch (SQLException e) {
            throw new StoreException("attribution failed: " + e.getMessage(), e);
        }
    }

    private static ReportSql attributionSql(ReportQuery q, String goal, boolean onlyFirst, boolean lastTouch, int lookbackDays,
                                            RollupCoverage cov, VisitorChunk chunk) {
        ReportSql sql = new ReportSql(cov, chunk).add("WITH ");
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
        return sql.add(", credited AS (SELECT a.seq, any_value(a.value) AS value, "
                        + (lastTouch ? "arg_max" : "arg_min")
                        + "(struct_pack(channel := t.channel, source := t.source, campaign := t.utm_campaign), (t.time, t.seq)) AS touch"
                        + " FROM ach a LEFT JOIN (SELECT visitor_id, time, seq, channel, source, utm_campaign FROM " + VISIBLE_EVENTS
                        + " WHERE pixel = ? AND time >= ? AND time < ? AND coalesce(channel, '') <> 'internal'"
                        + TrafficSql.and(q.traffic())).visitors().add(") t"
                        + " ON t.visitor_id = a.visitor_id"
                        // a condition ordering same-millisecond touches by seq (an OR) would make this join a nested loop
                        + " AND t.time <= a.time"
                        + " AND t.time >= a.time - to_days(CAST(? AS INTEGER)) GROUP BY a.seq)")
                .bind(q.pixel()).bind(q.from().atStartOfDay()).bind(q.to().plusDays(1).atStartOfDay()).bind(lookbackDays)
                .add(" SELECT touch.channel, touch.source, touch.campaign, count(*) AS n, coalesce(sum(value), 0) AS v"
                        + " FROM credited GROUP BY ALL ORDER BY n DESC, v DESC, 1, 2, 3");
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
        return ChunkSums.money(rs.getBigDecimal(column));
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
