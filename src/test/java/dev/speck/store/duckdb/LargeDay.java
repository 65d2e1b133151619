package dev.speck.store.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;

/** Fills one pixel's UTC day with many synthetic hits, straight into the store (large-day.sql). */
final class LargeDay {

    private LargeDay() {
    }

    /** Stores {@code events} hits for the pixel on the day, with seqs after those stored; returns the last seq. */
    static long fill(DuckDbDatabase db, String pixel, LocalDate day, long events) {
        String sql;
        try (InputStream in = LargeDay.class.getResourceAsStream("large-day.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            long seq0;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM " + DuckDbDatabase.VISIBLE_EVENTS)) {
                rs.next();
                seq0 = rs.getLong(1);
            }
            Map<String, String> values = Map.of("events", Long.toString(events), "seq0", Long.toString(seq0),
                    "day", day.toString(), "pixel", pixel);
            for (var v : values.entrySet()) {
                sql = sql.replace("${" + v.getKey() + "}", v.getValue());
            }
            for (String statement : sql.replaceAll("(?m)--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
            st.execute("CHECKPOINT");
            return seq0 + events;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill a large day: " + e.getMessage(), e);
        }
    }
}
