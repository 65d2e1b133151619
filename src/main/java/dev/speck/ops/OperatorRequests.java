package dev.speck.ops;

import dev.speck.access.PasswordResets;
import dev.speck.access.Users;
import dev.speck.audit.AuditTrail;
import dev.speck.audit.Requester;
import dev.speck.journal.MappedJournal;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.PeriodicJob;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the command line asks of a running Speck through its data folder (whoever may write there may
 * ask): password resets ({@link PasswordResets}) and backups ({@code DATA/backups/ID.request} holding
 * the target folder, answered by {@code ID.done} or {@code ID.failed}). Looked at on start, then every
 * two seconds; the usual look is two directory checks.
 */
public final class OperatorRequests {

    private static final Logger LOG = Logger.getLogger(OperatorRequests.class.getName());
    public static final String BACKUPS = "backups";
    static final long INTERVAL_MILLIS = 2_000;
    private static final Requester COMMAND = new Requester("cli", "speck backup", null);

    private final Path dataDir;
    private final PasswordResets resets;
    private final Users users;
    private final AuditTrail audit;
    private final MappedJournal journal;
    private final DuckDbDatabase database;

    private OperatorRequests(Path dataDir, Users users, AuditTrail audit, MappedJournal journal, DuckDbDatabase database) {
        this.dataDir = dataDir;
        this.resets = new PasswordResets(dataDir);
        this.users = users;
        this.audit = audit;
        this.journal = journal;
        this.database = database;
    }

    public static PeriodicJob start(Path dataDir, Users users, AuditTrail audit, MappedJournal journal, DuckDbDatabase database) {
        OperatorRequests requests = new OperatorRequests(dataDir, users, audit, journal, database);
        PeriodicJob job = new PeriodicJob("speck-operator-requests", INTERVAL_MILLIS, true,
                "an operator request failed", requests::answer);
        job.start();
        return job;
    }

    private void answer() {
        try {
            resets.apply(users, audit);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "applying a password reset failed; tried again in a moment", e);
        }
        Path folder = dataDir.resolve(BACKUPS);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(folder, "*.request")) {
            for (Path request : requests) {
                backUp(request);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "reading backup requests failed", e);
        }
    }

    private void backUp(Path request) throws IOException {
        String id = request.getFileName().toString().replace(".request", "");
        Path target = Path.of(Files.readString(request).strip());
        Path running = request.resolveSibling(id + ".running");
        Files.move(request, running, StandardCopyOption.REPLACE_EXISTING);
        try {
            LOG.info("backing up to " + target + " (asked by speck backup)");
            Backups.whileRunning(dataDir, journal, database, target);
            audit.record(COMMAND, "store.backup", target.toString(), Map.of());
            Files.writeString(request.resolveSibling(id + ".done"), target + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "the backup to " + target + " failed", e);
            Files.writeString(request.resolveSibling(id + ".failed"), String.valueOf(e.getMessage()) + "\n");
        } finally {
            Files.deleteIfExists(running);
        }
    }
}
