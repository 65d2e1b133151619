package dev.speck.store.duckdb;

import dev.speck.hit.Hit;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes batches of events with DuckDB's appender into in-memory tables, where they are visible at
 * once (see {@link DuckDbDatabase#VISIBLE}), and moves each full row group into the database file on
 * an upkeep thread of its own, in one transaction with the journal positions after it. The loader
 * (one thread, one transaction at a time) never waits for the file: not for a checkpoint, which makes
 * inserts into a table wait while it runs, nor for a write-ahead log entry per row. What is in memory
 * only is still in the journal, which keeps it until the move tells it so ({@link #persistedPositions()}):
 * a crash loses nothing and doubles nothing, the journal replays from the positions stored with the
 * rows.
 */
public final class DuckDbEventStore implements EventStore {

    /**
     * Rows in one of DuckDB's row groups (its default row_group_size). A move of a full row group is
     * written compressed straight into the file; a partial one goes through the write-ahead log, and
     * the next move that fills that row group has it compressed again. So a generation is handed over
     * where the file's last row group would be full (see {@link #preferredBatchSize()}).
     */
    static final int ROW_GROUP_ROWS = 122_880;

    /**
     * The write-ahead log size from which a move of full row groups is followed by a checkpoint (a
     * partial move always is: its rows went through the log). DuckDB's own default threshold.
     */
    static final long CHECKPOINT_LOG_BYTES = 16L << 20;

    /** How long a refused checkpoint after a move is tried again, and how often. */
    static final long REFUSED_RETRY_NANOS = 1_000_000_000L;
    static final long REFUSED_RETRY_INTERVAL_NANOS = 50_000_000L;

    /** How long a failed move waits before it is tried again (the rows wait in memory and in the journal). */
    static final long MOVE_RETRY_NANOS = 1_000_000_000L;

    /**
     * The most rows the loader fills one generation with while the last move is still running (the
     * mover runs at background priority, and a full-speed burst starved it for 16 s once): then it
     * waits for that move, so memory holds at most this and the generation being moved.
     */
    static final long MAX_GENERATION_ROWS = 2L * ROW_GROUP_ROWS;

    /** How long the loader must have had nothing to load before what it holds is moved into the file. */
    static final long IDLE_MOVE_NANOS = 2_000_000_000L;

    /** Moves and checkpoints slower than this are logged. */
    static final long SLOW_NANOS = 500_000_000L;

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DuckDbEventStore.class.getName());

    private static final CompletableFuture<Void> NO_MOVE = CompletableFuture.completedFuture(null);

    private final DuckDbDatabase database;
    /** The loader's: appends into the in-memory generation it fills. */
    private final DuckDBConnection connection;
    /** Runs the moves; a caller-runs executor makes them synchronous (tests). */
    private final Executor upkeep;
    /** The executor this store made for itself, shut down with it; null when given one. */
    private final ExecutorService ownUpkeep;
    /** The last move handed to {@link #upkeep}; done when the rows are in the file and their generation empty. */
    private volatile CompletableFuture<Void> moving = NO_MOVE;
    private final long refusedRetryNanos;
    private final AtomicLong refusedCheckpoints = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failedMoves = new AtomicLong();
    private volatile boolean closing;
    /** Set by {@link #persistSoon()}: the loader hands over what it has at its next commit or idle moment. */
    private volatile boolean moveWanted;
    /** The journal positions stored in the file with the last move (at start, those it holds). */
    private volatile List<JournalPosition> persisted;

    // The loader thread's own (and close's, after the loader stopped):
    private long nextSeq;
    /** The in-memory generation (0 or 1) the loader fills; the other is empty or being moved. */
    private int generation;
    private long rowsInGeneration;
    /** System.nanoTime() of the last commit that loaded rows. */
    private long lastCommitAt = System.nanoTime();
    /** Each lane's position after the last commit, for the move that takes the rows before it. */
    private final Map<String, JournalPosition> loadedPositions = new LinkedHashMap<>();
    /**
     * Rows in the file's last row group, counting the rows handed to moves; -1 until first asked: reading
     * DuckDB's storage info takes ~80 ms on 3.6 million rows and grows with the table, so not at start.
     */
    private long rowsInLastGroup = -1;

    /** Moves on a background thread of the store's own ("speck-mover", at background priority). */
    public DuckDbEventStore(DuckDbDatabase database) {
        this(database, null, REFUSED_RETRY_NANOS);
    }

    DuckDbEventStore(DuckDbDatabase database, Executor upkeep) {
        this(database, upkeep, REFUSED_RETRY_NANOS);
    }

    /**
     * @param upkeep            where the moves run; null for a thread of the store's own
     * @param refusedRetryNanos how long a refused checkpoint after a move is tried again
     */
    DuckDbEventStore(DuckDbDatabase database, Executor upkeep, long refusedRetryNanos) {
        this.database = database;
        this.refusedRetryNanos = refusedRetryNanos;
        if (upkeep == null) {
            this.ownUpkeep = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(() -> {
                    BackgroundPriority.lowerCurrentThread();
                    task.run();
                }, "speck-mover");
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
        } catch (SQLException e) {
            throw new StoreException("cannot read the events table: " + e.getMessage(), e);
        }
        persisted = List.copyOf(checkpoints());
        persisted.forEach(p -> loadedPositions.put(p.lane(), p));
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot open the loader's connection: " + e.getMessage(), e);
        }
    }

    /** The positions stored in the file: where a replay after a restart begins. */
    @Override
    public List<JournalPosition> checkpoints() {
        List<JournalPosition> positions = new ArrayList<>();
        try (DuckDBConnection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT lane, segment, position FROM journal_checkpoints")) {
            while (rs.next()) {
                positions.add(new JournalPosition(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read journal checkpoints: " + e.getMessage(), e);
        }
        return positions;
    }

    @Override
    public List<JournalPosition> persistedPositions() {
        return persisted;
    }

    @Override
    public Transaction begin() {
        return new LoaderTransaction(generation);
    }

    /**
     * One DuckDB transaction on the in-memory generation: events go through the appender as they are
     * added (DuckDB copies them into its own chunks, so the Java objects are garbage at once).
     */
    private final class LoaderTransaction implements Transaction {
        private final int into;
        private final long firstSeq = nextSeq;
        private long seq = firstSeq;
        private DuckDBAppender events;
        private DuckDBAppender achievements;
        private boolean done;
        /** Held from begin to commit or rollback: DuckDB's cache is not released in between. */
        private DuckDbDatabase.Lease lease = database.writing();

        LoaderTransaction(int into) {
            this.into = into;
            try {
                // DuckDB's JDBC driver opens the transaction at the first statement, and appender rows
                // join an open transaction but commit on their own without one: so a statement goes first.
                try (Statement begin = connection.createStatement()) {
                    begin.execute("SELECT 1");
                }
                events = appender("events");
            } catch (SQLException | RuntimeException e) {
                throw failed(e);
            }
        }

        private DuckDBAppender appender(String table) throws SQLException {
            return connection.createAppender(DuckDbDatabase.VISIBLE, DuckDBConnection.DEFAULT_SCHEMA,
                    DuckDbDatabase.loadedName(table, into));
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
                        achievements = appender("goal_achievements");
                    }
                    appendAchievements(achievements, added, achieved, chunkFirstSeq);
                }
            } catch (SQLException | RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public long commit(Collection<JournalPosition> positions) {
            try {
                closeAppenders(); // flushes their last rows into the transaction
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                throw failed(e);
            }
            done = true;
            nextSeq = seq;
            stored.addAndGet(size());
            rowsInGeneration += size();
            lastCommitAt = System.nanoTime();
            positions.forEach(p -> loadedPositions.put(p.lane(), p));
            long upkeepNanos = 0;
            if (rowsInGeneration > 0 && (moveWanted || (rowsInLastGroup() + rowsInGeneration) % ROW_GROUP_ROWS == 0)) {
                if (rowsInGeneration >= MAX_GENERATION_ROWS) {
                    upkeepNanos = awaitMoveNanos(); // the mover fell behind: memory stays bounded, the journal holds the rest
                }
                upkeepNanos += handOver(); // its lease is taken under this transaction's: no cache release slips in between
            }
            release();
            return upkeepNanos;
        }

        @Override
        public int size() {
            return (int) (seq - firstSeq);
        }

        @Override
        public void close() {
            if (done) {
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
                // DuckDB's close() flushes the last rows but swallows a failed flush (they would be
                // dropped and the commit go through without them): flush() says so, then close.
                if (e != null) {
                    e.flush();
                }
                if (a != null) {
                    a.flush();
                }
            } finally {
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
        }

        private StoreException failed(Exception e) {
            StoreException failure = new StoreException("could not store " + size() + " events: " + e.getMessage(), e);
            close();
            return failure;
        }
    }

    /**
     * Hands the generation the loader filled to the upkeep thread and switches the loader to the
     * other one, unless the last move is still running (then the loader goes on filling this one, to
     * the next row group's end). On the loader thread.
     *
     * @return nanoseconds the caller spent on it: all of the move when the executor ran it right away
     */
    private long handOver() {
        if (!moving.isDone() || rowsInGeneration == 0) {
            return 0;
        }
        long started = System.nanoTime();
        Runnable move = takeGeneration();
        DuckDbDatabase.Lease lease = database.writing();
        try {
            moving = CompletableFuture.runAsync(() -> {
                try (lease) {
                    move.run();
                }
            }, upkeep);
        } catch (RuntimeException rejected) { // the store is closing: the rows stay in the journal
            lease.close();
            LOG.fine("move not started: " + rejected);
            return 0;
        }
        return moving.isDone() ? System.nanoTime() - started : 0;
    }

    /** Switches the loader to the other generation; returns the move of the one it filled. */
    private Runnable takeGeneration() {
        int from = generation;
        long upTo = nextSeq - 1;
        long rows = rowsInGeneration;
        boolean fillsRowGroups = (rowsInLastGroup() + rows) % ROW_GROUP_ROWS == 0;
        List<JournalPosition> after = List.copyOf(loadedPositions.values());
        rowsInLastGroup = (rowsInLastGroup() + rows) % ROW_GROUP_ROWS;
        generation = 1 - from;
        rowsInGeneration = 0;
        moveWanted = false;
        return () -> move(from, upTo, rows, after, fillsRowGroups);
    }

    /**
     * Runs on the upkeep thread: moves a generation's rows into the file with the positions after
     * them and the seq they reach (one transaction), empties the generation, and checkpoints. A
     * failed move is tried again until it goes through or the store closes; its rows are safe in
     * the journal meanwhile, and visible in memory.
     */
    private void move(int from, long upTo, long rows, List<JournalPosition> after, boolean fillsRowGroups) {
        long started = System.nanoTime();
        while (!moveOnce(from, upTo, after)) {
            if (closing) {
                return;
            }
            LockSupport.parkNanos(MOVE_RETRY_NANOS);
        }
        long movedAt = System.nanoTime();
        persisted = after;
        moved.addAndGet(rows);
        // Full row groups went into the file compressed, the log holds little more than where: no
        // checkpoint for that (under half-rate load one took 2.7 and 7.7 s once, holding up the next
        // move while the loader filled two row groups and had to wait).
        long checkpoint = fillsRowGroups && database.walBytes() < CHECKPOINT_LOG_BYTES ? 0 : checkpointAfterMove();
        if (movedAt - started >= SLOW_NANOS || checkpoint >= SLOW_NANOS) {
            LOG.info(String.format("moved %d events into the file in %d ms, checkpoint %d ms",
                    rows, (movedAt - started) / 1_000_000, Math.max(checkpoint, 0) / 1_000_000));
        }
    }

    /** @return whether the rows are in the file and their generation is empty */
    private boolean moveOnce(int from, long upTo, List<JournalPosition> after) {
        database.moves().lock();
        try (DuckDBConnection c = database.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                // Rows up to events_moved are in the file already: a generation left unemptied by a
                // failure below must not be moved twice.
                for (String table : DuckDbDatabase.LOADED_TABLES) {
                    st.execute("INSERT INTO " + table + " SELECT * FROM " + DuckDbDatabase.loaded(table, from)
                            + " WHERE seq > (SELECT seq FROM events_moved)");
                }
                st.execute("UPDATE events_moved SET seq = " + upTo);
                savePositions(c, after);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            c.setAutoCommit(true);
            for (String table : DuckDbDatabase.LOADED_TABLES) {
                database.emptyLoaded(st, table, from);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            failedMoves.incrementAndGet();
            LOG.log(java.util.logging.Level.WARNING, "could not move loaded events into the file (they stay in "
                    + "memory and in the journal; trying again): " + e.getMessage(), e);
            return false;
        } finally {
            database.moves().unlock();
        }
    }

    /**
     * The positions after the moved rows, in the move's transaction (a lane's position is one row,
     * replaced).
     */
    private static void savePositions(DuckDBConnection c, Collection<JournalPosition> positions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO journal_checkpoints (lane, segment, position) VALUES (?, ?, ?)")) {
            for (JournalPosition p : positions) {
                ps.setString(1, p.lane());
                ps.setLong(2, p.segment());
                ps.setLong(3, p.offset());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * What a partial move logged (and the positions) is folded into the file by a checkpoint, on this
     * thread, where it keeps no one waiting. Refused while another transaction writes (the rollup's, an erasure's): tried again for
     * a while, then left to the next move.
     *
     * @return nanoseconds it took, or -1 when it was refused throughout
     */
    private long checkpointAfterMove() {
        if (database.walBytes() == 0) {
            return 0;
        }
        long nanos = checkpoint();
        long giveUpAt = System.nanoTime() + refusedRetryNanos;
        while (nanos < 0 && System.nanoTime() < giveUpAt && !closing) {
            LockSupport.parkNanos(REFUSED_RETRY_INTERVAL_NANOS);
            nanos = checkpoint();
        }
        if (nanos < 0) {
            LOG.fine(String.format("checkpoint after a move refused for %d ms (another transaction writing); "
                    + "the next move's takes it", refusedRetryNanos / 1_000_000));
        }
        return nanos;
    }

    /**
     * Runs DuckDB's CHECKPOINT on a connection of its own (the caller holds a {@link DuckDbDatabase#writing()}
     * lease).
     *
     * @return nanoseconds it took, or -1 when DuckDB refused it (another transaction was writing)
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
        return System.nanoTime() - started;
    }

    @Override
    public int preferredBatchSize() {
        return ROW_GROUP_ROWS - (int) ((rowsInLastGroup() + rowsInGeneration) % ROW_GROUP_ROWS);
    }

    private long rowsInLastGroup() {
        if (rowsInLastGroup < 0) {
            rowsInLastGroup = rowsInLastRowGroup(nextSeq - 1);
        }
        return rowsInLastGroup;
    }

    /**
     * Rows in the events table's last row group, from DuckDB's storage info; when that cannot be
     * read, what there would be had every stored row stayed (deletes that DuckDB vacuumed can merge
     * row groups, which only makes the next moves compress a partial group again).
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
     * Between the loader's polls while it has nothing to load: once nothing has come for
     * {@link #IDLE_MOVE_NANOS}, or when someone asked ({@link #persistSoon()}), what it loaded since
     * the last move goes into the file, a partial row group (which the next move that fills it
     * compresses again) rather than memory held and a journal kept through an idle spell. Not merely
     * when the loader keeps up: it does with steady half-rate traffic too, and a partial move every
     * few seconds there cost a checkpoint each (0.4-5.8 s under load).
     */
    @Override
    public void idle() {
        if (rowsInGeneration == 0) {
            if (moving.isDone()) {
                moveWanted = false;
            }
            return;
        }
        if (moveWanted || System.nanoTime() - lastCommitAt >= IDLE_MOVE_NANOS) {
            handOver();
        }
    }

    /** Moves what the loader holds in memory into the file now (when no move is running); tests. */
    void moveNow() {
        moveWanted = true;
        handOver();
    }

    /** Asks for everything loaded so far to be moved into the file soon (an erasure waits for it). */
    @Override
    public void persistSoon() {
        moveWanted = true;
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
        UrlParts url = UrlParts.of(hit.page().url());
        a.beginRow();
        a.append(seq);
        a.appendEpochMicros(hit.receivedAt() * 1000);
        a.append(hit.pixel());
        a.append(hit.kind().wireName());
        a.append(hit.name());
        a.append(hit.page().url());
        a.append(url.host());
        a.append(url.path());
        a.append(hit.page().title());
        a.append(hit.page().referrer());
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
        a.append(hit.client().timeZone());
        a.append(event.timeZone());
        a.append(device.deviceClass());
        a.append(device.deviceBrand());
        a.append(device.browser());
        a.append(device.browserVersion());
        a.append(device.os());
        a.append(device.osVersion());
        a.append(device.bot());
        a.append(hit.client().language());
        a.append(hit.client().screen());
        a.append(hit.value().amount());
        a.append(hit.value().currency());
        a.append(hit.email().campaign());
        a.append(hit.email().recipient());
        a.append(hit.link().code());
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

    /** Events loaded since start (visible to readers at once). */
    @Override
    public long storedEvents() {
        return stored.get();
    }

    /**
     * Events the loader committed into memory and no move has taken into the file yet (counting any an
     * erasure deleted there meanwhile).
     */
    public long eventsInMemory() {
        return stored.get() - moved.get();
    }

    /** Events moved into the file since start. */
    long movedEvents() {
        return moved.get();
    }

    /** Moves DuckDB refused (they are tried again). */
    long failedMoves() {
        return failedMoves.get();
    }

    /** Waits for the move running now, if any (tests). */
    void awaitMove() {
        moving.join();
    }

    /** @return nanoseconds waited for the move running now (0 when none was) */
    private long awaitMoveNanos() {
        if (moving.isDone()) {
            return 0;
        }
        long started = System.nanoTime();
        moving.join(); // never completes exceptionally: move() catches what DuckDB throws
        return System.nanoTime() - started;
    }

    /**
     * Moves what the loader left in memory into the file (after the loader stopped), so that a clean
     * stop leaves nothing for the journal to replay. A move that fails is not retried: its rows are in
     * the journal. Waits at most a minute for a move already running.
     */
    @Override
    public void close() {
        closing = true;
        try {
            moving.get(1, java.util.concurrent.TimeUnit.MINUTES); // never fails: move() catches what DuckDB throws
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warning("a move into the file did not end; its rows are in the journal for the next start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (rowsInGeneration > 0 && moving.isDone()) {
            try (DuckDbDatabase.Lease lease = database.writing()) {
                takeGeneration().run(); // here: the upkeep thread may be gone
            }
        }
        if (ownUpkeep != null) {
            ownUpkeep.shutdown();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing uncommitted is left: every transaction commits or rolls back.
        }
    }
}
