package dev.speck;

import dev.speck.access.PasswordResets;
import dev.speck.access.Users;
import dev.speck.audit.AuditTrail;
import dev.speck.store.duckdb.PeriodicJob;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Applies {@code speck admin reset-password} requests while Speck runs: at start, then every two seconds. */
final class PasswordResetJob {

    private static final Logger LOG = Logger.getLogger(PasswordResetJob.class.getName());
    static final long INTERVAL_MILLIS = 2_000;

    private PasswordResetJob() {
    }

    static PeriodicJob start(Path dataDir, Users users, AuditTrail audit) {
        PasswordResets resets = new PasswordResets(dataDir);
        PeriodicJob job = new PeriodicJob("speck-password-resets", INTERVAL_MILLIS, true,
                "applying a password reset failed", () -> {
                    try {
                        resets.apply(users, audit);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "applying a password reset failed; tried again in a moment", e);
                    }
                });
        job.start();
        return job;
    }
}
