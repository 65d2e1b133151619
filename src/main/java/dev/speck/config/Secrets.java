package dev.speck.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The random keys Speck keeps in its data folder ({@code secrets/}), each made on first start and
 * readable by the owner only.
 */
public final class Secrets {

    private final Path folder;

    public Secrets(Path dataDir) {
        this.folder = dataDir.resolve("secrets");
    }

    /** Turns the tag's first-party ids into stored visitor ids. */
    public byte[] firstPartyIdKey() {
        return secret(folder.resolve("first-party-id.key"));
    }

    /** Signs customer identities (landing tokens, identify calls). */
    public byte[] identityKey() {
        return secret(folder.resolve("identity.key"));
    }

    /** Signs tracked links for one recipient, so a recipient token cannot be forged or moved. */
    public byte[] linkSigningKey() {
        return secret(folder.resolve("link-signing.key"));
    }

    /** A random key kept in the data folder, made on first start; readable by the owner only. */
    static byte[] secret(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readAllBytes(file);
            }
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, key);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }
}
