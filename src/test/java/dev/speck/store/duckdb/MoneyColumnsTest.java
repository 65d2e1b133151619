package dev.speck.store.duckdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MoneyColumnsTest {

    @TempDir
    Path dir;

    /** A store from before values were decimals keeps its values, now exact, and sums them without float noise. */
    @Test
    void aStoreWithDoubleValuesIsConvertedToExactDecimalsAtOpen() throws Exception {
        DuckDbDatabase.open(dir, "64MB", 1).close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("speck.duckdb"));
             Statement st = c.createStatement()) {
            st.execute("ALTER TABLE events ALTER COLUMN value TYPE DOUBLE");
            st.execute("ALTER TABLE goal_achievements ALTER COLUMN value TYPE DOUBLE");
            st.execute("ALTER TABLE goal_visitor_days ALTER COLUMN value TYPE DOUBLE");
            st.execute("ALTER TABLE goal_visitor_days ALTER COLUMN first_value TYPE DOUBLE");
            for (String v : List.of("0.1", "0.2", "999999999999.64", "-19.99")) {
                st.execute("INSERT INTO events (seq, time, pixel, kind, value) VALUES (" + v.hashCode()
                        + ", TIMESTAMP '2026-01-01 00:00:00', 'p', 'goal', CAST(" + v + " AS DOUBLE))");
            }
        }

        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "64MB", 1); Connection c = db.connect();
             Statement st = c.createStatement()) {
            List<String> types = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name || '.' || column_name || ' ' || data_type FROM duckdb_columns()"
                    + " WHERE database_name = current_database() AND column_name IN ('value', 'first_value') ORDER BY 1")) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            assertThat(types).containsExactly("events.value DECIMAL(18,4)", "goal_achievements.value DECIMAL(18,4)",
                    "goal_visitor_days.first_value DECIMAL(38,4)", "goal_visitor_days.value DECIMAL(38,4)");
            try (ResultSet rs = st.executeQuery("SELECT sum(value) FROM visible.events")) {
                rs.next();
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(new BigDecimal("999999999979.95"));
            }
        }
    }
}
