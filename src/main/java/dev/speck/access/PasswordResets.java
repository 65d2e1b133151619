package dev.speck.access;

import dev.speck.audit.AuditTrail;
import dev.speck.audit.Requester;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code speck admin reset-password}: a new password for a user, set through the data folder, so that
 * whoever may write to the folder can always sign in again, whether Speck runs or not. The command
 * leaves a request (the user and the new password's hash, never the password) in
 * {@code DATA/password-resets/}; a running Speck applies it within seconds, a stopped one at its next
 * start, and the command applies it itself when it can open the store. Each reset is audited.
 */
public final class PasswordResets {

    private static final Logger LOG = Logger.getLogger(PasswordResets.class.getName());
    static final String FOLDER = "password-resets";
    private static final String SUFFIX = ".reset";
    private static final Requester COMMAND = new Requester("cli", "speck admin reset-password", null);

    private final Path folder;

    public PasswordResets(Path dataDir) {
        this.folder = dataDir.resolve(FOLDER);
    }

    /**
     * Leaves a request to set {@code user}'s password; the file is written whole or not at all and
     * readable by its owner only.
     *
     * @return the request, which disappears once applied
     * @throws IllegalArgumentException for a name or password Speck would not accept
     */
    public Path request(String user, String password) throws IOException {
        if (user == null || !Users.validName(user)) {
            throw new IllegalArgumentException("no such user name: '" + user + "'");
        }
        Users.checkPassword(password);
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, ".new-", ".tmp");
        try {
            trySetOwnerOnly(tmp);
            Files.writeString(tmp, user + "\n" + new PasswordHasher().hash(password) + "\n");
            Path request = folder.resolve(user + SUFFIX);
            Files.move(tmp, request, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return request;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Applies every waiting request, oldest name first; one that cannot be read is set aside, not retried forever. */
    public int apply(Users users, AuditTrail audit) {
        if (!Files.isDirectory(folder)) {
            return 0; // the usual case, checked every few seconds: one stat
        }
        int applied = 0;
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path request : requests) {
                if (applyOne(request, users, audit)) {
                    applied++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        return applied;
    }

    private boolean applyOne(Path request, Users users, AuditTrail audit) throws IOException {
        List<String> lines = Files.readAllLines(request, StandardCharsets.UTF_8);
        String file = request.getFileName().toString();
        String user = file.substring(0, file.length() - SUFFIX.length());
        if (lines.size() < 2 || !lines.get(0).equals(user) || !Users.validName(user) || !lines.get(1).startsWith("$argon2")) {
            LOG.warning("ignored the password reset request " + request + ": it is not one speck admin wrote");
            Files.move(request, request.resolveSibling(file + ".ignored"), StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
        boolean created = users.resetPassword(user, lines.get(1));
        audit.record(COMMAND, "user.reset-password", user, Map.of("created", created));
        Files.delete(request);
        LOG.info("the password of '" + user + "' was reset by speck admin reset-password"
                + (created ? " (the user was made, as an admin)" : ""));
        return true;
    }

    private static void trySetOwnerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.log(Level.FINE, "no POSIX permissions here", e);
        }
    }
}
