package dev.speck.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * The mark a demo leaves in its data folder once its traffic is replayed: the demo seeds a folder
 * once, and only a folder with this mark may be emptied by {@code --fresh}.
 */
public final class DemoSeed {

    static final String FILE = "demo-seeded.txt";

    private final Path dataDir;

    private DemoSeed(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static DemoSeed in(Path dataDir) {
        return new DemoSeed(dataDir);
    }

    /** What the mark says ("7 days of traffic (12,345 hits) were replayed on ..."), when there is one. */
    public Optional<String> seeded() {
        Path mark = dataDir.resolve(FILE);
        try {
            return Files.isRegularFile(mark) ? Optional.of(Files.readString(mark).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.of("the demo traffic was replayed before");
        }
    }

    void mark(int days, long hits) {
        try {
            Files.writeString(dataDir.resolve(FILE), String.format("%d days of traffic (%,d hits) were replayed into %s at %s",
                    days, hits, dataDir, Instant.now()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not mark " + dataDir + " as seeded", e);
        }
    }

    /**
     * Empties the folder for {@code --fresh} (all but the installed geo database): only a demo's own folder (with the mark) or one that does not
     * exist yet; any other folder is someone's data.
     *
     * @return false when the folder holds data that is not a demo's (nothing is deleted)
     */
    public boolean empty() throws IOException {
        if (!Files.exists(dataDir)) {
            return true;
        }
        if (!Files.isRegularFile(dataDir.resolve(FILE))) {
            try (var entries = Files.list(dataDir)) {
                return entries.findAny().isEmpty();
            }
        }
        Path geo = dataDir.resolve("geo"); // kept: the geo database is the same for every demo, 64 MB to fetch again
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(geo) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getParent().equals(dataDir) || !file.getFileName().toString().equals(FILE)) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (!dir.equals(dataDir)) {
                    Files.delete(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Files.delete(dataDir.resolve(FILE)); // last: a cut-off --fresh can be run again
        return true;
    }
}
