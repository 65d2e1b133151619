package dev.speck.store.duckdb;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.enrich.Event;
import dev.speck.journal.JournalPosition;
import dev.speck.store.EventStore;
import dev.speck.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DuckDbEventStoreTest {

    @TempDir
    Path dir;

    /** Lane 0's position {@code offset} in segment 1, as the journal gives it. */
    private static List<JournalPosition> at(long offset) {
        return List.of(new JournalPosition("lane-0", 1, offset));
    }

    private static List<Event> rows(int n, Event event) {
        return java.util.Collections.nCopies(n, event);
    }

    private static Event titled(String name) {
        return event("p1", name, "A title");
    }

    private static Event event(String pixel, String name) {
        return event(pixel, name, null);
    }

    private static Event event(String pixel, String name, String title) {
        Hit hit = Hit.of(1_700_000_000_000L, HitKind.EVENT, pixel).name(name)
                .page(new Hit.Page("https://a.example/x?y=1", null, title))
                .client(new Hit.Client("203.0.113.9", "ua", Map.of(), "en", null, null, null))
                .value(new Hit.Value(new java.math.BigDecimal("1.5"), "EUR")).props(Map.of("k", "v")).build();
        return new Event(hit, "visitor", "203.0.113.0", null, null, null, null, null);
    }

    @Test
    void committedEventsAreVisibleAtOnceAndMovedIntoTheFileWithTheirJournalPositions() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            long wal = db.walBytes();
            store.append(List.of(event("p1", "a"), event("p1", "b")), List.of(new JournalPosition("lane-0", 3, 120)));

            assertThat(query(db, "SELECT count(*) || ',' || min(seq) || ',' || max(seq) || ',' || any_value(path) "
                    + "|| ',' || any_value(props['k']) FROM visible.events")).isEqualTo("2,1,2,/x,v");
            assertThat(query(db, "SELECT count(*) FROM events")).as("not in the file yet").isEqualTo("0");
            assertThat(store.checkpoints()).as("nor their positions").isEmpty();
            assertThat(store.persistedPositions()).isEmpty();
            assertThat(db.walBytes()).as("the loader's commit writes nothing to the file's log").isEqualTo(wal);

            store.moveNow(); // as the loader does once it has had nothing to load for 2 s

            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo("2");
            assertThat(query(db, "SELECT count(*) FROM visible.events")).as("each row once").isEqualTo("2");
            assertThat(store.checkpoints()).containsExactly(new JournalPosition("lane-0", 3, 120));
            assertThat(store.persistedPositions()).containsExactly(new JournalPosition("lane-0", 3, 120));
            assertThat(store.movedEvents()).isEqualTo(2);
        }
    }

    @Test
    void whatTheLoaderHoldsMovesIntoTheFileOnceNothingHasComeForTwoSecondsNotWhileRowsKeepComing() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            store.append(List.of(event("p1", "a")), at(1));
            store.idle();
            assertThat(store.movedEvents()).as("just committed: more may come").isZero();

            dev.speck.testing.RunningSpeck.await(() -> {
                store.idle();
                return store.movedEvents() == 1;
            }, "the row to move once the loader has had nothing for 2 s");
            assertThat(store.checkpoints()).containsExactly(new JournalPosition("lane-0", 1, 1));
        }
    }

    @Test
    void aMoveTheFileRefusesIsTriedAgainAndMeanwhileTheRowsStayVisibleAndNoneOfThemIsInTheFile() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Runnable> upkeep = new java.util.concurrent.LinkedBlockingQueue<>();
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, upkeep::add)) {
            // a row the file's table refuses (as a full disk would refuse them all), after two it would take
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE events ALTER COLUMN title SET NOT NULL");
            }
            store.append(List.of(titled("a"), titled("b"), event("p1", "bad")),
                    List.of(new dev.speck.goals.Achievement(1, "g1", 1, new java.math.BigDecimal("2.0"), "EUR")),
                    at(10));
            store.moveNow();
            Thread mover = new Thread(upkeep.take(), "mover");
            mover.start();
            dev.speck.testing.RunningSpeck.await(() -> store.failedMoves() > 0, "DuckDB to refuse the move");

            assertThat(query(db, "SELECT count(*) || '/' || (SELECT count(*) FROM goal_achievements) FROM events"))
                    .as("nothing of the refused move in the file").isEqualTo("0/0");
            assertThat(store.checkpoints()).isEmpty();
            assertThat(store.persistedPositions()).isEmpty();
            assertThat(query(db, "SELECT count(*) || '/' || (SELECT count(*) FROM visible.goal_achievements) FROM visible.events"))
                    .isEqualTo("3/1");
            store.append(List.of(event("p1", "c")), at(11));
            assertThat(query(db, "SELECT string_agg(name, ',' ORDER BY seq) FROM visible.events"))
                    .as("the loader goes on into the other generation").isEqualTo("a,b,bad,c");

            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM " + DuckDbDatabase.loaded("events", 0) + " WHERE title IS NULL");
            }
            mover.join(60_000);
            assertThat(mover.isAlive()).as("the move went through when tried again").isFalse();
            assertThat(query(db, "SELECT string_agg(name, ',' ORDER BY seq) FROM events")).isEqualTo("a,b");
            assertThat(query(db, "SELECT count(*) FROM goal_achievements")).isEqualTo("1");
            assertThat(store.checkpoints()).containsExactly(new JournalPosition("lane-0", 1, 10));
            assertThat(query(db, "SELECT string_agg(name, ',' ORDER BY seq) FROM visible.events")).isEqualTo("a,b,c");
        }
    }

    @Test
    void aRowTheFileWouldRefuseIsRefusedAtTheLoadersCommitAndDoesNotHoldUpTheMoves() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            assertThatThrownBy(() -> store.append(List.of(event("p1", "a"), event(null, "no pixel")), at(1)))
                    .isInstanceOf(StoreException.class);
            assertThat(query(db, "SELECT count(*) FROM visible.events")).as("the whole batch rolled back").isEqualTo("0");

            store.append(List.of(event("p1", "a")), at(2));
            store.moveNow();

            assertThat(store.failedMoves()).isZero();
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo("1");
            assertThat(store.persistedPositions()).containsExactly(new JournalPosition("lane-0", 1, 2));
        }
    }

    @Test
    void achievementsAreStoredWithTheSeqOfTheirEventAndMovedWithIt() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            store.append(List.of(event("p1", "a"), event("p1", "b")),
                    List.of(new dev.speck.goals.Achievement(1, "g1", 3, new java.math.BigDecimal("10.0"), "EUR"),
                            new dev.speck.goals.Achievement(1, "g2", 1, null, null)),
                    at(10));
            String joined = "SELECT string_agg(a.goal_id || '@' || a.goal_version || ':' || e.name, ',' ORDER BY a.goal_id) ";
            assertThat(query(db, joined + "FROM visible.goal_achievements a JOIN visible.events e USING (seq)"))
                    .isEqualTo("g1@3:b,g2@1:b");
            store.moveNow();
            assertThat(query(db, joined + "FROM goal_achievements a JOIN events e USING (seq)")).isEqualTo("g1@3:b,g2@1:b");
            assertThat(query(db, "SELECT count(*) FROM visible.goal_achievements")).isEqualTo("2");
        }
    }

    @Test
    void aTransactionFilledInChunksStoresThemAllWithTheirAchievementsOrNoneOfThem() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db)) {
            try (var tx = store.begin()) {
                tx.add(List.of(event("p1", "a"), event("p1", "b")), List.of());
                tx.add(List.of(event("p1", "c")), List.of(new dev.speck.goals.Achievement(0, "g1", 1, new java.math.BigDecimal("2.0"), "EUR")));
                assertThat(tx.size()).isEqualTo(3);
                // closed without a commit: the batch is read again from the journal, with the same seqs
            }
            assertThat(query(db, "SELECT count(*) FROM visible.events")).isEqualTo("0");

            try (var tx = store.begin()) {
                tx.add(List.of(event("p1", "a"), event("p1", "b")),
                        List.of(new dev.speck.goals.Achievement(1, "g1", 1, new java.math.BigDecimal("2.0"), "EUR")));
                tx.add(List.of(event("p1", "c")), List.of(new dev.speck.goals.Achievement(0, "g2", 1, null, null)));
                tx.commit(List.of(new JournalPosition("lane-0", 2, 300), new JournalPosition("lane-1", 1, 40)));
            }

            assertThat(query(db, "SELECT string_agg(name || seq, ',' ORDER BY seq) FROM visible.events")).isEqualTo("a1,b2,c3");
            assertThat(query(db, "SELECT string_agg(a.goal_id || ':' || e.name, ',' ORDER BY a.goal_id) "
                    + "FROM visible.goal_achievements a JOIN visible.events e USING (seq)"))
                    .as("an achievement's index counts within its own chunk").isEqualTo("g1:b,g2:c");
            store.close(); // a clean stop moves what is in memory into the file
            assertThat(store.checkpoints()).containsExactlyInAnyOrder(
                    new JournalPosition("lane-0", 2, 300), new JournalPosition("lane-1", 1, 40));
            assertThat(store.storedEvents()).isEqualTo(3);
        }
    }

    /** The store relies on this: appender rows belong to the connection's open transaction. */
    @Test
    void appendedRowsGoWithTheTransactionTheyWereAppendedIn() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1);
             org.duckdb.DuckDBConnection c = db.connectUnleased()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (i INTEGER)");
            }
            c.commit();
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO t VALUES (1)");
            }
            try (org.duckdb.DuckDBAppender a = c.createAppender(org.duckdb.DuckDBConnection.DEFAULT_SCHEMA, "t")) {
                a.beginRow();
                a.append(2);
                a.endRow();
            }
            c.rollback();
            assertThat(query(db, "SELECT count(*) FROM t")).isEqualTo("0");
        }
    }

    @Test
    void sequenceNumbersContinueAfterAReopen() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db)) {
            store.append(List.of(event("p1", "a"), event("p1", "b")), List.of());
        }
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db)) {
            assertThat(query(db, "SELECT count(*) FROM events")).as("moved into the file at the clean stop").isEqualTo("2");
            store.append(List.of(event("p1", "c")), List.of());
            assertThat(query(db, "SELECT string_agg(seq::VARCHAR, ',' ORDER BY seq) FROM visible.events")).isEqualTo("1,2,3");
        }
    }

    private static String query(DuckDbDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void fullRowGroupsAreMovedAsTheyFillAndAQuietLoaderHasThePartialOneMovedToo() throws Exception {
        int group = Generations.ROW_GROUP_ROWS;
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
            int stored = 0;
            while (stored < group) {
                int n = Math.min(10_000, store.preferredBatchSize());
                assertThat(query(db, "SELECT count(*) FROM events")).as("nothing moved before the row group is full").isEqualTo("0");
                store.append(rows(n, event("p1", "e")), at(stored));
                stored += n;
            }
            assertThat(stored).as("the batches end where the row group does").isEqualTo(group);
            assertThat(query(db, "SELECT count(*) FROM events")).as("moved once it was full").isEqualTo(Integer.toString(group));
            assertThat(db.walBytes()).as("written compressed into the file: the log holds little more than where")
                    .isLessThan(MoveCheckpoints.CHECKPOINT_LOG_BYTES / 16);
            store.append(rows(100_000, event("p1", "next")), at(stored));
            assertThat(store.preferredBatchSize()).isEqualTo(group - 100_000);
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo(Integer.toString(group));
            store.moveNow();
            assertThat(query(db, "SELECT string_agg(n::VARCHAR, ',' ORDER BY row_group_id) FROM (SELECT row_group_id, "
                    + "sum(count) AS n FROM pragma_storage_info('events') WHERE column_id = 0 AND column_path = '[0]' "
                    + "GROUP BY ALL)")).as("DuckDB's row groups").isEqualTo(group + ",100000");
            assertThat(store.preferredBatchSize()).as("the next move fills the partial one").isEqualTo(group - 100_000);
        }
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db)) {
            assertThat(store.preferredBatchSize()).as("read again from DuckDB's storage info").isEqualTo(group - 100_000);
        }
    }

    @Test
    void whileAGenerationIsMovedTheLoaderFillsTheOtherAndReadersSeeEveryRowOnce() throws Exception {
        int group = Generations.ROW_GROUP_ROWS;
        java.util.concurrent.LinkedBlockingQueue<Runnable> upkeep = new java.util.concurrent.LinkedBlockingQueue<>();
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, upkeep::add)) {
            store.append(rows(group, event("p1", "first")), at(1));
            assertThat(upkeep).as("the full generation's move, handed over").hasSize(1);

            store.append(List.of(event("p1", "a"), event("p1", "b")),
                    List.of(new dev.speck.goals.Achievement(1, "g1", 1, new java.math.BigDecimal("2.0"), "EUR")),
                    at(2));
            store.append(rows(5_000, event("p1", "c")), at(3));
            assertThat(query(db, "SELECT count(*) FROM visible.events")).as("visible before any move")
                    .isEqualTo(Integer.toString(group + 5_002));
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo("0");

            upkeep.take().run(); // the move
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo(Integer.toString(group));
            assertThat(query(db, "SELECT position FROM journal_checkpoints")).as("the positions after the moved rows").isEqualTo("1");
            assertThat(store.persistedPositions()).containsExactly(new JournalPosition("lane-0", 1, 1));
            assertThat(query(db, "SELECT count(*) FROM visible.events")).isEqualTo(Integer.toString(group + 5_002));
            // As between a move's commit and the emptying of its generation: in-memory copies of moved rows.
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO " + DuckDbDatabase.loaded("events", 0) + " SELECT * FROM events LIMIT 1000");
            }
            assertThat(query(db, "SELECT count(*) || '/' || count(DISTINCT seq) FROM visible.events"))
                    .as("a row already moved is read from the file only")
                    .isEqualTo((group + 5_002) + "/" + (group + 5_002));

            store.moveNow();
            upkeep.take().run();
            assertThat(query(db, "SELECT count(*) FROM events")).as("moved once, copies skipped").isEqualTo(Integer.toString(group + 5_002));
            assertThat(query(db, "SELECT string_agg(name, ',' ORDER BY seq) FROM (SELECT seq, name FROM events "
                    + "WHERE seq > " + group + " ORDER BY seq LIMIT 3)")).as("in the order added").isEqualTo("a,b,c");
            assertThat(query(db, "SELECT a.goal_id || ':' || e.name FROM goal_achievements a JOIN events e USING (seq)"))
                    .isEqualTo("g1:b");
            assertThat(query(db, "SELECT position FROM journal_checkpoints")).isEqualTo("3");
        }
    }

    @Test
    void whenTheMoverFallsBehindTheLoaderFillsAtMostTwoRowGroupsAndThenWaitsForIt() throws Exception {
        int group = Generations.ROW_GROUP_ROWS;
        java.util.concurrent.LinkedBlockingQueue<Runnable> upkeep = new java.util.concurrent.LinkedBlockingQueue<>();
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "512MB", 1);
             DuckDbEventStore store = new DuckDbEventStore(db, upkeep::add)) {
            store.append(rows(group, event("p1", "1")), at(1));
            store.append(rows(group, event("p1", "2")), at(2));
            assertThat(upkeep).as("the first move, not yet run; the second generation goes on filling").hasSize(1);

            Thread loader = new Thread(() -> store.append(rows(group, event("p1", "3")),
                    at(3)), "loader");
            loader.start();
            dev.speck.testing.RunningSpeck.await(() -> loader.getState() == Thread.State.WAITING,
                    "the loader to wait for the move, two row groups on");
            assertThat(query(db, "SELECT count(*) FROM visible.events")).as("its batch is committed and visible")
                    .isEqualTo(Integer.toString(3 * group));

            upkeep.take().run();
            loader.join(60_000);
            assertThat(loader.isAlive()).isFalse();
            assertThat(upkeep).as("the two row groups it held, handed over in one move").hasSize(1);
            upkeep.take().run();
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo(Integer.toString(3 * group));
            assertThat(query(db, "SELECT position FROM journal_checkpoints")).isEqualTo("3");
        }
    }

    @Test
    void aCheckpointAfterAMoveRefusedWhileAnotherTransactionWritesIsTriedAgainUntilItGoesThrough() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Runnable> upkeep = new java.util.concurrent.LinkedBlockingQueue<>();
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "256MB", 1, 128L << 20);
             DuckDbEventStore store = new DuckDbEventStore(db, upkeep::add, java.time.Duration.ofMinutes(5).toNanos());
             Connection other = db.connect()) {
            store.append(rows(50_000, event("p1", "e")), at(1));
            store.moveNow(); // a partial row group: its move goes through the write-ahead log
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("CREATE TABLE writing_elsewhere (i INTEGER)"); // an open write transaction
            }
            Thread mover = new Thread(upkeep.take(), "mover");
            mover.start();
            dev.speck.testing.RunningSpeck.await(() -> store.refusedCheckpoints() > 0, "DuckDB to refuse the checkpoint");
            assertThat(query(db, "SELECT count(*) FROM events")).as("moved before the checkpoint").isEqualTo("50000");
            other.commit();
            mover.join(60_000);
            assertThat(mover.isAlive()).isFalse();
            assertThat(db.walBytes()).as("checkpointed once the other transaction was done").isZero();
        }
    }

    @Test
    void releasingTheCacheWaitsForTheLoadersOpenTransaction() throws Exception {
        // Its moment at almost no memory must not meet a write or checkpoint: one that did ended the process.
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db)) {
            Thread release;
            try (EventStore.Transaction tx = store.begin()) {
                tx.add(rows(20_000, event("p1", "e")), List.of());
                release = new Thread(db::releaseCache, "release");
                release.start();
                dev.speck.testing.RunningSpeck.await(() -> release.getState() == Thread.State.WAITING,
                        "releasing the cache to wait for the transaction");
                tx.add(List.of(event("p1", "last")), List.of());
                tx.commit(at(1));
            }
            release.join(60_000);
            assertThat(release.isAlive()).as("released once the transaction committed").isFalse();
            assertThat(query(db, "SELECT count(*) FROM visible.events")).isEqualTo("20001");
            assertThat(query(db, "SELECT current_setting('memory_limit')")).isEqualTo("122.0 MiB");
        }
    }

    @Test
    void aReleaseWaitingForWritersHoldsUpNoNewWriterAndALeaseMayBeClosedOnAnotherThread() throws Exception {
        // The loader, holding its transaction's lease, takes the checkpoint's lease for the upkeep
        // thread, which closes it; a release queued in between must not make the loader wait.
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            DuckDbDatabase.Lease transaction = db.writing();
            Thread release = new Thread(db::releaseCache, "release");
            release.start();
            dev.speck.testing.RunningSpeck.await(() -> release.getState() == Thread.State.WAITING,
                    "the release to wait for the transaction");
            java.util.concurrent.atomic.AtomicReference<DuckDbDatabase.Lease> checkpoint = new java.util.concurrent.atomic.AtomicReference<>();
            Thread loader = new Thread(() -> checkpoint.set(db.writing()), "loader");
            loader.start();
            loader.join(60_000);
            assertThat(checkpoint.get()).as("a second lease while the release waits").isNotNull();
            transaction.close();
            assertThat(release.isAlive()).as("the checkpoint's lease still held").isTrue();
            Thread upkeep = new Thread(() -> checkpoint.get().close(), "upkeep");
            upkeep.start();
            upkeep.join(60_000);
            release.join(60_000);
            assertThat(release.isAlive()).as("released once the lease closed on the upkeep thread").isFalse();
        }
    }

    @Test
    void releasingTheCacheKeepsEveryRowAndTheConfiguredLimit() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1); DuckDbEventStore store = new DuckDbEventStore(db)) {
            java.util.List<Event> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                batch.add(event("p1", "e" + i));
            }
            store.append(batch, at(1));
            String limit = query(db, "SELECT current_setting('memory_limit')");

            db.releaseCache();

            assertThat(query(db, "SELECT current_setting('memory_limit')")).isEqualTo(limit);
            assertThat(query(db, "SELECT count(*) FROM visible.events")).isEqualTo("20000");
            store.append(List.of(event("p1", "after")), at(2));
            assertThat(query(db, "SELECT count(*) FROM visible.events")).isEqualTo("20001");
        }
    }

    @Test
    void releasingTheCacheLeavesDuckDbHoldingNextToNothing() throws Exception {
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1, 128L << 20); DuckDbEventStore store = new DuckDbEventStore(db)) {
            java.util.List<Event> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 150_000; i++) {
                batch.add(event("p1", "e" + i + "-" + Integer.toHexString(i * 7919) + "/" + Integer.toHexString(i * 104729)));
            }
            store.append(batch, at(1));
            store.awaitMove(); // the full row group's
            store.moveNow(); // the rest of the batch, a partial row group, into the file too
            store.awaitMove();
            query(db, "SELECT count(DISTINCT name) FROM events"); // a report's read: the blocks in DuckDB's cache
            long before = Long.parseLong(query(db, "SELECT sum(memory_usage_bytes) FROM duckdb_memory()"));

            db.releaseCache();

            long after = Long.parseLong(query(db, "SELECT sum(memory_usage_bytes) FROM duckdb_memory()"));
            // the old release (a dip to 32 MB) kept all of this: it was under the dip
            assertThat(before).as("DuckDB's memory with the batch in it").isGreaterThan(2L << 20);
            assertThat(after).as("DuckDB's memory after the release (%d bytes before)", before).isLessThan(1L << 20);
            assertThat(query(db, "SELECT count(*) FROM events")).isEqualTo("150000");
            assertThat(query(db, "SELECT current_setting('threads')"))
                    .as("the worker count stepped to flush the allocator is back").isEqualTo("1");
            assertThat(query(db, "SELECT current_setting('allocator_background_threads')"))
                    .as("the allocator purges from its own threads, not inline in the loader's commits").isEqualTo("true");
        }
    }
}
