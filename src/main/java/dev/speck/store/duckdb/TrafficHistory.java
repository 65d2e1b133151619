package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.enrich.Device;
import dev.speck.enrich.TrafficClassifier;
import dev.speck.enrich.TrafficQuality;
import dev.speck.enrich.TrafficRule;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings stored events in line with an admin's traffic rules, on a thread of its own: the rows a
 * new rule matches get its verdict; the rows a removed rule had judged are judged again from what is
 * stored (user agent, device class, kind, name). The days touched leave the rollups at once (reports
 * read their events meanwhile) and are rolled up again.
 */
public final class TrafficHistory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrafficHistory.class.getName());

    private final DuckDbDatabase database;
    private final VisitorRollup rollup;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("speck-reclassify").daemon().factory());
    private final AtomicLong done = new AtomicLong();

    public TrafficHistory(DuckDbDatabase database, VisitorRollup rollup) {
        this.database = database;
        this.rollup = rollup;
    }

    /** A new rule (the first in force): stored rows it matches take its verdict. */
    public void ruleAdded(TrafficRule rule) {
        worker.execute(() -> run("apply rule " + rule.id(), () -> apply(rule)));
    }

    /** A rule gone: rows it judged are judged again by the rules that remain and the classifier. */
    public void ruleRemoved(TrafficRule rule, List<TrafficRule> remaining) {
        worker.execute(() -> run("withdraw rule " + rule.id(), () -> withdraw(rule, remaining)));
    }

    /** How many changes have been carried into stored history since start. */
    public long completed() {
        return done.get();
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void run(String what, Work work) {
        try {
            work.run();
            rollup.runOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "reclassification failed (" + what + "); stored verdicts stay as they were", e);
        } finally {
            done.incrementAndGet();
        }
    }

    private void apply(TrafficRule rule) throws SQLException {
        try (Connection c = database.connect()) {
            List<Object> binds = new ArrayList<>();
            String where = switch (rule.kind()) {
                case AGENT -> {
                    binds.add(rule.pattern().toLowerCase(Locale.ROOT));
                    yield "contains(lower(user_agent), ?)";
                }
                case AGENT_REGEX -> {
                    binds.add(rule.pattern());
                    yield "regexp_matches(user_agent, ?)";
                }
                case ADDRESS -> addresses(c, rule, binds);
            };
            update(c, where, binds, rule.verdict().wireName(), rule.reason());
        }
    }

    /** The stored addresses a range matches, as a condition; matched in Java (DuckDB has no CIDR type here). */
    private static String addresses(Connection c, TrafficRule rule, List<Object> binds) throws SQLException {
        List<String> prefixes = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT raw_ip, ip_prefix FROM " + VISIBLE_EVENTS
                + " WHERE ip_prefix IS NOT NULL OR raw_ip IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String rawIp = rs.getString(1);
                if (rule.matchesStored(rawIp, rs.getString(2))) {
                    (rawIp != null ? raw : prefixes).add(rawIp != null ? rawIp : rs.getString(2));
                }
            }
        }
        if (prefixes.isEmpty() && raw.isEmpty()) {
            return "FALSE";
        }
        binds.addAll(prefixes);
        binds.addAll(raw);
        return "((raw_ip IS NULL AND ip_prefix IN (" + marks(prefixes.size()) + ")) OR raw_ip IN (" + marks(raw.size()) + "))";
    }

    private static String marks(int n) {
        return n == 0 ? "NULL" : String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private void withdraw(TrafficRule rule, List<TrafficRule> remaining) throws SQLException {
        TrafficClassifier classifier = new TrafficClassifier(1_000);
        classifier.useRules(remaining);
        try (Connection c = database.connect()) {
            List<Object[]> kinds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT user_agent, device_class, kind, name FROM "
                    + VISIBLE_EVENTS + " WHERE verdict_reasons = ?")) {
                ps.setString(1, rule.reason());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        kinds.add(new Object[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
            }
            for (Object[] k : kinds) {
                HitKind kind = HitKind.fromWireName((String) k[2]);
                Hit hit = Hit.of(0, kind == null ? HitKind.PAGE_VIEW : kind, "").name((String) k[3])
                        .client(new Hit.Client(null, (String) k[0])).build();
                Device device = new Device(k[1] == null ? "Unknown" : (String) k[1], null, null, null, null, null, false);
                TrafficQuality q = classifier.classify(hit, device);
                List<Object> binds = new ArrayList<>(List.of(rule.reason(), k[0] == null ? "" : k[0], k[1] == null ? "" : k[1],
                        k[2], k[3] == null ? "" : k[3]));
                update(c, "verdict_reasons = ? AND coalesce(user_agent, '') = ? AND coalesce(device_class, '') = ?"
                        + " AND kind = ? AND coalesce(name, '') = ?", binds, q.verdict().wireName(), q.reasonText());
            }
        }
    }

    /** Sets the verdict of the rows matching, in the file and in the loader's generations; their days roll again. */
    private void update(Connection c, String where, List<Object> binds, String verdict, String reasons) throws SQLException {
        List<Object[]> days = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT pixel, CAST(time AS DATE) FROM " + VISIBLE_EVENTS
                + " WHERE " + where)) {
            bind(ps, 1, binds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(new Object[]{rs.getString(1), rs.getObject(2, LocalDate.class)});
                }
            }
        }
        if (days.isEmpty()) {
            return;
        }
        try (DuckDbDatabase.Lease writing = database.writing()) {
            set(c, "events", where, binds, verdict, reasons);
            // rows still in the loader's in-memory generations, under the move lock so that a move
            // does not carry a row's old verdict into the file after this changed it (as RetentionJob)
            database.moves().lock();
            try {
                for (int generation = 0; generation < 2; generation++) {
                    set(c, DuckDbDatabase.loaded("events", generation), where, binds, verdict, reasons);
                }
            } finally {
                database.moves().unlock();
            }
            try (PreparedStatement unroll = c.prepareStatement("DELETE FROM rolled_days WHERE pixel = ? AND day = ?");
                 PreparedStatement pend = c.prepareStatement("INSERT INTO rollup_pending (pixel, day) VALUES (?, ?)")) {
                for (Object[] d : days) {
                    unroll.setString(1, (String) d[0]);
                    unroll.setObject(2, d[1]);
                    unroll.executeUpdate();
                    pend.setString(1, (String) d[0]);
                    pend.setObject(2, d[1]);
                    pend.executeUpdate();
                }
            }
        }
    }

    private static void set(Connection c, String table, String where, List<Object> binds, String verdict, String reasons)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET verdict = ?, verdict_reasons = ? WHERE " + where)) {
            ps.setString(1, verdict);
            ps.setString(2, reasons);
            bind(ps, 3, binds);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, int first, List<Object> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            ps.setObject(first + i, binds.get(i));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
