package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_ACHIEVEMENTS;
import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.customers.Customer;
import dev.speck.enrich.Device;
import dev.speck.enrich.Event;
import dev.speck.enrich.GeoLocation;
import dev.speck.enrich.TrafficQuality;
import dev.speck.enrich.TrafficSource;
import dev.speck.goals.Achievement;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.store.StoreException;
import dev.speck.triggers.Trigger;
import dev.speck.triggers.TriggerHistory;
import dev.speck.triggers.When;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A pixel's stored people's events read back for triggers: a dry run's history, and the questions of
 * the pattern triggers (who started it often enough, whose start lapsed without the goal). The start
 * of the rule is filtered in SQL (a goal's achievements, an event's name, page views' paths) so only
 * what may fire is read; the rule itself is judged by the caller. A person is a customer over all
 * their linked visitors (the link made last wins for a shared visitor), else one visitor.
 */
public final class DuckDbTriggerHistory implements TriggerHistory {

    /** Each visitor's customer: the link made last. */
    private static final String LINKED = "(SELECT visitor_id, arg_max(customer_id, first_seen) AS customer_id,"
            + " max(first_seen) AS first_seen FROM identity_links GROUP BY visitor_id)";
    private static final String PEOPLE = TrafficSql.VERDICT.replace("verdict", "e.verdict").replace("is_bot", "e.is_bot")
            + " = 'human' AND e.visitor_id IS NOT NULL";
    private static final String COLUMNS = "e.seq, epoch_ms(e.time), e.kind, e.name, e.url, e.title, e.visitor_id, e.country,"
            + " e.region, e.city, e.device_class, e.browser, e.os, e.channel, e.source, e.utm_campaign, e.utm_medium, e.language,"
            + " l.first_seen IS NOT NULL AND l.first_seen = e.time, "
            + DuckDbCustomerRepository.COLUMNS.replaceAll("(\\w+)", "k.$1");
    private static final int CUSTOMER_AT = 20;

    private final DuckDbDatabase database;

    public DuckDbTriggerHistory(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public int replay(String pixel, When when, Instant from, Instant to, int max, Consumer<Replayed> each) {
        Sql sql = new Sql("SELECT " + COLUMNS + " FROM " + VISIBLE_EVENTS + " e LEFT JOIN " + LINKED + " l USING (visitor_id)"
                + " LEFT JOIN customers k ON k.id = l.customer_id WHERE e.pixel = ? AND e.time >= ? AND e.time < ? AND " + PEOPLE,
                pixel, time(from), time(to));
        starts(sql, pixel, when, from, to);
        sql.add(" ORDER BY e.time, e.seq LIMIT ?", max);
        return read(sql, pixel, when, from, to, max, each);
    }

    @Override
    public void repeated(Trigger t, Instant now, int max, Consumer<Replayed> each) {
        Instant from = now.minus(t.pattern().within());
        Sql sql = new Sql("WITH starts AS (SELECT e.seq, e.time, coalesce(l.customer_id, 'v:' || e.visitor_id) AS person"
                + " FROM " + VISIBLE_EVENTS + " e LEFT JOIN " + LINKED + " l USING (visitor_id)"
                + " WHERE e.pixel = ? AND e.time > ? AND e.time <= ? AND " + PEOPLE, t.pixel(), time(from), time(now));
        starts(sql, t.pixel(), t.when(), from, now);
        sql.add(") SELECT max_by(seq, (time, seq)) FROM starts GROUP BY person HAVING count(*) >= ?", t.pattern().times());
        if (t.pattern().unlessGoal() != null) {
            sql.add(" AND person NOT IN (" + reached(), t.pixel(), t.pattern().unlessGoal(), time(from), time(now));
            sql.add(")");
        }
        sql.add(" LIMIT ?", max);
        bySeq(sql, t, from, now, max, each);
    }

    @Override
    public void lapsed(Trigger t, Instant from, Instant to, int max, Consumer<Replayed> each) {
        long waitMillis = t.pattern().after().toMillis();
        Sql sql = new Sql("WITH starts AS (SELECT e.seq, e.time, coalesce(l.customer_id, 'v:' || e.visitor_id) AS person"
                + " FROM " + VISIBLE_EVENTS + " e LEFT JOIN " + LINKED + " l USING (visitor_id)"
                + " WHERE e.pixel = ? AND e.time >= ? AND e.time < ? AND " + PEOPLE, t.pixel(), time(from), time(to));
        starts(sql, t.pixel(), t.when(), from, to);
        sql.add("), goals AS (" + reachedAt(), t.pixel(), t.pattern().unlessGoal(), time(from),
                time(to.plus(t.pattern().after())));
        sql.add(") SELECT s.seq FROM starts s WHERE NOT EXISTS (SELECT 1 FROM goals g WHERE g.person = s.person"
                + " AND epoch_ms(g.time) >= epoch_ms(s.time) AND epoch_ms(g.time) <= epoch_ms(s.time) + ?)"
                + " ORDER BY s.time, s.seq LIMIT ?", waitMillis, max);
        bySeq(sql, t, from, to, max, each);
    }

    /** The people who reached a goal in a window (with the time each time), as SQL with 4 parameters. */
    private static String reachedAt() {
        return "SELECT a.time, coalesce(l.customer_id, 'v:' || a.visitor_id) AS person FROM " + VISIBLE_ACHIEVEMENTS + " a"
                + " LEFT JOIN " + LINKED + " l USING (visitor_id) WHERE a.pixel = ? AND a.goal_id = ? AND a.time > ? AND a.time <= ?"
                + " AND a.visitor_id IS NOT NULL";
    }

    private static String reached() {
        return "SELECT person FROM (" + reachedAt() + ")";
    }

    /** The pattern query's seqs, then those events read as {@link #replay} reads them. */
    private void bySeq(Sql seqs, Trigger t, Instant from, Instant to, int max, Consumer<Replayed> each) {
        List<Long> found = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = seqs.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot judge pattern trigger " + t.id() + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            return;
        }
        StringBuilder list = new StringBuilder();
        for (long seq : found) {
            list.append(list.length() == 0 ? "" : ",").append(seq);
        }
        Sql sql = new Sql("SELECT " + COLUMNS + " FROM " + VISIBLE_EVENTS + " e LEFT JOIN " + LINKED + " l USING (visitor_id)"
                + " LEFT JOIN customers k ON k.id = l.customer_id WHERE e.pixel = ? AND e.seq IN (SELECT CAST(unnest(string_split(?, ','))"
                + " AS BIGINT)) ORDER BY e.time, e.seq", t.pixel(), list.toString());
        read(sql, t.pixel(), t.when(), from.minus(t.pattern().within() == null ? java.time.Duration.ZERO : t.pattern().within()),
                to, max, each);
    }

    private int read(Sql sql, String pixel, When when, Instant from, Instant to, int max, Consumer<Replayed> each) {
        int read = 0;
        try (Connection c = database.connect()) {
            Map<Long, List<Achievement>> achieved = when.kind() == When.Kind.GOAL
                    ? achievements(c, pixel, when.target(), from, to, max) : Map.of();
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    long seq = rs.getLong(1);
                    Customer customer = rs.getString(CUSTOMER_AT) == null ? null : DuckDbCustomerRepository.customerAt(rs, CUSTOMER_AT);
                    each.accept(new Replayed(event(rs, pixel), achieved.getOrDefault(seq, List.of()), customer,
                            rs.getBoolean(19), Long.toString(seq)));
                }
            }
            return read;
        } catch (SQLException e) {
            throw new StoreException("cannot read history for triggers: " + e.getMessage(), e);
        }
    }

    /** Narrows {@code e} to the events that may start {@code when}. */
    private static void starts(Sql sql, String pixel, When when, Instant from, Instant to) {
        switch (when.kind()) {
            case GOAL -> {
                sql.add(" AND e.seq IN (SELECT seq FROM " + VISIBLE_ACHIEVEMENTS + " WHERE pixel = ? AND goal_id = ?"
                        + " AND time >= ? AND time <= ?", pixel, when.target(), time(from), time(to));
                if (when.minValue() != null) {
                    sql.add(" AND value >= ?", when.minValue());
                }
                if (when.currency() != null) {
                    sql.add(" AND currency = ?", when.currency());
                }
                sql.add(")");
            }
            case EVENT -> sql.add(" AND e.kind IN ('event', 'goal') AND e.name LIKE ? ESCAPE '\\'", like(when.target()));
            case PAGE -> sql.add(" AND e.kind = 'page_view' AND e.path LIKE ? ESCAPE '\\'", like(when.target()));
            case RECOGNISED -> sql.add(" AND l.first_seen = e.time");
        }
    }

    private static Event event(ResultSet rs, String pixel) throws SQLException {
        Hit hit = Hit.of(rs.getLong(2), HitKind.fromWireName(rs.getString(3)), pixel).name(rs.getString(4))
                .page(new Hit.Page(rs.getString(5), null, rs.getString(6)))
                .client(new Hit.Client(null, null, null, rs.getString(18), null, null, null)).build();
        return new Event(hit, rs.getString(7), null,
                new GeoLocation(rs.getString(8), rs.getString(9), rs.getString(10), null, null, null, null),
                new Device(rs.getString(11), null, rs.getString(12), null, rs.getString(13), null, false),
                new TrafficSource(rs.getString(14), rs.getString(15), null, null, rs.getString(17), rs.getString(16),
                        null, null, null, null),
                null, null, null, null, TrafficQuality.HUMAN);
    }

    /** The goal's achievements in the window by their event's seq (one query, at most max). */
    private static Map<Long, List<Achievement>> achievements(Connection c, String pixel, String goal, Instant from, Instant to,
                                                             int max) throws SQLException {
        Map<Long, List<Achievement>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, goal_id, goal_version, value, currency FROM "
                + VISIBLE_ACHIEVEMENTS + " WHERE pixel = ? AND goal_id = ? AND time >= ? AND time <= ? ORDER BY time, seq LIMIT ?")) {
            ps.setString(1, pixel);
            ps.setString(2, goal);
            ps.setObject(3, time(from));
            ps.setObject(4, time(to));
            ps.setInt(5, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal value = rs.getBigDecimal(4);
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Achievement(0, rs.getString(2), rs.getInt(3), value, rs.getString(5)));
                }
            }
        }
        return out;
    }

    private static LocalDateTime time(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** A glob ("*" any run) as a LIKE pattern, its own % and _ escaped. */
    static String like(String glob) {
        return glob.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
    }

    /** SQL text with its parameters in order. */
    private static final class Sql {
        private final StringBuilder text;
        private final List<Object> params = new ArrayList<>();

        Sql(String text, Object... params) {
            this.text = new StringBuilder(text);
            this.params.addAll(List.of(params));
        }

        void add(String more, Object... moreParams) {
            text.append(more);
            params.addAll(List.of(moreParams));
        }

        PreparedStatement prepare(Connection c) throws SQLException {
            PreparedStatement ps = c.prepareStatement(text.toString());
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return ps;
        }
    }
}
