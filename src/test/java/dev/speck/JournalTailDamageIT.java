package dev.speck;

import dev.speck.http.Responses;
import dev.speck.testing.RawHttp;
import dev.speck.testing.ServingSpeck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corrupt journal tail, end to end: Speck is killed (-9) under load, then the tail of each lane's
 * last written segment is damaged as a crash or a bad disk leaves it (a record cut off mid-write,
 * random bytes after the last whole record, a length written with the checksum and bytes still
 * zeros). The restart stores every record before the damage exactly once, counts and logs the
 * damage, and the collector goes on taking hits.
 */
class JournalTailDamageIT {

    private static final int CLIENTS = 3;
    private static final int ACKS_PER_ROUND = 1500;
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36";

    enum Damage { TORN_RECORD, RANDOM_BYTES, LENGTH_WITHOUT_RECORD }

    @TempDir
    Path dir;
    private ServingSpeck speck;

    @AfterEach
    void killLeftovers() {
        if (speck != null) {
            speck.process.destroyForcibly();
        }
    }

    @Test
    void aDamagedJournalTailIsSkippedCountedAndLoggedAndEveryWholeRecordIsStoredOnce() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("speck.log");
        String[] settings = {"journal.segment-size=1MB"};
        speck = ServingSpeck.start(data, log, settings);
        String pixel = speck.createPixel("tail");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();

        for (Damage damage : Damage.values()) {
            load(pixel, "r" + damage.ordinal(), sent, acknowledged);
            speck.kill();
            List<Path> damaged = damageLastSegments(data.resolve("journal"), damage);
            assertThat(damaged).as("a lane with records to damage").isNotEmpty();

            speck = ServingSpeck.start(data, log, settings);
            ServingSpeck restarted = speck;
            ServingSpeck.await(() -> restarted.metric("speck_journal_backlog_bytes") == 0,
                    () -> "the loader to catch up after " + damage);
            assertThat(speck.metric("speck_journal_corrupt_records_total")).as("damage counted after " + damage)
                    .isGreaterThanOrEqualTo(damaged.size());
            String startLog = speck.log();
            for (Path segment : damaged) {
                assertThat(startLog).as("the log names the damaged segment after " + damage)
                        .contains(segment.getFileName().toString()).contains("skipped");
            }
        }
        load(pixel, "after", sent, acknowledged); // the collector takes hits after the last damaged restart
        speck.stop();

        Map<String, Integer> stored = storedIds(data.resolve("speck.duckdb"), pixel);
        assertThat(acknowledged.stream().filter(id -> !stored.containsKey(id)).sorted().toList())
                .as("acknowledged hits missing").isEmpty();
        assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("hits stored twice").isEmpty();
        assertThat(sent).containsAll(stored.keySet());
    }

    /**
     * In each lane, the newest segment that holds records: the damage goes right after its last
     * whole record (the records before it are every hit that lane acknowledged).
     */
    private static List<Path> damageLastSegments(Path journal, Damage damage) throws IOException {
        List<Path> damaged = new ArrayList<>();
        Random random = new Random(damage.ordinal());
        try (Stream<Path> lanes = Files.list(journal)) {
            for (Path lane : lanes.filter(Files::isDirectory).sorted().toList()) {
                List<Path> segments;
                try (Stream<Path> files = Files.list(lane)) {
                    segments = files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
                }
                for (Path segment : segments.reversed()) {
                    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        ByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size()).order(ByteOrder.BIG_ENDIAN);
                        int end = 0;
                        while (end + 8 <= map.capacity() && map.getInt(end) > 0
                                && map.getInt(end) <= map.capacity() - end - 8) {
                            end += 8 + map.getInt(end);
                        }
                        if (end == 0 || end + 512 > map.capacity()) {
                            continue;
                        }
                        switch (damage) {
                            case TORN_RECORD -> { // a whole record's header, half its bytes: the write cut off
                                int length = map.getInt(0);
                                map.putInt(end, length).putInt(end + 4, map.getInt(4));
                                for (int i = 0; i < length / 2; i++) {
                                    map.put(end + 8 + i, map.get(8 + i));
                                }
                            }
                            case RANDOM_BYTES -> {
                                for (int i = 0; i < 64; i++) {
                                    map.put(end + i, (byte) random.nextInt(256));
                                }
                                map.put(end, (byte) 0x7f); // no valid length either: at least one byte not zero
                            }
                            case LENGTH_WITHOUT_RECORD -> map.putInt(end, 180); // checksum and bytes still zeros
                        }
                        ((java.nio.MappedByteBuffer) map).force();
                    }
                    damaged.add(segment);
                    break;
                }
            }
        }
        return damaged;
    }

    /** Image hits with unique ids from a person's browser until ACKS_PER_ROUND more are acknowledged. */
    private void load(String pixel, String round, Set<String> sent, Set<String> acknowledged) throws Exception {
        int target = acknowledged.size() + ACKS_PER_ROUND;
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            String prefix = round + "-c" + t + "-";
            threads.add(Thread.ofPlatform().start(() -> {
                try (RawHttp http = new RawHttp(speck.port)) {
                    for (int n = 0; !done.get(); n++) {
                        String id = prefix + n;
                        sent.add(id);
                        RawHttp.Response r = http.send("GET", "/p/" + pixel + ".gif?k=event&n=tail&p.id=" + id,
                                "User-Agent: " + AGENT + "\r\n", null);
                        if (r.status() != 200 || !java.util.Arrays.equals(r.body(), Responses.GIF)) {
                            throw new AssertionError("answer " + r.status() + " " + r.text());
                        }
                        acknowledged.add(id);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        ServingSpeck.await(() -> acknowledged.size() >= target || !failures.isEmpty(),
                () -> target + " acknowledged hits in round " + round);
        done.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(failures).as("client failures in round " + round).isEmpty();
    }

    private static Map<String, Integer> storedIds(Path database, String pixel) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT props['id'] AS id, count(*) FROM events WHERE pixel = ? GROUP BY id")) {
            ps.setString(1, pixel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return ids;
    }
}
