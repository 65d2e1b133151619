package dev.speck.store.duckdb;

import dev.speck.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A consistent copy of the store's file into a new DuckDB file while Speck serves: DuckDB's
 * {@code COPY FROM DATABASE} reads one snapshot of every table. The rows the loader holds in memory
 * (the visible generations) are not in it: their journal positions are not saved in the file either,
 * so the journal copied beside it replays them, as after a crash.
 */
public final class StoreSnapshot {

    private StoreSnapshot() {
    }

    /** Copies the stored tables into {@code target} (which must not exist yet). */
    public static void copy(DuckDbDatabase database, Path target) {
        if (Files.exists(target)) {
            throw new StoreException("the backup file " + target + " exists already", null);
        }
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            String stored;
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                stored = quoteName(rs.getString(1));
            }
            st.execute("ATTACH '" + target.toAbsolutePath().toString().replace("'", "''") + "' AS speck_backup");
            try {
                st.execute("COPY FROM DATABASE " + stored + " TO speck_backup");
            } finally {
                st.execute("DETACH speck_backup");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot copy the store to " + target + ": " + e.getMessage(), e);
        }
    }

    private static String quoteName(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
