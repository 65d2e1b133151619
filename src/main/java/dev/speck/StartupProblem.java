package dev.speck;

import dev.speck.ops.StoreLock;
import dev.speck.config.SpeckConfig;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A start that cannot go on, said in one line that names the problem and its fix: the command line
 * prints it without a stack trace (the trace goes to the log at FINE). The checks run before
 * anything is created, so a failed start leaves nothing half-made (no admin password spent).
 */
final class StartupProblem extends RuntimeException {

    private static final Pattern LOCK_HOLDER = Pattern.compile("\\(PID (\\d+)\\)");

    StartupProblem(String message, Throwable cause) {
        super(message, cause);
    }

    /** What can be checked before opening anything: the data folder is writable, a given geo file readable. */
    static void checkBeforeStart(SpeckConfig config) {
        Path data = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(data);
            Path probe = Files.createTempFile(data, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupProblem("cannot write to the data folder " + data + " (" + reason(e)
                    + "); give a writable folder with --data-dir or fix its permissions", e);
        }
        Path geo = config.enrich().geoDatabase();
        if (geo != null && !Files.isReadable(geo)) {
            throw new StartupProblem("the geo database " + geo.toAbsolutePath() + " does not exist or cannot be read; "
                    + "fix --geo-db (or leave it out: Speck then installs DB-IP's free database itself)", null);
        }
    }

    /** A failure of the start itself, explained when it is one a user can fix; else the failure as it is. */
    static Exception explain(Exception failure, SpeckConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof BindException || m.contains("Address already in use")) {
                int port = config.http().port();
                return new StartupProblem("port " + port + " is already in use (another Speck, or another program); "
                        + "choose another with --port " + (port == 8080 ? 8081 : port + 1) + ", or stop what uses it", failure);
            }
            if (StoreLock.isLockConflict(t)) {
                Matcher pid = LOCK_HOLDER.matcher(m);
                return new StartupProblem("another Speck" + (pid.find() ? " (process " + pid.group(1) + ")" : "")
                        + " is using the data folder " + config.dataDir().toAbsolutePath()
                        + "; stop it, or give this one another --data-dir", failure);
            }
        }
        return failure;
    }

    private static String reason(Exception e) {
        String type = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? type : e.getMessage();
    }
}
