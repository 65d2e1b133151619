package dev.speck.ops;

import dev.speck.store.duckdb.DuckDbDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a Speck runs on a data folder: it holds the store file's lock, which a command then cannot take. */
public final class StoreLock {

    /** DuckDB names the holder: "Conflicting lock is held in /usr/bin/java (PID 1234) by user speck". */
    private static final Pattern HOLDER = Pattern.compile("\\(PID (\\d+)\\)");

    private StoreLock() {
    }

    public static boolean heldByARunningSpeck(Path dataDir) {
        return lockConflict(dataDir).isPresent();
    }

    /**
     * The process of the Speck running on the folder ("process 1234", or "another process" when DuckDB does
     * not say); empty when none runs. A folder without a store gets none.
     */
    public static Optional<String> runningSpeck(Path dataDir) {
        if (!Files.exists(dataDir.resolve("speck.duckdb"))) {
            return Optional.empty();
        }
        return lockConflict(dataDir).map(e -> {
            Matcher pid = HOLDER.matcher(String.valueOf(e.getMessage()));
            return pid.find() ? "process " + pid.group(1) : "another process";
        });
    }

    private static Optional<RuntimeException> lockConflict(Path dataDir) {
        try {
            DuckDbDatabase.open(dataDir, "64MB", 1).close();
            return Optional.empty();
        } catch (RuntimeException e) {
            if (isLockConflict(e)) {
                return Optional.of(e);
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
