package dev.speck.ops;

import dev.speck.journal.MappedJournal;
import dev.speck.store.duckdb.DuckDbDatabase;
import dev.speck.store.duckdb.StoreSnapshot;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code speck backup} and {@code speck restore}: a data folder's store, journal and secrets in a
 * folder of their own. While Speck runs, the journal's published records are copied first and the
 * store's snapshot taken after: every hit acknowledged before the backup began is then in one of the
 * two, and none in both counts twice (the snapshot's saved positions say where replay starts).
 * With Speck stopped it is a plain copy of the files. A backup is written beside its target and
 * renamed into place when whole, so a cut-off backup is never mistaken for one.
 */
public final class Backups {

    static final String MANIFEST = "speck-backup.txt";
    public static final String STORE = "speck.duckdb";
    /** Not copied: installed again by `speck geo update`; requests of the running Speck; scratch. */
    private static final Set<String> LEFT_OUT = Set.of("geo", OperatorRequests.BACKUPS, "password-resets", MANIFEST);

    private Backups() {
    }

    /** While Speck runs on {@code dataDir}: journal first, then the store's snapshot, then the small files. */
    public static void whileRunning(Path dataDir, MappedJournal journal, DuckDbDatabase database, Path target)
            throws IOException {
        Path partial = partialBeside(target);
        try {
            int segments = journal.copyPublishedTo(partial.resolve("journal"));
            StoreSnapshot.copy(database, partial.resolve(STORE));
            copySmallFiles(dataDir, partial);
            finish(partial, target, "taken while Speck ran (" + segments + " journal segments)");
        } finally {
            deleteTree(partial);
        }
    }

    /** With Speck stopped: the files as they are. */
    public static void whileStopped(Path dataDir, Path target) throws IOException {
        Path partial = partialBeside(target);
        try {
            copyTree(dataDir, partial, true);
            finish(partial, target, "taken while Speck was stopped");
        } finally {
            deleteTree(partial);
        }
    }

    /** Copies a backup into a data folder that holds no store yet (its geo folder may stay). */
    public static void restore(Path backup, Path dataDir) throws IOException {
        if (!Files.isRegularFile(backup.resolve(MANIFEST)) || !Files.isRegularFile(backup.resolve(STORE))) {
            throw new IllegalArgumentException(backup + " is not a Speck backup (no " + MANIFEST + " and " + STORE + ")");
        }
        if (Files.exists(dataDir.resolve(STORE)) || Files.exists(dataDir.resolve("journal"))) {
            throw new IllegalArgumentException(dataDir + " already holds a store; restore into a new folder "
                    + "(or move that one away first)");
        }
        Files.createDirectories(dataDir);
        copyTree(backup, dataDir, true);
    }

    private static Path partialBeside(Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already; give a new folder for the backup");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
    }

    private static void finish(Path partial, Path target, String how) throws IOException {
        Files.writeString(partial.resolve(MANIFEST), "Speck backup\ntaken: " + Instant.now() + "\n" + how
                + "\nrestore: speck restore --from " + target.toAbsolutePath() + " --data-dir NEW_FOLDER\n");
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copySmallFiles(Path dataDir, Path target) throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(STORE) && !name.equals("journal") && !LEFT_OUT.contains(name) && !name.startsWith(".")) {
                    copyTree(entry, target.resolve(name), false);
                }
            }
        }
    }

    /** Copies a file or folder; {@code skipLeftOut} skips what a backup leaves out at the top level. */
    private static void copyTree(Path from, Path to, boolean skipLeftOut) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (skipLeftOut && dir.getParent() != null && dir.getParent().equals(from)
                        && LEFT_OUT.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (skipLeftOut && file.getParent().equals(from) && (LEFT_OUT.contains(name) || name.startsWith("."))) {
                    return FileVisitResult.CONTINUE;
                }
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
