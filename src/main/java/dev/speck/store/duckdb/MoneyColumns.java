package dev.speck.store.duckdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;

/**
 * Values are exact decimals in the store: {@code DECIMAL(18,4)} for one value (at most 1e12, to
 * 4 places, as the collector takes them) and {@code DECIMAL(38,4)} for the rollup's sums, so a
 * report's total is exact (999999999999.94, never 9.99999999994E11 or ...0.9400000001). Stores
 * made while values were DOUBLE are converted once, at open, before the in-memory tables copy
 * the file's columns; a double rounds to the 4 places it was sent with.
 */
final class MoneyColumns {

    static final int SCALE = 4;
    private static final Logger LOG = Logger.getLogger(MoneyColumns.class.getName());

    private record Column(String table, String column, String type) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("events", "value", "DECIMAL(18,4)"),
            new Column("goal_achievements", "value", "DECIMAL(18,4)"),
            new Column("goal_visitor_days", "value", "DECIMAL(38,4)"),
            new Column("goal_visitor_days", "first_value", "DECIMAL(38,4)"));

    private MoneyColumns() {
    }

    /** Converts each column still of another type; a no-op on a store that has them (every start after the first). */
    static void migrate(Statement st) throws SQLException {
        for (Column c : COLUMNS) {
            String type;
            try (ResultSet rs = st.executeQuery("SELECT data_type FROM duckdb_columns() WHERE database_name = current_database()"
                    + " AND schema_name = 'main' AND table_name = '" + c.table() + "' AND column_name = '" + c.column() + "'")) {
                type = rs.next() ? rs.getString(1) : null;
            }
            if (type != null && !type.equalsIgnoreCase(c.type())) {
                LOG.info("store: " + c.table() + "." + c.column() + " from " + type + " to " + c.type() + " (exact values)");
                st.execute("ALTER TABLE " + c.table() + " ALTER COLUMN " + c.column() + " TYPE " + c.type()
                        + " USING round(" + c.column() + ", " + SCALE + ")");
            }
        }
    }
}
