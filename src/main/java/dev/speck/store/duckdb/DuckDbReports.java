package dev.speck.store.duckdb;

import static dev.speck.store.duckdb.DuckDbDatabase.VISIBLE_EVENTS;

import dev.speck.report.DailyCount;
import dev.speck.report.HourlyCount;
import dev.speck.report.Reports;
import dev.speck.report.Traffic;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read API's queries on DuckDB. Every parameter is bound, never spliced into SQL. */
public final class DuckDbReports implements Reports {

    private final DuckDbDatabase database;

    public DuckDbReports(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public List<DailyCount> daily(String pixel, LocalDate from, LocalDate to, Traffic traffic) {
        return perRange("SELECT CAST(time AS DATE) AS day, count(*), count(DISTINCT visitor_id) FROM " + VISIBLE_EVENTS + " "
                        + "WHERE pixel = ? AND time >= ? AND time < ?" + TrafficSql.and(traffic) + " GROUP BY day ORDER BY day",
                pixel, from, to, "daily counts",
                rs -> new DailyCount(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3)));
    }

    @Override
    public List<HourlyCount> hours(String pixel, LocalDate from, LocalDate to, Traffic traffic) {
        return perRange("SELECT local_hour, count(*), count(DISTINCT visitor_id) FROM " + VISIBLE_EVENTS + " "
                        + "WHERE pixel = ? AND time >= ? AND time < ? AND local_hour IS NOT NULL" + TrafficSql.and(traffic) + " "
                        + "GROUP BY local_hour ORDER BY local_hour",
                pixel, from, to, "hourly counts", rs -> new HourlyCount(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
    }

    /** A row mapper that may throw, as ResultSet getters do. */
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs a query over one pixel's events from {@code from} to {@code to} inclusive (UTC days). */
    private <T> List<T> perRange(String sql, String pixel, LocalDate from, LocalDate to, String what, Row<T> row) {
        List<T> out = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pixel);
            ps.setObject(2, from.atStartOfDay());
            ps.setObject(3, to.plusDays(1).atStartOfDay());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<Map<String, Object>> events(String pixel, Long beforeSeq, int limit) {
        String sql = "SELECT * FROM " + VISIBLE_EVENTS + " WHERE pixel = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pixel);
            ps.setLong(2, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof Timestamp ts) {
                            v = ts.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
                        } else if (v instanceof java.time.LocalDateTime ldt) {
                            v = ldt.toInstant(ZoneOffset.UTC).toString();
                        }
                        if (v != null) {
                            row.put(md.getColumnLabel(i), v);
                        }
                    }
                    out.add(row);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event listing failed: " + e.getMessage(), e);
        }
        return out;
    }
}
