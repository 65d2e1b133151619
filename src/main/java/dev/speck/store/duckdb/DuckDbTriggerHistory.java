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
 * A pixel's stored people's events read back for a trigger's dry run, with their achievements and
 * customers. The start of the rule is filtered in SQL (a goal's achievements, an event's name, page
 * views' paths) so a dry run over a busy week reads only what may fire; the rule itself is judged by
 * the caller.
 */
public final class DuckDbTriggerHistory implements TriggerHistory {

    private final DuckDbDatabase database;

    public DuckDbTriggerHistory(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public int replay(String pixel, When when, Instant from, Instant to, int max, Consumer<Replayed> each) {
        String start = switch (when.kind()) {
            case GOAL -> " AND e.seq IN (SELECT seq FROM " + VISIBLE_ACHIEVEMENTS + " WHERE pixel = ? AND goal_id = ?"
                    + " AND time >= ? AND time < ?)";
            case EVENT -> " AND e.kind IN ('event', 'goal') AND e.name LIKE ? ESCAPE '\\'";
            case PAGE -> " AND e.kind = 'page_view' AND e.path LIKE ? ESCAPE '\\'";
            case RECOGNISED -> " AND l.first_seen = e.time";
        };
        String sql = "SELECT e.seq, epoch_ms(e.time), e.kind, e.name, e.url, e.title, e.visitor_id, e.country, e.region, e.city,"
                + " e.device_class, e.browser, e.os, e.channel, e.source, e.utm_campaign, e.utm_medium, e.language,"
                + " l.first_seen IS NOT NULL AND l.first_seen = e.time, "
                + DuckDbCustomerRepository.COLUMNS.replaceAll("(\\w+)", "k.$1")
                + " FROM " + VISIBLE_EVENTS + " e"
                + " LEFT JOIN (SELECT visitor_id, arg_max(customer_id, first_seen) AS customer_id, max(first_seen) AS first_seen"
                + "   FROM identity_links GROUP BY visitor_id) l ON l.visitor_id = e.visitor_id"
                + " LEFT JOIN customers k ON k.id = l.customer_id"
                + " WHERE e.pixel = ? AND e.time >= ? AND e.time < ? AND e.visitor_id IS NOT NULL AND "
                + TrafficSql.VERDICT.replace("verdict", "e.verdict").replace("is_bot", "e.is_bot") + " = 'human'"
                + start + " ORDER BY e.time, e.seq LIMIT ?";
        int read = 0;
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, pixel);
            ps.setObject(i++, LocalDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(i++, LocalDateTime.ofInstant(to, ZoneOffset.UTC));
            switch (when.kind()) {
                case GOAL -> {
                    ps.setString(i++, pixel);
                    ps.setString(i++, when.target());
                    ps.setObject(i++, LocalDateTime.ofInstant(from, ZoneOffset.UTC));
                    ps.setObject(i++, LocalDateTime.ofInstant(to, ZoneOffset.UTC));
                }
                case EVENT, PAGE -> ps.setString(i++, like(when.target()));
                case RECOGNISED -> { }
            }
            ps.setInt(i, max);
            Map<Long, List<Achievement>> achieved = when.kind() == When.Kind.GOAL
                    ? achievements(c, pixel, when.target(), from, to, max) : Map.of();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    long seq = rs.getLong(1);
                    Customer customer = rs.getString(20) == null ? null : DuckDbCustomerRepository.customerAt(rs, 20);
                    each.accept(new Replayed(event(rs, pixel), achieved.getOrDefault(seq, List.of()),
                            customer, rs.getBoolean(19), Long.toString(seq)));
                }
            }
            return read;
        } catch (SQLException e) {
            throw new StoreException("cannot read history for a dry run: " + e.getMessage(), e);
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
                + VISIBLE_ACHIEVEMENTS + " WHERE pixel = ? AND goal_id = ? AND time >= ? AND time < ? ORDER BY time, seq LIMIT ?")) {
            ps.setString(1, pixel);
            ps.setString(2, goal);
            ps.setObject(3, LocalDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(4, LocalDateTime.ofInstant(to, ZoneOffset.UTC));
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

    /** A glob ("*" any run) as a LIKE pattern, its own % and _ escaped. */
    static String like(String glob) {
        return glob.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
    }
}
