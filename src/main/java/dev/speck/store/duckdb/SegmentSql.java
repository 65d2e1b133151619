package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_ACHIEVEMENTS;
import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.segments.Criterion;
import dev.speck.segments.SegmentRule;
import dev.speck.triggers.Condition;
import dev.speck.triggers.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rule segment as one query: the people who belong to it as of a moment, judged wholly in SQL so
 * that a backfill over millions of people never passes them through the JVM. Each person's counts
 * come from one pass over the window's events (and their achievements); the conditions read the
 * person's latest hit in the window and their customer record.
 */
final class SegmentSql {

    /** Each visitor's customer: the link made last (as triggers judge people). */
    static final String LINKED = "(SELECT visitor_id, arg_max(customer_id, first_seen) AS customer_id"
            + " FROM identity_links GROUP BY visitor_id)";
    private static final String PEOPLE = TrafficSql.VERDICT.replace("verdict", "e.verdict").replace("is_bot", "e.is_bot")
            + " = 'human' AND e.visitor_id IS NOT NULL";
    /** The events column of each condition field. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(Map.entry("country", "country"),
            Map.entry("region", "region"), Map.entry("city", "city"), Map.entry("device", "device_class"),
            Map.entry("browser", "browser"), Map.entry("os", "os"), Map.entry("channel", "channel"),
            Map.entry("source", "source"), Map.entry("campaign", "utm_campaign"), Map.entry("medium", "utm_medium"),
            Map.entry("path", "path"), Map.entry("host", "host"), Map.entry("language", "language"));

    /** Every condition field, in the order the live run's prepared events hold them (as f_<field>). */
    static final List<String> FIELDS = List.copyOf(new java.util.TreeMap<>(COLUMNS).keySet());

    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private SegmentSql() {
    }

    /** The tables a live run reads its candidates' rows from once (see {@link #prepareEvents}), judged in the JVM. */
    static final String EVENTS = "seg_events";
    static final String ACHIEVEMENTS = "seg_achievements";

    /** SELECT person FROM the people who belong to the rule's segment at {@code now}, over the whole store: a backfill. */
    static SegmentSql members(String pixel, SegmentRule rule, Instant now) {
        SegmentSql q = new SegmentSql();
        List<String> fields = rule.hitFields();
        StringBuilder cols = new StringBuilder();
        for (String f : fields) {
            cols.append(", e.").append(COLUMNS.get(f)).append(" AS f_").append(f);
        }
        q.add("WITH linked AS " + LINKED + ", ev AS (SELECT e.seq, e.time, e.kind, e.name, e.path" + cols
                + ", coalesce(l.customer_id, 'v:' || e.visitor_id) AS person FROM " + VISIBLE_EVENTS
                + " e LEFT JOIN linked l USING (visitor_id) WHERE e.pixel = ? AND e.time > ? AND e.time <= ? AND " + PEOPLE,
                pixel, time(now.minus(Duration.ofDays(rule.days()))), time(now));
        q.add("), people AS (SELECT person");
        for (String f : fields) {
            q.add(", arg_max(f_" + f + ", " + VisitorRollup.ORDER + ") AS f_" + f);
        }
        List<Criterion> criteria = rule.criteria();
        boolean goals = false;
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            if (c.did() == Criterion.Did.GOAL) {
                goals = true;
                continue;
            }
            q.add(", count(*) FILTER (WHERE " + (c.did() == Criterion.Did.PAGE ? "kind = 'page_view' AND path" : "kind IN ('event', 'goal') AND name")
                    + " LIKE ? ESCAPE '\\' AND time > ?) AS c" + i, like(c.target()), since(now, c));
        }
        q.add(" FROM ev GROUP BY person)");
        if (goals) {
            q.add(", goals AS (SELECT ev.person");
            for (int i = 0; i < criteria.size(); i++) {
                Criterion c = criteria.get(i);
                if (c.did() == Criterion.Did.GOAL) {
                    StringBuilder filter = new StringBuilder(" FILTER (WHERE a.time > ?");
                    List<Object> fp = new ArrayList<>(List.of(since(now, c)));
                    if (!"*".equals(c.target())) {
                        filter.append(" AND a.goal_id = ?");
                        fp.add(c.target());
                    }
                    if (c.minValue() != null) {
                        filter.append(" AND a.value >= ?");
                        fp.add(c.minValue());
                    }
                    if (c.currency() != null) {
                        filter.append(" AND a.currency = ?");
                        fp.add(c.currency());
                    }
                    filter.append(")");
                    q.add(", count(*)" + filter + " AS c" + i, fp.toArray());
                    q.add(", sum(a.value)" + filter + " AS s" + i, fp.toArray());
                }
            }
            q.add(" FROM " + VISIBLE_ACHIEVEMENTS + " a JOIN ev ON a.seq = ev.seq WHERE a.pixel = ? GROUP BY ev.person)", pixel);
        }
        q.add(" SELECT p.person FROM people p" + (goals ? " LEFT JOIN goals g USING (person)" : "")
                + " LEFT JOIN customers k ON k.id = p.person WHERE true");
        if (rule.who() == Trigger.Who.CUSTOMERS) {
            q.add(" AND k.id IS NOT NULL");
        }
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            String count = "coalesce(" + (c.did() == Criterion.Did.GOAL ? "g" : "p") + ".c" + i + ", 0)";
            StringBuilder did = new StringBuilder(count + " >= ?");
            List<Object> dp = new ArrayList<>(List.of(c.times()));
            if (c.total() != null) {
                did.append(" AND coalesce(g.s").append(i).append(", 0) >= ?");
                dp.add(c.total());
            }
            q.add(c.negated() ? " AND NOT (" + did + ")" : " AND (" + did + ")", dp.toArray());
        }
        for (Condition c : rule.conditions()) {
            condition(q, c);
        }
        return q;
    }

    /**
     * CREATE the live run's {@link #EVENTS}: the stored people's events of the last {@code days} of
     * every person of the candidate visitors (all their linked visitors), each with its person and
     * every condition field, so that each segment's query reads this small table, not the store.
     */
    static SegmentSql prepareEvents(String pixel, String candidates, Instant now, int days) {
        StringBuilder cols = new StringBuilder();
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(COLUMNS).entrySet()) {
            cols.append(", e.").append(f.getValue()).append(" AS f_").append(f.getKey());
        }
        SegmentSql q = new SegmentSql();
        q.add("CREATE OR REPLACE TEMP TABLE " + EVENTS + " AS WITH linked AS " + LINKED + ", " + candidatePeople(candidates)
                + ", candv AS (SELECT visitor_id FROM " + candidates
                + " UNION SELECT l.visitor_id FROM linked l JOIN candp p ON p.person = l.customer_id)"
                + " SELECT e.seq, e.time, e.kind, e.name, e.path" + cols + ", coalesce(l.customer_id, 'v:' || e.visitor_id) AS person"
                + " FROM " + VISIBLE_EVENTS + " e LEFT JOIN linked l USING (visitor_id) WHERE e.pixel = ? AND e.time > ? AND e.time <= ?"
                + " AND " + PEOPLE + " AND e.visitor_id IN (SELECT visitor_id FROM candv)",
                pixel, time(now.minus(Duration.ofDays(days))), time(now));
        return q;
    }

    /** CREATE the live run's {@link #ACHIEVEMENTS}: the achievements of {@link #EVENTS}. */
    static SegmentSql prepareAchievements(String pixel, Instant now, int days) {
        SegmentSql q = new SegmentSql();
        q.add("CREATE OR REPLACE TEMP TABLE " + ACHIEVEMENTS + " AS SELECT a.seq, a.time, a.goal_id, a.value, a.currency FROM "
                + VISIBLE_ACHIEVEMENTS + " a WHERE a.pixel = ? AND a.time > ? AND a.time <= ? AND a.seq IN (SELECT seq FROM "
                + EVENTS + ")", pixel, time(now.minus(Duration.ofDays(days))), time(now));
        return q;
    }

    /**
     * candp: the people of the candidate visitors: the customer each belongs to, every customer
     * ever linked to one (a visitor linked again to another customer leaves the first one's
     * history), and the visitor itself.
     */
    static String candidatePeople(String candidates) {
        return "candp AS (SELECT DISTINCT coalesce(l.customer_id, 'v:' || c.visitor_id) AS person FROM " + candidates
                + " c LEFT JOIN linked l USING (visitor_id) UNION SELECT customer_id FROM identity_links"
                + " WHERE visitor_id IN (SELECT visitor_id FROM " + candidates + "))";
    }

    private static void condition(SegmentSql q, Condition c) {
        String value;
        Object[] valueParams = {};
        if (c.field().startsWith(Condition.CUSTOMER_PREFIX)) {
            String attribute = c.field().substring(Condition.CUSTOMER_PREFIX.length());
            switch (attribute) {
                case "email" -> value = "k.email";
                case "external_id" -> value = "k.external_id";
                case "name" -> value = "k.name";
                default -> {
                    value = "json_extract_string(k.attributes, ?)";
                    valueParams = new Object[]{"$.\"" + attribute.replace("\\", "\\\\").replace("\"", "\\\"") + "\""};
                }
            }
        } else {
            value = "p.f_" + c.field();
        }
        String lower = "lower(" + value + ")";
        switch (c.op()) {
            case IS, IN -> q.add(" AND " + lower + " IN (" + marks(c.values().size()) + ")", concat(valueParams, c.values()));
            case IS_NOT, NOT_IN -> {
                q.add(" AND (" + value + " IS NULL", valueParams);
                q.add(" OR " + lower + " NOT IN (" + marks(c.values().size()) + "))", concat(valueParams, c.values()));
            }
            case CONTAINS -> q.add(" AND contains(" + lower + ", ?)", concat(valueParams, c.values()));
            case STARTS_WITH -> q.add(" AND starts_with(" + lower + ", ?)", concat(valueParams, c.values()));
        }
    }

    private static Object[] concat(Object[] first, List<String> rest) {
        List<Object> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all.toArray();
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static LocalDateTime since(Instant now, Criterion c) {
        return time(now.minus(Duration.ofDays(c.days())));
    }

    static LocalDateTime time(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** A glob ("*" any run) as a LIKE pattern, its own % and _ escaped. */
    static String like(String glob) {
        return DuckDbTriggerHistory.like(glob);
    }

    /** {@code prefix} followed by {@code q}, with q's parameters. */
    static SegmentSql wrap(String prefix, SegmentSql q) {
        SegmentSql out = new SegmentSql();
        out.add(prefix + q.text, q.params.toArray());
        return out;
    }

    /** {@code a}, then {@code glue}, then {@code b}, with both's parameters in order. */
    static SegmentSql join(SegmentSql a, String glue, SegmentSql b) {
        SegmentSql out = new SegmentSql();
        out.add(a.text + glue + b.text, a.params.toArray());
        out.params.addAll(b.params);
        return out;
    }

    void add(String more, Object... moreParams) {
        text.append(more);
        params.addAll(List.of(moreParams));
    }

    String text() {
        return text.toString();
    }

    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(text.toString());
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }
}
