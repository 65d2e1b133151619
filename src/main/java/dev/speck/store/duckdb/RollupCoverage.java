package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.ReportQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Which days of a report visitor_days answers (rolled up, no newer events), and which the events must. */
record RollupCoverage(List<LocalDate[]> rolled, List<LocalDate[]> unrolled) {

    static RollupCoverage of(Connection c, ReportQuery q) throws SQLException {
        if (q.traffic() != dev.speck.report.Traffic.HUMAN) {
            // the rollups hold people only: other traffic is read from the events
            return new RollupCoverage(List.of(), List.<LocalDate[]>of(new LocalDate[]{q.from(), q.to()}));
        }
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
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT CAST(time AS DATE) FROM " + VISIBLE_EVENTS + " "
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
        return new RollupCoverage(yes, no);
    }
}
