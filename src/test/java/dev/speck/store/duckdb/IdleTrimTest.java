package dev.speck.store.duckdb;

import dev.speck.enrich.Event;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.journal.JournalPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle trim ({@link DuckDbDatabase#releaseCache()}) lowers DuckDB's memory limit to almost
 * nothing for a moment: no query may run in it. A report that did failed with "Out of Memory
 * (946.0 KiB/976.5 KiB used)", a 500 in SqlInjectionIT now and then.
 */
class IdleTrimTest {

    /**
     * The moment is short (between two SETs): without the readers' lease, 100 trims had a report
     * fail in two runs out of three, 200 in every run tried (3-4 s); with it, 200 take ~12 s alone,
     * ~90 s beside other tests.
     */
    private static final int TRIMS = 150;
    /** A bound on the trims' time, not an expectation: on a busy machine fewer may run. */
    private static final long TRIMMING_NANOS = 45_000_000_000L;
    private static final long DAY = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void reportsRunInALoopFromSeveralThreadsAllSucceedAcrossRepeatedTrims() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db)) {
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 60_000; i++) {
                batch.add(event(i));
            }
            store.append(batch, List.of(new JournalPosition("lane-0", 1, 1)));
            store.moveNow(); // all of it into the file: rows in memory would keep the limit from dropping
            store.awaitMove();
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo("60000");

            DuckDbReports reports = new DuckDbReports(db);
            LocalDate day = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(DAY), ZoneOffset.UTC);
            AtomicBoolean trimming = new AtomicBoolean(true);
            AtomicLong queries = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread reader = new Thread(() -> {
                    // Bounded: a reader stops with the trims, or after this many queries at most.
                    for (int i = 0; i < 20_000 && trimming.get(); i++) {
                        try {
                            switch (i % 3) {
                                case 0 -> assertThat(reports.daily("p1", day, day)).hasSize(1);
                                case 1 -> assertThat(reports.events("p1", null, 200)).hasSize(200);
                                default -> assertThat(query(db, "SELECT count(DISTINCT visitor_id) FROM "
                                        + DuckDbDatabase.VISIBLE_EVENTS)).isEqualTo("60000");
                            }
                            queries.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                        // a gap now and then, as between a console's requests: the trim's idle moment
                        java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000_000));
                    }
                }, "reports-" + t);
                reader.start();
                readers.add(reader);
            }
            int released = 0;
            try {
                long until = System.nanoTime() + TRIMMING_NANOS;
                for (int i = 0; i < TRIMS && System.nanoTime() - until < 0; i++) {
                    if (db.releaseCache()) {
                        released++;
                    }
                }
            } finally {
                trimming.set(false);
                for (Thread reader : readers) {
                    reader.join(120_000);
                }
            }

            assertThat(failures).as("queries that failed across the trims").isEmpty();
            assertThat(released).as("trims that went ahead between the queries").isPositive();
            assertThat(queries.get()).as("queries run").isPositive();
            assertThat(query(db, "SELECT current_setting('memory_limit')")).isEqualTo("122.0 MiB");
        }
    }

    private static Event event(int i) {
        Hit hit = Hit.of(DAY + i * 1000L, HitKind.PAGE_VIEW, "p1")
                .page(new Hit.Page("https://a.example/page-" + (i % 500) + "?q=" + i, null, "Title " + i))
                .client(new Hit.Client("203.0.113.9", "ua", Map.of(), "en", null, null, null)).build();
        return new Event(hit, "visitor-" + i, "203.0.113.0", null, null, null, null, null);
    }

    private static String query(DuckDbDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
