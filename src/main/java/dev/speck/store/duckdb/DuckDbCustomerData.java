package dev.speck.store.duckdb;

import dev.speck.customers.Customer;
import dev.speck.customers.CustomerData;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles, exports and erasure over the events, achievements and rollups of the visitor ids linked
 * to a customer (joined at query time through identity_links), plus the opens and clicks whose
 * recipient token names them. Every value is bound; only fixed SQL text is put together here.
 */
public final class DuckDbCustomerData implements CustomerData {

    private static final int TOP = 20;

    private final DuckDbDatabase database;
    private final DuckDbCustomerRepository customers;

    private static final String VISIBLE_EVENTS = DuckDbDatabase.VISIBLE_EVENTS;
    private static final String VISIBLE_ACHIEVEMENTS = DuckDbDatabase.VISIBLE_ACHIEVEMENTS;

    public DuckDbCustomerData(DuckDbDatabase database, DuckDbCustomerRepository customers) {
        this.database = database;
        this.customers = customers;
    }

    /** A WHERE clause over events and the values it binds. */
    private record Scope(String events, List<Object> params) {

        static Scope of(Customer k) {
            List<String> refs = k.references();
            List<Object> params = new ArrayList<>();
            params.add(k.id());
            params.addAll(refs);
            String marks = String.join(", ", Collections.nCopies(refs.size(), "?"));
            return new Scope("(visitor_id IN (SELECT visitor_id FROM identity_links WHERE customer_id = ?) "
                    + "OR (recipient IS NOT NULL AND recipient IN (" + marks + ")))", params);
        }

        static Scope visitor(String visitorId) {
            return new Scope("(visitor_id = ?)", List.of(visitorId));
        }

        /** Achievements of the scope's events, found in {@code eventsTable}. */
        String achievements(String eventsTable) {
            return "seq IN (SELECT seq FROM " + eventsTable + " WHERE " + events + ")";
        }
    }

    /**
     * Devices, places and zones come from people's hits only: a mail provider's image proxy or a link
     * scanner opening a customer's email is not one of their devices.
     */
    private static final String PEOPLE = " AND " + TrafficSql.HUMAN;

    @Override
    public Map<String, Object> profile(Customer k) {
        Scope s = Scope.of(k);
        String w = " FROM " + VISIBLE_EVENTS + " WHERE " + s.events;
        try (Connection c = database.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> seen = rows(c, "SELECT count(*) AS events, min(time) AS first_seen, max(time) AS last_seen, "
                    + "count(DISTINCT visitor_id) AS visitor_ids" + w, s.params, 1).get(0);
            out.put("events", seen.get("events"));
            out.put("firstSeen", seen.get("first_seen"));
            out.put("lastSeen", seen.get("last_seen"));
            out.put("devices", rows(c, "SELECT device_class AS \"deviceClass\", device_brand AS brand, os, browser, "
                    + "count(*) AS events, max(time) AS \"lastSeen\"" + w + PEOPLE + " GROUP BY ALL ORDER BY events DESC, \"lastSeen\" DESC",
                    s.params, TOP));
            out.put("locations", rows(c, "SELECT country, region, city, count(*) AS events, max(time) AS \"lastSeen\""
                    + w + PEOPLE + " AND country IS NOT NULL GROUP BY ALL ORDER BY events DESC", s.params, TOP));
            out.put("timeZones", rows(c, "SELECT time_zone AS \"timeZone\", count(*) AS events" + w
                    + PEOPLE + " AND time_zone IS NOT NULL GROUP BY ALL ORDER BY events DESC", s.params, TOP));
            out.put("pages", rows(c, "SELECT host, path, arg_max(title, time) AS title, count(*) AS views, "
                    + "max(time) AS \"lastSeen\"" + w + " AND kind = 'page_view' AND path IS NOT NULL "
                    + "GROUP BY host, path ORDER BY views DESC, \"lastSeen\" DESC", s.params, TOP));
            // Interests: the sections of the site (first path segment) they keep coming back to.
            out.put("interests", rows(c, "SELECT '/' || split_part(path, '/', 2) AS section, count(*) AS views"
                    + w + " AND kind = 'page_view' AND path IS NOT NULL GROUP BY section ORDER BY views DESC",
                    s.params, TOP));
            out.put("goals", rows(c, "SELECT a.goal_id AS goal, any_value(g.name) AS name, count(*) AS achievements, "
                    + "sum(a.value) AS value, any_value(a.currency) AS currency, max(a.time) AS \"lastAchieved\" "
                    + "FROM " + VISIBLE_ACHIEVEMENTS + " a LEFT JOIN goals g ON g.id = a.goal_id WHERE a."
                    + s.achievements(VISIBLE_EVENTS)
                    + " GROUP BY a.goal_id ORDER BY \"lastAchieved\" DESC", s.params, TOP));
            out.put("emailOpens", rows(c, "SELECT time, campaign, pixel" + w + " AND kind = 'email_open' ORDER BY time DESC",
                    s.params, 50));
            out.put("linkClicks", rows(c, "SELECT time, link, campaign, url AS destination, pixel" + w
                    + " AND kind = 'link_click' ORDER BY time DESC", s.params, 50));
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the profile of " + k.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Map<String, Object>> events(Customer k, int limit) {
        Scope s = Scope.of(k);
        try (Connection c = database.connect()) {
            return rows(c, "SELECT * EXCLUDE (ip_prefix) FROM " + VISIBLE_EVENTS + " WHERE " + s.events + " ORDER BY seq DESC", s.params, limit);
        } catch (SQLException e) {
            throw new StoreException("cannot read events of " + k.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> exportCustomer(Customer k, int maxEvents) {
        return export(Scope.of(k), maxEvents);
    }

    @Override
    public Map<String, Object> exportVisitor(String visitorId, int maxEvents) {
        Map<String, Object> out = export(Scope.visitor(visitorId), maxEvents);
        try (Connection c = database.connect()) {
            out.put("identityLinks", rows(c, "SELECT * FROM identity_links WHERE visitor_id = ?", List.of(visitorId), 1000));
        } catch (SQLException e) {
            throw new StoreException("cannot export visitor: " + e.getMessage(), e);
        }
        return out;
    }

    private Map<String, Object> export(Scope s, int maxEvents) {
        try (Connection c = database.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            List<Map<String, Object>> events = rows(c, "SELECT * FROM " + VISIBLE_EVENTS + " WHERE " + s.events + " ORDER BY seq",
                    s.params, maxEvents + 1);
            boolean cut = events.size() > maxEvents;
            out.put("events", cut ? events.subList(0, maxEvents) : events);
            out.put("eventsTruncated", cut);
            out.put("goalAchievements", rows(c, "SELECT * FROM " + VISIBLE_ACHIEVEMENTS + " WHERE " + s.achievements(VISIBLE_EVENTS)
                    + " ORDER BY seq", s.params, maxEvents));
            String visitors = "visitor_id IN (SELECT DISTINCT visitor_id FROM " + VISIBLE_EVENTS + " WHERE " + s.events + ")";
            out.put("visitorDays", rows(c, "SELECT * FROM visitor_days WHERE " + visitors + " ORDER BY day", s.params, maxEvents));
            out.put("goalVisitorDays", rows(c, "SELECT * FROM goal_visitor_days WHERE " + visitors + " ORDER BY day",
                    s.params, maxEvents));
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot export: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> eraseCustomer(Customer k) {
        Scope s = Scope.of(k);
        String linked = "visitor_id IN (SELECT visitor_id FROM identity_links WHERE customer_id = ?)";
        List<Object> id = List.of(k.id());
        List<Object> achievementParams = new ArrayList<>(s.params);
        achievementParams.add(k.id());
        return erase(List.of(
                new Delete("goal_achievements", s.achievements("events") + " OR " + linked, achievementParams),
                new Delete("events", s.events, s.params),
                new Delete("visitor_days", linked, id),
                new Delete("goal_visitor_days", linked, id),
                new Delete("identity_links", "customer_id = ? OR " + linked, List.of(k.id(), k.id())),
                new Delete("delivery_attempts", DuckDbOutbox.CUSTOMER_ATTEMPTS, id), // its pending webhooks too
                new Delete("deliveries", DuckDbOutbox.CUSTOMER_DELIVERIES, id),
                new Delete("trigger_firings", "subject = ?", id), // and what their triggers' once-per limits recorded
                new Delete("segment_members", "person = ?", id), // they leave every segment, and later exports
                new Delete("segment_changes", "person = ?", id),
                new Delete("customers", "id = ?", id)), List.of(
                new Delete("goal_achievements", s.achievements(VISIBLE_EVENTS) + " OR " + linked, achievementParams),
                new Delete("events", s.events, s.params)));
    }

    @Override
    public Map<String, Long> eraseVisitor(String visitorId) {
        List<Object> v = List.of(visitorId);
        List<Delete> loaded = List.of(
                new Delete("goal_achievements", "visitor_id = ?", v),
                new Delete("events", "visitor_id = ?", v));
        List<Delete> all = new ArrayList<>(loaded);
        all.addAll(List.of(
                new Delete("visitor_days", "visitor_id = ?", v),
                new Delete("goal_visitor_days", "visitor_id = ?", v),
                new Delete("segment_members", "person = 'v:' || ?", v),
                new Delete("segment_changes", "person = 'v:' || ?", v),
                new Delete("identity_links", "visitor_id = ?", v)));
        return erase(all, loaded);
    }

    private record Delete(String table, String where, List<Object> params) {
    }

    /**
     * In order (identity_links last but one: the earlier deletes find the visitor ids through it), in one
     * transaction, under the customers' write lock so the loader cannot link a visitor meanwhile.
     * A conflict with the rollup's transaction is retried. First {@code loaded}, in the loader's
     * in-memory generations (a transaction of their own: DuckDB writes one database per transaction),
     * while identity_links still tells whose rows they are. All under the store's move lock, so that
     * no move takes a row into the file that the erasure deleted from memory.
     */
    private Map<String, Long> erase(List<Delete> deletes, List<Delete> loaded) {
        synchronized (customers.writeLock()) {
            database.moves().lock();
            try {
                Map<String, Long> counts = eraseLoaded(loaded);
                eraseInFile(deletes).forEach((table, n) -> counts.merge(table, n, Long::sum));
                return counts;
            } finally {
                database.moves().unlock();
            }
        }
    }

    /** Rows the loader committed into memory and no move has taken into the file yet. */
    private Map<String, Long> eraseLoaded(List<Delete> loaded) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = database.connect()) {
            for (Delete d : loaded) {
                for (int generation = 0; generation < 2; generation++) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM "
                            + DuckDbDatabase.loaded(d.table, generation) + " WHERE " + d.where)) {
                        bind(ps, d.params);
                        counts.merge(d.table, (long) ps.executeUpdate(), Long::sum);
                    }
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new StoreException("cannot erase: " + e.getMessage(), e);
        }
    }

    private Map<String, Long> eraseInFile(List<Delete> deletes) {
        SQLException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Connection c = database.connect()) {
                c.setAutoCommit(false);
                try {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (Delete d : deletes) {
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + d.table + " WHERE " + d.where)) {
                            bind(ps, d.params);
                            counts.merge(d.table, (long) ps.executeUpdate(), Long::sum);
                        }
                    }
                    c.commit();
                    return counts;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
            }
        }
        throw new StoreException("cannot erase: " + last.getMessage(), last);
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    /** Rows as column → value maps; times as ISO text, maps and lists as they are. */
    private static List<Map<String, Object>> rows(Connection c, String sql, List<Object> params, int limit)
            throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql + " LIMIT " + Math.max(0, limit))) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), value(rs.getObject(i)));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.time.temporal.TemporalAccessor || v instanceof java.sql.Date) {
            return v.toString();
        }
        if (v instanceof java.sql.Array a) {
            return java.util.Arrays.asList((Object[]) a.getArray());
        }
        if (v instanceof java.math.BigDecimal) {
            return v; // a value (money): exact, written plainly by the API
        }
        if (v instanceof java.math.BigInteger) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Map<?, ?> || v instanceof Number || v instanceof Boolean || v instanceof String || v == null) {
            return v;
        }
        return v.toString();
    }
}
