package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_ACHIEVEMENTS;
import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.Dimension;
import dev.speck.report.ReportQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL text and its bound values, built side by side so they cannot drift apart. */
final class ReportSql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private final RollupCoverage coverage;
    private final VisitorChunk chunk;

    /** The visitors of a segment's members (2 binds: its id twice): bare visitors, and every visitor linked to a member customer. */
    static final String SEGMENT_VISITORS = "SELECT substr(person, 3) FROM segment_members WHERE segment_id = ? AND person LIKE 'v:%'"
            + " UNION ALL SELECT l.visitor_id FROM identity_links l JOIN segment_members m ON m.person = l.customer_id"
            + " WHERE m.segment_id = ?";

    ReportSql(RollupCoverage coverage) {
        this(coverage, VisitorChunk.ALL);
    }

    /** For the rows of one chunk of the visitors only: every row source below keeps to it. */
    ReportSql(RollupCoverage coverage, VisitorChunk chunk) {
        this.coverage = coverage;
        this.chunk = chunk;
    }

    ReportSql add(String s) {
        text.append(s);
        return this;
    }

    ReportSql bind(Object value) {
        params.add(value);
        return this;
    }

    ReportSql range(ReportQuery q) {
        return add("pixel = ? AND time >= ? AND time < ?")
                .bind(q.pixel()).bind(q.from().atStartOfDay()).bind(q.to().plusDays(1).atStartOfDay());
    }

    /**
     * " AND" the visitors this query reads beyond pixel and time, for a WHERE over rows with a
     * visitor_id: its chunk of them; nothing when it reads them all.
     */
    ReportSql visitors() {
        return chunk.of() == 1 ? this : add(" AND " + chunk.condition());
    }

    /**
     * fv(visitor_id, day[, dim]): the visitors of the range the filters let through, from
     * visitor_days for the days rolled up and from the events for the others.
     */
    ReportSql visitorCte(ReportQuery q, Dimension breakdown) {
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
        add(")").visitors();
        add(" UNION ALL SELECT visitor_id, CAST(min(time) AS DATE)" + eventCols + " FROM " + VISIBLE_EVENTS + " WHERE pixel = ? AND (")
                .bind(q.pixel());
        ranges("time >= ? AND time < ?", coverage.unrolled(), true);
        add(") AND visitor_id IS NOT NULL" + TrafficSql.and(q.traffic())).visitors().add(" GROUP BY visitor_id)");
        String glue = " WHERE ";
        for (Map.Entry<Dimension, String> f : q.filters().entrySet()) {
            add(glue + "coalesce(" + column(f.getKey()) + ", '" + Dimension.NONE + "') = ?").bind(f.getValue());
            glue = " AND ";
        }
        if (q.segment() != null) {
            add(glue + "visitor_id IN (" + SEGMENT_VISITORS + ")").bind(q.segment()).bind(q.segment());
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
    ReportSql goalDays(ReportQuery q) {
        if (q.narrowed()) {
            visitorCte(q, null).add(", ");
        }
        return goalDaysFrom(q);
    }

    ReportSql goalDaysFrom(ReportQuery q) {
        add("gd AS (SELECT * FROM (SELECT " + VisitorRollup.GOAL_COLUMNS + " FROM goal_visitor_days WHERE pixel = ? AND (")
                .bind(q.pixel());
        ranges("day >= ? AND day <= ?", coverage.rolled(), false);
        add(")").visitors();
        add(" UNION ALL SELECT " + VisitorRollup.GOAL_COLUMNS + " FROM (");
        StringBuilder times = new StringBuilder();
        for (int i = 0; i < coverage.unrolled().size(); i++) {
            times.append(i == 0 ? "" : " OR ").append("(time >= ? AND time < ?)");
        }
        add(VisitorRollup.goalDaysFromRaw(times.isEmpty() ? "FALSE" : times.toString(), chunk.condition(), q.traffic()));
        for (int times2 = 0; times2 < VisitorRollup.goalDaysBinds(q.traffic()); times2++) {
            bind(q.pixel());
            for (LocalDate[] r : coverage.unrolled()) {
                bind(r[0].atStartOfDay()).bind(r[1].plusDays(1).atStartOfDay());
            }
            bind(Long.MAX_VALUE);
        }
        add(")) WHERE implicit = ?").bind(q.implicitGoals());
        if (q.narrowed()) {
            add(" AND visitor_id IN (SELECT visitor_id FROM fv)");
        }
        return add(")");
    }

    ReportSql achievementCtes(ReportQuery q, String goal) {
        if (q.narrowed()) {
            visitorCte(q, null).add(", ");
        }
        return achievementSources(q, goal);
    }

    /**
     * src: the achievements in the range (of the filtered visitors when fv exists); ranked adds
     * nth, the place of each among its visitor's achievements of the same goal.
     */
    ReportSql achievementSources(ReportQuery q, String goal) {
        add("src AS (");
        achievementRows(q, goal);
        return add("), ranked AS (SELECT *, row_number() OVER (PARTITION BY goal, visitor_id ORDER BY time, seq) AS nth"
                + " FROM src)");
    }

    /** The stored achievements of the range (goal-less pixels: their own hits), of the filtered visitors when fv exists. */
    ReportSql achievementRows(ReportQuery q, String goal) {
        if (q.implicitGoals()) {
            add("SELECT seq, time, visitor_id, kind || ':' || coalesce(name, campaign, link, '') AS goal,"
                    + " 0 AS version, value, currency FROM " + VISIBLE_EVENTS + " WHERE ").range(q).add(" AND kind <> 'page_view'")
                    .add(TrafficSql.and(q.traffic()));
            if (goal != null) {
                add(" AND kind || ':' || coalesce(name, campaign, link, '') = ?").bind(goal);
            }
        } else {
            add("SELECT seq, time, visitor_id, goal_id AS goal, goal_version AS version, value, currency"
                    + " FROM " + VISIBLE_ACHIEVEMENTS + " WHERE ").range(q);
            if (q.traffic() != dev.speck.report.Traffic.ALL) {
                add(TrafficSql.achievements(q.traffic(), "pixel = ? AND time >= ? AND time < ?"))
                        .bind(q.pixel()).bind(q.from().atStartOfDay()).bind(q.to().plusDays(1).atStartOfDay());
            }
            if (goal != null) {
                add(" AND goal_id = ?").bind(goal);
            }
        }
        visitors();
        if (q.narrowed()) {
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
        return d == Dimension.LANDING_PAGE ? "arg_min(path, " + VisitorRollup.ORDER + ") FILTER (WHERE kind = 'page_view')"
                : VisitorRollup.first(column(d));
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
