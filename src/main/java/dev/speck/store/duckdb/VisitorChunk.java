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

/**
 * One of {@code of} disjoint chunks of a report's visitors, by a hash of the visitor id, as
 * {@link DayRollup} rolls a busy day up: a goals report that reads a busy day from its events (today,
 * or a day not rolled up yet) sums each visitor's first channel, source, landing page ... in states
 * DuckDB cannot spill, and failed with its out-of-memory error on 5M events at 256 MB. Every figure
 * of the report adds up over disjoint visitors (visitors, achievers, achievements, values), so the
 * report is read chunk by chunk and the chunks' rows added up ({@link ChunkSums}).
 */
record VisitorChunk(int index, int of) {

    /** All visitors in one query: the report as it always was. */
    static final VisitorChunk ALL = new VisitorChunk(0, 1);

    /**
     * DuckDB memory one visitor of the days read from events takes in a report's queries, per
     * worker thread (a breakdown, a filter, attribution; the rollup's, with all ten columns, is
     * {@link DayRollup#BYTES_PER_VISITOR}). Measured on large-day.sql's 1.2M events (400,000
     * visitors) under a 64 MB limit with 2 threads (16 MB a thread): chunks of 200,000 visitors
     * failed, of 133,000 passed (80-120 bytes a visitor); twice that for a margin.
     */
    static final long BYTES_PER_VISITOR = 200;

    /** The rows of this chunk (NULL visitor ids hash alike, so they stay together); TRUE for ALL. */
    String condition() {
        return of == 1 ? "TRUE" : "hash(visitor_id) % " + of + " = " + index;
    }

    static List<VisitorChunk> all(int of) {
        List<VisitorChunk> chunks = new ArrayList<>(of);
        for (int i = 0; i < of; i++) {
            chunks.add(new VisitorChunk(i, of));
        }
        return chunks;
    }

    /**
     * The chunks a report needs: one when every day is rolled up (visitor_days holds one small row
     * per visitor), else as many as the visitors of the days read from events need to fit the share
     * of DuckDB's memory limit a rollup chunk gets.
     */
    static List<VisitorChunk> needed(Connection c, ReportQuery q, RollupCoverage coverage) throws SQLException {
        if (coverage.unrolled().isEmpty()) {
            return List.of(ALL);
        }
        StringBuilder sql = new StringBuilder("SELECT approx_count_distinct(visitor_id), current_setting('memory_limit'),"
                + " current_setting('threads') FROM " + VISIBLE_EVENTS + " WHERE pixel = ? AND (");
        String glue = "";
        for (int i = 0; i < coverage.unrolled().size(); i++) {
            sql.append(glue).append("(time >= ? AND time < ?)");
            glue = " OR ";
        }
        sql.append(")").append(TrafficSql.and(q.traffic()));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, q.pixel());
            for (LocalDate[] r : coverage.unrolled()) {
                ps.setObject(i++, r[0].atStartOfDay());
                ps.setObject(i++, r[1].plusDays(1).atStartOfDay());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long budget = (long) (DayRollup.bytes(rs.getString(2)) * DayRollup.SHARE / Math.max(1, rs.getInt(3)));
                long bytes = rs.getLong(1) * BYTES_PER_VISITOR;
                int n = (int) Math.max(1, Math.min(DayRollup.MAX_CHUNKS, (bytes + budget - 1) / Math.max(1, budget)));
                return n == 1 ? List.of(ALL) : all(n);
            }
        }
    }
}
