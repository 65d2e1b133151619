package dev.speck.geo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.speck.enrich.GeoDatabaseInfo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * data-dir/geo: one folder per installed version, each with its manifest, and current.json naming the one in
 * use. current.json is replaced atomically, so a server watching it never reads half a file.
 */
public final class GeoFolder {

    static final String CURRENT = "current.json";
    static final String MANIFEST = "manifest.json";
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    // A manifest from a later Speck may say more (as "release" was added): what this one knows is read.
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public GeoFolder(Path root) {
        this.root = root;
    }

    public static GeoFolder in(Path dataDir) {
        return new GeoFolder(dataDir.resolve("geo"));
    }

    public Path root() {
        return root;
    }

    /** The installed database in use, when current.json names one that is there. */
    public Optional<InstalledGeo> current() {
        Path file = root.resolve(CURRENT);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            InstalledGeo installed = JSON.readValue(file.toFile(), InstalledGeo.class);
            return Files.isDirectory(databaseOf(installed)) ? Optional.of(installed) : Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /** The folder of an installed version: what {@code Enricher.useGeoDatabase} opens. */
    public Path databaseOf(InstalledGeo installed) {
        return root.resolve(Path.of(installed.folder()).getFileName());
    }

    /** An empty folder on the same file system, for a source to fill before {@link #install}. */
    Path newStaging() throws IOException {
        Files.createDirectories(root);
        return Files.createTempDirectory(root, ".staging-");
    }

    static String versionOf(GeoDatabaseInfo info) {
        return VERSION.format(info.builtAt());
    }

    /**
     * Moves checked files in as a version, writes its manifest, points current.json at it and deletes all but
     * the previous version (which a running server may still have open until it swaps).
     */
    InstalledGeo install(Path staging, GeoDatabaseInfo info, String source, String release, Clock clock) throws IOException {
        String version = versionOf(info);
        Path target = root.resolve(version);
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        String licence = info.attribution() == null ? null
                : "CC BY 4.0: credit \"" + info.attribution().text() + "\" with a link to " + info.attribution().url();
        InstalledGeo installed = new InstalledGeo(version, version, info.name(), info.builtAt(), clock.instant(), source, licence,
                release);
        JSON.writeValue(target.resolve(MANIFEST).toFile(), installed);
        String previous = current().map(InstalledGeo::folder).orElse(null);
        makeCurrent(installed);
        deleteVersionsExcept(List.of(version, previous == null ? version : previous));
        return installed;
    }

    /** Notes the source's release on the database in use (installed before releases were recorded, say). */
    InstalledGeo recordRelease(InstalledGeo installed, String release) throws IOException {
        InstalledGeo recorded = installed.withRelease(release);
        JSON.writeValue(databaseOf(recorded).resolve(MANIFEST).toFile(), recorded);
        makeCurrent(recorded);
        return recorded;
    }

    private void makeCurrent(InstalledGeo installed) throws IOException {
        Path temporary = root.resolve(CURRENT + ".tmp");
        JSON.writeValue(temporary.toFile(), installed);
        Files.move(temporary, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * At start: removes what an interrupted install left ({@link #removeLeftovers}) unless a geo update runs now
     * (its folders are in use). Never fails a start: a folder that cannot be cleaned is left as it is.
     */
    public void removeLeftoversUnlessAnUpdateRuns(PrintStream out) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try {
            Optional<UpdateLock> lock = UpdateLock.tryTake(root);
            if (lock.isPresent()) {
                try (UpdateLock held = lock.get()) {
                    removeLeftovers(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            out.println("geo: could not clean " + root + " of an interrupted install's folders (" + e.getMessage() + ")");
        }
    }

    /**
     * Deletes the .staging- and .work- folders (up to ~130 MB each time) and the half-written current.json.tmp an
     * install cut off by Ctrl-C, a crash or a full disk leaves. Only while holding the {@link UpdateLock}.
     */
    void removeLeftovers(PrintStream out) throws IOException {
        long bytes = 0;
        int removed = 0;
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".staging-") || name.startsWith(".work-") || name.equals(CURRENT + ".tmp")) {
                    bytes += sizeOf(entry);
                    deleteTree(entry);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            out.printf("geo: removed %d leftover%s of an interrupted install (%,d MB)%n", removed, removed == 1 ? "" : "s",
                    (bytes + (1 << 19)) >> 20);
        }
    }

    private static long sizeOf(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.isRegularFile(file) ? Files.size(file) : 0;
            }
            return total;
        }
    }

    private void deleteVersionsExcept(List<String> kept) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && !kept.contains(name) && name.matches("\\d{8}-\\d{6}")) {
                    deleteTree(entry);
                }
            }
        }
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
