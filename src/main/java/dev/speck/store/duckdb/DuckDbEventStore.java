package dev.speck.store.duckdb;

import dev.speck.collect.Hit;
import dev.speck.enrich.Device;
import dev.speck.enrich.Event;
import dev.speck.enrich.GeoLocation;
import dev.speck.enrich.TrafficSource;
import dev.speck.goals.Achievement;
import dev.speck.journal.JournalPosition;
import dev.speck.store.BackgroundPriority;
import dev.speck.store.EventStore;
import dev.speck.store.StoreException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes batches of events with DuckDB's appender, in one transaction with the journal positions
 * after them. Used by the single loader thread, one transaction at a time.
 *
 * <p>The checkpoint after each full row group runs on an upkeep thread of its own. While it runs,
 * DuckDB makes inserts into the events table wait (in 1.4 to 2.0 alike), but not inserts into a
 * connection's temp tables: so a transaction begun meanwhile stages its rows in temp tables, and its
 * commit moves them into place once the checkpoint is done (one native INSERT ... SELECT). The
 * loader keeps reading, enriching and appending through the checkpoint instead of standing still
 * for it, and the rows still become visible together with their journal positions, or not at all.
 */
public final class DuckDbEventStore implements EventStore {

    /**
     * The write-ahead log size from which a quiet loader checkpoints: DuckDB's own default
     * threshold. Under load DuckDB waits for the larger {@code store.checkpoint-threshold}.
     */
    static final long QUIET_CHECKPOINT_BYTES = 16L << 20;

    /**
     * Rows in one of DuckDB's row groups (its default row_group_size). A checkpoint compresses every
     * row group that changed since the last one, so one that is partly filled at a checkpoint is
     * compressed again at the next: under load, with checkpoints every 128 MB of log, that was about
     * a sixth more work, and with every 16-32 MB half again as much CPU per hit. So the loader fills
     * row groups exactly (see {@link #preferredBatchSize()}) and the store checkpoints when one is full.
     */
    static final int ROW_GROUP_ROWS = 122_880;

    /**
     * A quiet loader checkpoints only this long after the last checkpoint. Under steady traffic the
     * row-group checkpoints come every few seconds; a quiet one between them persisted a partial row
     * group that the next had to read back and compress again (3.3 s once, at half rate, where one
     * row group takes ~0.5 s). Slower traffic, which fills a row group in more than a minute, is
     * still checkpointed in its quiet moments, as before.
     */
    static final long QUIET_CHECKPOINT_SPACING_NANOS = 60_000_000_000L;

    /** How long a refused row-group checkpoint is tried again, and how often. */
    static final long REFUSED_RETRY_NANOS = 1_000_000_000L;
    static final long REFUSED_RETRY_INTERVAL_NANOS = 50_000_000L;

    /** Commits slower than this are logged, with what the write-ahead log did meanwhile. */
    static final long SLOW_COMMIT_NANOS = 500_000_000L;

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DuckDbEventStore.class.getName());

    private static final CompletableFuture<Void> NO_CHECKPOINT = CompletableFuture.completedFuture(null);

    private final DuckDbDatabase database;
    private final DuckDBConnection connection;
    /** Runs the row-group checkpoints; a caller-runs executor makes them synchronous (tests). */
    private final Executor upkeep;
    /** The executor this store made for itself, shut down with it; null when given one. */
    private final ExecutorService ownUpkeep;
    /** The last row-group checkpoint handed to {@link #upkeep}; done when it ended, refused or not. */
    private volatile CompletableFuture<Void> checkpointing = NO_CHECKPOINT;
    private final long refusedRetryNanos;
    private final AtomicLong refusedCheckpoints = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private long nextSeq;
    /** The journal positions' upsert, prepared on the loader's connection at the first commit. */
    private PreparedStatement positionsUpsert;
    /**
     * Rows in the events table's last row group (this store is the only one that appends to it);
     * -1 until first asked, on the loader thread: reading DuckDB's storage info takes ~80 ms on 3.6
     * million rows and grows with the table, so not at start.
     */
    private long rowsInLastGroup = -1;
    /** System.nanoTime() of the last checkpoint this store saw or ran; at start, as if a spacing ago. */
    private volatile long lastCheckpointAt = System.nanoTime() - QUIET_CHECKPOINT_SPACING_NANOS;

    /** Checkpoints on a background thread of the store's own ("speck-checkpoint", at background priority). */
    public DuckDbEventStore(DuckDbDatabase database) {
        this(database, null, REFUSED_RETRY_NANOS);
    }

    DuckDbEventStore(DuckDbDatabase database, Executor upkeep) {
        this(database, upkeep, REFUSED_RETRY_NANOS);
    }

    /**
     * @param upkeep            where the row-group checkpoints run; null for a thread of the store's own
     * @param refusedRetryNanos how long a refused row-group checkpoint is tried again
     */
    DuckDbEventStore(DuckDbDatabase database, Executor upkeep, long refusedRetryNanos) {
        this.database = database;
        this.refusedRetryNanos = refusedRetryNanos;
        if (upkeep == null) {
            this.ownUpkeep = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(() -> {
                    BackgroundPriority.lowerCurrentThread();
                    task.run();
                }, "speck-checkpoint");
                t.setDaemon(true);
                return t;
            });
            this.upkeep = ownUpkeep;
        } else {
            this.ownUpkeep = null;
            this.upkeep = upkeep;
        }
        this.connection = database.connect();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
            rs.next();
            nextSeq = rs.getLong(1) + 1;
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot read the events table: " + e.getMessage(), e);
        }
    }

    @Override
    public List<JournalPosition> checkpoints() {
        List<JournalPosition> positions = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT lane, segment, position FROM journal_checkpoints")) {
            while (rs.next()) {
                positions.add(new JournalPosition(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot read journal checkpoints: " + e.getMessage(), e);
        }
        return positions;
    }

    @Override
    public Transaction begin() {
        return new AppenderTransaction(upkeepRunning());
    }

    /** Whether a row-group checkpoint is running now (a transaction begun now stages its rows). */
    @Override
    public boolean upkeepRunning() {
        return !checkpointing.isDone();
    }

    /**
     * One DuckDB transaction: events go through the appender as they are added (DuckDB copies them
     * into its own chunks, so the Java objects are garbage at once), the positions go last. Begun
     * during a checkpoint, it appends to temp tables instead (see the class comment).
     */
    private final class AppenderTransaction implements Transaction {
        private final boolean staging;
        private boolean stagedAchievements;
        private final long firstSeq = nextSeq;
        private long seq = firstSeq;
        private DuckDBAppender events;
        private DuckDBAppender achievements;
        private boolean done;
        /** Held from begin to commit or rollback: DuckDB's cache is not released in between. */
        private DuckDbDatabase.Lease lease = database.writing();

        AppenderTransaction(boolean staging) {
            this.staging = staging;
            try {
                // DuckDB's JDBC driver opens the transaction at the first statement, and appender rows
                // join an open transaction but commit on their own without one: so a statement goes first.
                try (Statement begin = connection.createStatement()) {
                    begin.execute(staging ? stagingTable("staged_events", "events") : "SELECT 1");
                }
                events = staging ? connection.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "staged_events")
                        : connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events");
            } catch (SQLException | RuntimeException e) {
                throw failed(e);
            }
        }

        /**
         * A temp table shaped like {@code table}, made for this transaction and dropped in its commit:
         * DuckDB never vacuums a temp table, so emptying one with DELETE and reusing it kept every
         * deleted row's memory (447 MB after 200 batches of 20,000 rows, in a trial).
         */
        private static String stagingTable(String name, String table) {
            return "CREATE OR REPLACE TEMP TABLE " + name + " AS SELECT * FROM " + table + " LIMIT 0";
        }
        @Override
        public void add(List<Event> added, List<Achievement> achieved) {
            long chunkFirstSeq = seq;
            try {
                for (Event event : added) {
                    appendRow(events, seq++, event);
                }
                if (!achieved.isEmpty()) {
                    if (achievements == null) {
                        achievements = achievementsAppender();
                    }
                    appendAchievements(achievements, added, achieved, chunkFirstSeq);
                }
            } catch (SQLException | RuntimeException e) {
                throw failed(e);
            }
        }

        private DuckDBAppender achievementsAppender() throws SQLException {
            if (!staging) {
                return connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "goal_achievements");
            }
            try (Statement st = connection.createStatement()) {
                st.execute(stagingTable("staged_achievements", "goal_achievements"));
            }
            stagedAchievements = true;
            return connection.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "staged_achievements");
        }

        @Override
        public boolean waitsForUpkeep() {
            return staging && upkeepRunning();
        }

        @Override
        public long commit(Collection<JournalPosition> positions) {
            try {
                long rowsBefore = rowsInLastGroup(); // read before the commit adds these rows
                closeAppenders(); // flushes their last rows into the transaction
                long waited = awaitCheckpoint();
                if (staging) {
                    moveStagedRows();
                }
                savePositions(positions);
                long walBefore = database.walBytes();
                long started = System.nanoTime();
                connection.commit();
                long nanos = System.nanoTime() - started;
                long walAfter = database.walBytes();
                boolean checkpointed = walAfter < walBefore;
                logIfSlow(nanos, walBefore, walAfter, checkpointed);
                done = true;
                nextSeq = seq;
                stored.addAndGet(seq - firstSeq);
                rowsInLastGroup = (rowsBefore + size()) % ROW_GROUP_ROWS;
                long upkeepNanos = waited;
                if (checkpointed) {
                    upkeepNanos += nanos;
                    lastCheckpointAt = System.nanoTime();
                } else if (rowsInLastGroup == 0 && size() > 0) {
                    upkeepNanos += startCheckpoint(); // its lease is taken under this transaction's
                }
                release();
                return upkeepNanos;
            } catch (SQLException | RuntimeException e) {
                throw failed(e);
            }
        }

        /**
         * A commit that takes long is, in the cases seen so far, DuckDB's automatic checkpoint: once the
         * write-ahead log passes {@code store.checkpoint-threshold}, the committing loader compresses
         * it into the database file, and hits wait in the journal meanwhile. The log shows which.
         */
        private void logIfSlow(long nanos, long walBefore, long walAfter, boolean checkpointed) {
            if (nanos < SLOW_COMMIT_NANOS) {
                return;
            }
            LOG.info(String.format("commit of %d events took %d ms; write-ahead log %d MB -> %d MB%s",
                    size(), nanos / 1_000_000, walBefore >> 20, walAfter >> 20,
                    checkpointed ? " (DuckDB checkpointed in the commit)" : ""));
        }

        /** Staged rows go where they belong, in the order they came, and their temp tables go. */
        private void moveStagedRows() throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute("INSERT INTO events SELECT * FROM temp.staged_events");
                st.execute("DROP TABLE temp.staged_events");
                if (stagedAchievements) {
                    st.execute("INSERT INTO goal_achievements SELECT * FROM temp.staged_achievements");
                    st.execute("DROP TABLE temp.staged_achievements");
                }
            }
        }

        @Override
        public int size() {
            return (int) (seq - firstSeq);
        }

        @Override
        public void close() {
            if (done) {
                release(); // normally released by commit already
                return;
            }
            done = true;
            try {
                closeAppenders();
            } catch (SQLException | RuntimeException ignored) {
                // rolled back below either way
            }
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.log(java.util.logging.Level.WARNING, "could not roll back a failed batch", e);
            } finally {
                release();
            }
        }

        private void release() {
            DuckDbDatabase.Lease held = lease;
            lease = null;
            if (held != null) {
                held.close();
            }
        }

        private void closeAppenders() throws SQLException {
            DuckDBAppender e = events;
            DuckDBAppender a = achievements;
            events = null;
            achievements = null;
            try {
                if (e != null) {
                    e.close();
                }
            } finally {
                if (a != null) {
                    a.close();
                }
            }
        }

        private StoreException failed(Exception e) {
            StoreException failure = new StoreException("could not store " + size() + " events: " + e.getMessage(), e);
            close();
            return failure;
        }
    }

    /**
     * The positions after a batch, in its transaction. The statement is prepared once: preparing it
     * per commit was ~4 % of the loader's native time at half rate, where it commits dozens of times a
     * second. One that failed is prepared afresh next time.
     */
    private void savePositions(Collection<JournalPosition> positions) throws SQLException {
        if (positionsUpsert == null) {
            positionsUpsert = connection.prepareStatement(
                    "INSERT OR REPLACE INTO journal_checkpoints (lane, segment, position) VALUES (?, ?, ?)");
        }
        PreparedStatement ps = positionsUpsert;
        try {
            ps.clearBatch();
            for (JournalPosition p : positions) {
                ps.setString(1, p.lane());
                ps.setLong(2, p.segment());
                ps.setLong(3, p.offset());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException | RuntimeException e) {
            positionsUpsert = null;
            try {
                ps.close();
            } catch (SQLException ignored) {
                // prepared afresh either way
            }
            throw e;
        }
    }

    @Override
    public int preferredBatchSize() {
        return (int) (ROW_GROUP_ROWS - rowsInLastGroup());
    }

    private long rowsInLastGroup() {
        if (rowsInLastGroup < 0) {
            rowsInLastGroup = rowsInLastRowGroup(nextSeq - 1);
        }
        return rowsInLastGroup;
    }

    /**
     * Hands the checkpoint after a commit that filled the last row group to the upkeep thread: it
     * compresses the rows logged since the last checkpoint, each once. Its {@link DuckDbDatabase#writing()}
     * lease is taken here, while the committing transaction still holds its own, so that a cache
     * release cannot slip in between.
     *
     * @return nanoseconds the caller spent on it: all of it when the executor ran it right away
     */
    private long startCheckpoint() {
        long started = System.nanoTime();
        DuckDbDatabase.Lease lease = database.writing();
        try {
            checkpointing = CompletableFuture.runAsync(() -> {
                try (lease) {
                    checkpointFullRowGroup();
                }
            }, upkeep);
        } catch (RuntimeException rejected) { // the store is closing
            lease.close();
            LOG.fine("row-group checkpoint not started: " + rejected);
            return 0;
        }
        return checkpointing.isDone() ? System.nanoTime() - started : 0;
    }

    /** @return nanoseconds waited for the row-group checkpoint in progress (0 when none was) */
    private long awaitCheckpoint() {
        CompletableFuture<Void> running = checkpointing;
        if (running.isDone()) {
            return 0;
        }
        long started = System.nanoTime();
        running.join(); // never completes exceptionally: checkpoint() catches what DuckDB throws
        return System.nanoTime() - started;
    }

    /** Runs on the upkeep thread; one refused past the retries (another writer busy) is left to the next. */
    private void checkpointFullRowGroup() {
        long walBytes = database.walBytes();
        if (walBytes == 0) {
            return;
        }
        long nanos = checkpoint();
        // Refused while another transaction writes (the rollup's, say): tried again for a while, during
        // which the loader only stages, so the retry still covers full row groups. One left to the next
        // row group made that checkpoint twice as long (2.2 s at half rate), and rows staged meanwhile
        // stay invisible as long.
        long giveUpAt = System.nanoTime() + refusedRetryNanos;
        while (nanos < 0 && System.nanoTime() < giveUpAt) {
            LockSupport.parkNanos(REFUSED_RETRY_INTERVAL_NANOS);
            nanos = checkpoint();
        }
        if (nanos < 0) {
            LOG.info(String.format("checkpoint after a full row group refused for %d ms (another transaction "
                    + "writing); the next row group's takes it", refusedRetryNanos / 1_000_000));
        } else if (nanos >= SLOW_COMMIT_NANOS) {
            LOG.info(String.format("checkpoint after a full row group: %d MB of write-ahead log in %d ms",
                    walBytes >> 20, nanos / 1_000_000));
        }
    }

    /**
     * Runs DuckDB's CHECKPOINT on a connection of its own (the caller holds a {@link DuckDbDatabase#writing()}
     * lease) and notes when.
     *
     * @return nanoseconds it took, or -1 when DuckDB refused it (another transaction was writing: a
     *         report's, an erasure's), which the next checkpoint makes up for
     */
    private long checkpoint() {
        long started = System.nanoTime();
        try (DuckDBConnection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException | RuntimeException e) {
            refusedCheckpoints.incrementAndGet();
            LOG.fine("checkpoint skipped: " + e.getMessage());
            return -1;
        }
        lastCheckpointAt = System.nanoTime();
        return lastCheckpointAt - started;
    }

    /**
     * Rows in the events table's last row group, from DuckDB's storage info; when that cannot be
     * read, what there would be had every stored row stayed (deletes that DuckDB vacuumed can merge
     * row groups, which only makes the next checkpoints compress a partial group again).
     */
    private long rowsInLastRowGroup(long rowsEverStored) {
        try (DuckDBConnection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(count) FROM pragma_storage_info('events') "
                + "WHERE column_id = 0 AND column_path = '[0]' GROUP BY row_group_id ORDER BY row_group_id DESC LIMIT 1")) {
            if (rs.next()) {
                return rs.getLong(1) % ROW_GROUP_ROWS;
            }
            return 0;
        } catch (SQLException e) {
            LOG.fine("storage info not read: " + e.getMessage());
            return rowsEverStored % ROW_GROUP_ROWS;
        }
    }

    /**
     * Checkpoints when the write-ahead log has grown past {@link #QUIET_CHECKPOINT_BYTES}: the
     * stored rows are compressed into the database file once, in a quiet moment, instead of at
     * every 16 MB of log while a burst is being loaded (which compressed the last row group again
     * and again: the loader needed twice the CPU per hit). It also bounds what a restart replays.
     */
    @Override
    public void quiet() {
        long walBytes = database.walBytes();
        if (upkeepRunning() || walBytes < QUIET_CHECKPOINT_BYTES || System.nanoTime() - lastCheckpointAt < QUIET_CHECKPOINT_SPACING_NANOS) {
            return;
        }
        long nanos;
        try (DuckDbDatabase.Lease writing = database.writing()) {
            nanos = checkpoint();
        }
        if (nanos >= 0) {
            LOG.info(String.format("checkpoint: %d MB of write-ahead log in %d ms", walBytes >> 20, nanos / 1_000_000));
        }
    }

    /** Same transaction as the events: a replayed batch can neither lose nor double an achievement. */
    private static void appendAchievements(DuckDBAppender a, List<Event> events, List<Achievement> achievements,
                                           long firstSeq) throws SQLException {
        for (Achievement g : achievements) {
            Event event = events.get(g.eventIndex());
            a.beginRow();
            a.append(firstSeq + g.eventIndex());
            a.appendEpochMicros(event.hit().receivedAt() * 1000);
            a.append(event.hit().pixel());
            a.append(g.goalId());
            a.append(g.goalVersion());
            a.append(event.visitorId());
            a.append(g.value());
            a.append(g.currency());
            a.endRow();
        }
    }

    private static void appendRow(DuckDBAppender a, long seq, Event event) throws SQLException {
        Hit hit = event.hit();
        GeoLocation geo = event.geo() == null ? GeoLocation.UNKNOWN : event.geo();
        Device device = event.device() == null ? Device.UNKNOWN : event.device();
        TrafficSource source = event.source() == null ? TrafficSource.DIRECT : event.source();
        UrlParts url = UrlParts.of(hit.url());
        a.beginRow();
        a.append(seq);
        a.appendEpochMicros(hit.receivedAt() * 1000);
        a.append(hit.pixel());
        a.append(hit.kind().wireName());
        a.append(hit.name());
        a.append(hit.url());
        a.append(url.host());
        a.append(url.path());
        a.append(hit.title());
        a.append(hit.referrer());
        a.append(source.channel());
        a.append(source.source());
        a.append(source.term());
        a.append(source.utmSource());
        a.append(source.utmMedium());
        a.append(source.utmCampaign());
        a.append(source.utmTerm());
        a.append(source.utmContent());
        a.append(source.clickIdType());
        a.append(source.clickId());
        a.append(event.visitorId());
        a.append(event.ipPrefix());
        a.append(geo.country());
        a.append(geo.region());
        a.append(geo.city());
        a.append(geo.latitude());
        a.append(geo.longitude());
        a.append(geo.timeZone());
        a.append(geo.database());
        a.append(hit.timeZone());
        a.append(event.timeZone());
        a.append(device.deviceClass());
        a.append(device.deviceBrand());
        a.append(device.browser());
        a.append(device.browserVersion());
        a.append(device.os());
        a.append(device.osVersion());
        a.append(device.bot());
        a.append(hit.language());
        a.append(hit.screen());
        a.append(hit.value());
        a.append(hit.currency());
        a.append(hit.campaign());
        a.append(hit.recipient());
        a.append(hit.link());
        if (hit.props() == null || hit.props().isEmpty()) {
            a.appendNull(); // an empty MAP costs the appender several native calls; NULL reads the same (props['k'] is NULL)
        } else {
            a.append(hit.props());
        }
        a.append(event.localHour() == null ? null : Byte.valueOf(event.localHour().byteValue()));
        a.append(event.rawIp());
        a.endRow();
    }

    /** Checkpoints DuckDB refused (another transaction writing), retries included. */
    long refusedCheckpoints() {
        return refusedCheckpoints.get();
    }

    @Override
    public long storedEvents() {
        return stored.get();
    }

    @Override
    public void close() {
        awaitCheckpoint();
        if (ownUpkeep != null) {
            ownUpkeep.shutdown();
        }
        try (connection) {
            if (positionsUpsert != null) {
                positionsUpsert.close();
            }
        } catch (SQLException ignored) {
            // Nothing uncommitted is left: every append commits or rolls back.
        }
    }
}
