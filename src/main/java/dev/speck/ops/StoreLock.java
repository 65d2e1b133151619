package dev.speck.ops;

import dev.speck.store.duckdb.DuckDbDatabase;

import java.nio.file.Path;

/** Whether a Speck runs on a data folder: it holds the store file's lock, which a command then cannot take. */
public final class StoreLock {

    private StoreLock() {
    }

    public static boolean heldByARunningSpeck(Path dataDir) {
        try {
            DuckDbDatabase.open(dataDir, "64MB", 1).close();
            return false;
        } catch (RuntimeException e) {
            if (isLockConflict(e)) {
                return true;
            }
            throw e;
        }
    }

    /** DuckDB's words for a file another process holds. */
    public static boolean isLockConflict(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Could not set lock on file") || m.contains("Conflicting lock is held");
    }
}
