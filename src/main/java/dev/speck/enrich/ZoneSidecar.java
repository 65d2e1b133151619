package dev.speck.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;

import java.io.ByteArrayInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The time zone of every place a geo database names, computed once from the zone boundaries when the database
 * is installed and kept in a small file beside it (time-zones.bin), so that a serving Speck looks zones up in
 * two arrays instead of holding the boundary polygons (~190 MB of heap, seconds to build: PERFORMANCE.md).
 * Places are keyed by their coordinates rounded to two decimals, as Speck stores them.
 */
public final class ZoneSidecar {

    static final String FILE = "time-zones.bin";
    private static final String MAGIC = "SPECK-TZ2";

    private final Instant builtFor;
    private final int[] keys;
    private final short[] zoneOfKey;
    private final String[] zones;

    private ZoneSidecar(Instant builtFor, int[] keys, short[] zoneOfKey, String[] zones) {
        this.builtFor = builtFor;
        this.keys = keys;
        this.zoneOfKey = zoneOfKey;
        this.zones = zones;
    }

    /** Where the zones of a database (a folder, or a single .mmdb file) are kept. */
    public static Path fileOf(Path database) {
        return Files.isDirectory(database) ? database.resolve(FILE)
                : database.resolveSibling(database.getFileName() + "." + FILE);
    }

    /**
     * Computes the zone of every place in the database that has coordinates but no zone of its own, from the
     * zone boundaries, and writes them beside it (replacing the file atomically).
     *
     * @return how many places got a zone
     * @throws IOException when the database cannot be read or the file not written
     */
    public static int build(Path database, PrintStream out) throws IOException {
        long started = System.nanoTime();
        Map<Integer, String> places = placesWithoutZone(database);
        int[] sorted = places.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        out.println("geo: " + sorted.length + " places without a time zone; finding theirs from the zone boundaries ...");
        String[] found = new String[sorted.length];
        if (sorted.length > 0) { // a GeoIP2 City database names every zone itself: no engine to build
            BoundaryZones boundaries = BoundaryZones.world();
            // ~1 ms of CPU a place with the raster index: both cores halve the wait (queries only read the index)
            IntStream.range(0, sorted.length).parallel().forEach(i -> found[i] = boundaries.zoneAt(
                    latitudeOf(sorted[i]), longitudeOf(sorted[i]), places.get(sorted[i])));
        }
        Instant builtAt;
        try (GeoDatabase opened = GeoDatabases.open(database)) {
            builtAt = opened.builtAt();
        }
        int written = write(fileOf(database), builtAt, sorted, found);
        out.printf("geo: time zones of %d places written to %s (%.0f s)%n", written, fileOf(database).getFileName(),
                (System.nanoTime() - started) / 1e9);
        return written;
    }

    /** The zones beside a database, when there and made for this build of it; else null (Speck falls back). */
    static ZoneSidecar readFor(Path database, Instant builtAt) {
        Path file = fileOf(database);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(file); // ~2 MB: one read, then array copies (int by int through a stream was slower)
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (!MAGIC.equals(in.readUTF())) {
                return null;
            }
            Instant builtFor = Instant.ofEpochMilli(in.readLong());
            if (!builtFor.equals(builtAt)) {
                return null; // made for another release of the database: its places differ
            }
            String[] zones = new String[in.readInt()];
            for (int z = 0; z < zones.length; z++) {
                zones[z] = in.readUTF();
            }
            int count = in.readInt();
            ByteBuffer body = ByteBuffer.wrap(bytes, bytes.length - in.available(), in.available());
            if (count < 0 || body.remaining() != count * 6L) {
                return null;
            }
            int[] keys = new int[count];
            short[] zoneOfKey = new short[count];
            body.asIntBuffer().get(keys); // two bulk copies: no loop in the interpreter at start
            body.position(body.position() + count * 4).asShortBuffer().get(zoneOfKey);
            for (short zone : zoneOfKey) {
                if (zone >= zones.length) {
                    return null;
                }
            }
            return new ZoneSidecar(builtFor, keys, zoneOfKey, zones);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** The zone of a place by its coordinates (rounded here as Speck rounds them), or null when not listed. */
    String zoneAt(Double latitude, Double longitude) {
        if (latitude == null || longitude == null) {
            return null;
        }
        int at = Arrays.binarySearch(keys, key(latitude, longitude));
        return at < 0 || zoneOfKey[at] < 0 ? null : zones[zoneOfKey[at]];
    }

    int size() {
        return keys.length;
    }

    Instant builtFor() {
        return builtFor;
    }

    static int write(Path file, Instant builtAt, int[] sortedKeys, String[] zoneOfKey) throws IOException {
        Map<String, Short> index = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (String zone : zoneOfKey) {
            if (zone != null && !index.containsKey(zone)) {
                index.put(zone, (short) names.size());
                names.add(zone);
            }
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        int written = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeUTF(MAGIC);
            out.writeLong(builtAt.toEpochMilli());
            out.writeInt(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
            out.writeInt(sortedKeys.length);
            for (int key : sortedKeys) {
                out.writeInt(key);
            }
            for (String zone : zoneOfKey) {
                out.writeShort(zone == null ? -1 : index.get(zone));
                written += zone == null ? 0 : 1;
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return written;
    }

    /** Two decimals of latitude (±9000) and longitude (±18000) in one int: 18001 × 36001 < 2^31. */
    static int key(double latitude, double longitude) {
        long lat = Math.round(latitude * 100);
        long lon = Math.round(longitude * 100);
        return (int) ((lat + 9000) * 36001 + (lon + 18000));
    }

    static double latitudeOf(int key) {
        return (key / 36001 - 9000) / 100.0;
    }

    static double longitudeOf(int key) {
        return (key % 36001 - 18000) / 100.0;
    }

    /** Each distinct rounded place without a zone of its own, with its country (for overlapping zones). */
    private static Map<Integer, String> placesWithoutZone(Path database) throws IOException {
        Map<Integer, String> places = new HashMap<>();
        for (Path file : GeoDatabases.filesOf(database)) {
            // the data section holds each distinct record once; the cache spares decoding it per network
            try (Reader reader = new Reader(file.toFile(), new CHMCache(1 << 16))) {
                Iterator<com.maxmind.db.DatabaseRecord<Map>> records = reader.networks(Map.class);
                while (records.hasNext()) {
                    Place place = Place.of(records.next().getData());
                    if (place != null) {
                        places.putIfAbsent(key(place.latitude(), place.longitude()), place.country());
                    }
                }
            } catch (com.maxmind.db.InvalidNetworkException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        return places;
    }

    /** A record's place, in either layout (ip-location-db's flat one or GeoIP2's nested one); null if it has a zone. */
    private record Place(String country, double latitude, double longitude) {

        static Place of(Map<?, ?> record) {
            if (record == null) {
                return null;
            }
            Map<?, ?> location = record.get("location") instanceof Map<?, ?> nested ? nested : record;
            Object zone = location.containsKey("time_zone") ? location.get("time_zone") : location.get("timezone");
            if (zone instanceof String s && !s.isBlank()) {
                return null;
            }
            Double latitude = number(location.get("latitude"));
            Double longitude = number(location.get("longitude"));
            if (latitude == null || longitude == null || !Double.isFinite(latitude) || !Double.isFinite(longitude)
                    || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
                return null;
            }
            Object country = record.get("country") instanceof Map<?, ?> nested ? nested.get("iso_code") : record.get("country_code");
            return new Place(country instanceof String s ? s : null, latitude, longitude);
        }

        private static Double number(Object value) {
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            if (value instanceof String s) {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException notACoordinate) {
                    return null;
                }
            }
            return null;
        }
    }
}
