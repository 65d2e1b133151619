package dev.speck.ops;

import dev.speck.config.SpeckConfig;
import dev.speck.geo.GeoFolder;
import dev.speck.geo.InstalledGeo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code speck doctor}'s checks of a data folder and its settings, each a line an operator can act on.
 * Read-only, and safe while Speck runs: nothing here opens the store for writing or waits on it.
 */
public final class Doctor {

    public enum Verdict { OK, WARN, FAIL }

    public record Finding(Verdict verdict, String check, String detail) {
    }

    private static final long MIN_FREE_BYTES = 1L << 30;
    private static final Duration GEO_STALE = Duration.ofDays(45);
    private static final Duration CERTIFICATE_SOON = Duration.ofDays(14);
    /** A file written this far in the future means the clock went back since. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

    private final SpeckConfig config;
    private final Instant now;

    public Doctor(SpeckConfig config, Instant now) {
        this.config = config;
        this.now = now;
    }

    public List<Finding> examine() {
        List<Finding> out = new ArrayList<>();
        Path data = config.dataDir().toAbsolutePath();
        out.add(new Finding(Verdict.OK, "java", Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"));
        if (!Files.isDirectory(data)) {
            out.add(new Finding(Verdict.FAIL, "data folder", data + " does not exist (give the one Speck serves with --data-dir)"));
            return out;
        }
        out.add(Files.isWritable(data) ? new Finding(Verdict.OK, "data folder", data.toString())
                : new Finding(Verdict.FAIL, "data folder", data + " is not writable by this user"));
        out.add(disk(data));
        out.add(running(data));
        out.add(journal(data.resolve("journal")));
        out.add(geo(data));
        tls().ifPresent(out::add);
        out.add(clock(data));
        return out;
    }

    private Finding disk(Path data) {
        try {
            FileStore store = Files.getFileStore(data);
            long free = store.getUsableSpace();
            long needed = Math.max(MIN_FREE_BYTES, config.journal().maxBytes());
            String detail = gib(free) + " free on " + store.name() + " (the journal may take up to "
                    + gib(config.journal().maxBytes()) + ")";
            return new Finding(free < needed ? Verdict.WARN : Verdict.OK, "disk", detail
                    + (free < needed ? "; free space or lower journal.max-size" : ""));
        } catch (IOException e) {
            return new Finding(Verdict.WARN, "disk", "cannot tell: " + e.getMessage());
        }
    }

    private static Finding running(Path data) {
        if (!Files.exists(data.resolve(Backups.STORE))) {
            return new Finding(Verdict.OK, "store", "none yet: the first start makes it");
        }
        long size = size(data.resolve(Backups.STORE)) + size(data.resolve(Backups.STORE + ".wal"));
        String state;
        try {
            state = StoreLock.heldByARunningSpeck(data) ? "a Speck is running on it" : "no Speck is running on it";
        } catch (RuntimeException e) {
            return new Finding(Verdict.FAIL, "store", "cannot be opened: " + e.getMessage());
        }
        return new Finding(Verdict.OK, "store", gib(size) + "; " + state);
    }

    private Finding journal(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new Finding(Verdict.OK, "journal", "empty");
        }
        long bytes;
        long segments;
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".seg")).toList();
            segments = all.size();
            bytes = all.stream().mapToLong(Doctor::size).sum();
        } catch (IOException e) {
            return new Finding(Verdict.WARN, "journal", "cannot read " + dir + ": " + e.getMessage());
        }
        boolean large = bytes > config.journal().maxBytes() / 2;
        return new Finding(large ? Verdict.WARN : Verdict.OK, "journal", segments + " segments, " + gib(bytes)
                + " of " + gib(config.journal().maxBytes()) + " allowed"
                + (large ? "; hits are waiting to be stored: is the store keeping up? (see /healthz)" : ""));
    }

    private Finding geo(Path data) {
        if (config.enrich().geoDatabase() != null) {
            Path file = config.enrich().geoDatabase();
            return Files.isReadable(file) ? new Finding(Verdict.OK, "geo", file + " (configured)")
                    : new Finding(Verdict.FAIL, "geo", file + " (configured) cannot be read");
        }
        Optional<InstalledGeo> installed = GeoFolder.in(data).current();
        if (installed.isEmpty()) {
            return new Finding(Verdict.WARN, "geo", "no geo database: hits get no country or city; "
                    + "run speck geo update --data-dir " + data);
        }
        InstalledGeo g = installed.get();
        Duration age = Duration.between(g.installedAt(), now);
        return new Finding(age.compareTo(GEO_STALE) > 0 ? Verdict.WARN : Verdict.OK, "geo", g.database() + " "
                + g.version() + ", installed " + age.toDays() + " days ago"
                + (age.compareTo(GEO_STALE) > 0 ? "; run speck geo update monthly (e.g. from cron)" : ""));
    }

    private Optional<Finding> tls() {
        Path certificate = config.http().tls().certificate();
        if (certificate == null) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            Instant notAfter = c.getNotAfter().toInstant();
            Duration left = Duration.between(now, notAfter);
            Verdict v = left.isNegative() ? Verdict.FAIL : left.compareTo(CERTIFICATE_SOON) < 0 ? Verdict.WARN : Verdict.OK;
            return Optional.of(new Finding(v, "tls", certificate + " valid until " + notAfter
                    + (v == Verdict.OK ? "" : v == Verdict.FAIL ? "; it has expired: renew it" : "; renew it soon")));
        } catch (IOException | CertificateException | RuntimeException e) {
            return Optional.of(new Finding(Verdict.FAIL, "tls", certificate + " cannot be read: " + e.getMessage()));
        }
    }

    /** The newest file Speck wrote: when it lies in the future, the clock went back (hits get wrong days). */
    private Finding clock(Path data) {
        Instant newest = Instant.EPOCH;
        try (Stream<Path> files = Files.walk(data, 3)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Instant t = Files.getLastModifiedTime(f).toInstant();
                if (t.isAfter(newest)) {
                    newest = t;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Finding(Verdict.WARN, "clock", "cannot tell: " + e.getMessage());
        }
        if (newest.isAfter(now.plus(CLOCK_SLACK))) {
            return new Finding(Verdict.WARN, "clock", "a file in the data folder was written at " + newest
                    + ", after now (" + now + "): the clock went back; check NTP");
        }
        return new Finding(Verdict.OK, "clock", now + " (no file in the data folder is newer)");
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GB", bytes / (double) (1L << 30))
                : String.format("%d MB", bytes >> 20);
    }
}
