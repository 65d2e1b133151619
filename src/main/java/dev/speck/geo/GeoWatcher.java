package dev.speck.geo;

import dev.speck.enrich.Enricher;
import dev.speck.enrich.ZoneSidecar;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a database that {@code speck geo update} installed while Speck runs: watches data-dir/geo/current.json
 * and swaps the enricher over without a restart. A database that fails its check is refused once, loudly,
 * and the one in use stays.
 */
public final class GeoWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GeoWatcher.class.getName());

    private final GeoFolder folder;
    private final Enricher enricher;
    private final ScheduledExecutorService timer;
    private volatile Path refused;
    private volatile Path zonesRetried;

    public GeoWatcher(GeoFolder folder, Enricher enricher) {
        this.folder = folder;
        this.enricher = enricher;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "speck-geo-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks now (so a start serves the installed database from its first hit), then every {@code interval}. */
    public GeoWatcher start(Duration interval) {
        check();
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Swaps to the installed database when it is not the one in use; true when it swapped. */
    boolean check() {
        try {
            Optional<InstalledGeo> installed = folder.current();
            if (installed.isEmpty()) {
                return false;
            }
            Path database = folder.databaseOf(installed.get());
            if (database.equals(enricher.geoDatabasePath()) && !zonesAdded(database) || database.equals(refused)) {
                return false;
            }
            enricher.useGeoDatabase(database);
            LOG.info("geo: now serving " + installed.get().database() + " from " + database);
            return true;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            Path current = folder.current().map(folder::databaseOf).orElse(null);
            refused = current;
            LOG.warning("geo: refused " + current + ", still serving the previous database: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            return false;
        } catch (RuntimeException surprise) {
            LOG.log(Level.WARNING, "geo: could not check " + folder.root(), surprise);
            return false;
        }
    }

    /**
     * True once when 'geo update' has since written the zones of the database in use (installed on first start
     * without them): opening it again reads them. Once per database, so a file it cannot use is not retried.
     */
    private boolean zonesAdded(Path database) {
        if (enricher.geoPlaceZones() || database.equals(zonesRetried) || !Files.isRegularFile(ZoneSidecar.fileOf(database))) {
            return false;
        }
        zonesRetried = database;
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
