package dev.speck.store.duckdb;

import dev.speck.store.BackgroundPriority;
import dev.speck.store.StoreException;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The embedded DuckDB database file in the data folder: opened once per process (DuckDB allows one
 * writing process), with its schema applied at start. Each user of it takes its own connection.
 */
public final class DuckDbDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DuckDbDatabase.class.getName());

    /** The limit DuckDB is lowered to for a moment when its cache is released. */
    static final String RELEASE_LIMIT = "1MB";

    /** How long queries may keep {@link #releaseCache()} waiting before it gives up until next time. */
    static final long QUERY_PATIENCE_NANOS = 5_000_000_000L;

    /** The in-memory catalog of rows loaded but not yet moved into the file, and of the views over both. */
    public static final String VISIBLE = "visible";

    /** Every event a reader may see: those in the file and those loaded into memory since the last move. */
    public static final String VISIBLE_EVENTS = VISIBLE + ".events";

    /** Every goal achievement a reader may see, as {@link #VISIBLE_EVENTS}. */
    public static final String VISIBLE_ACHIEVEMENTS = VISIBLE + ".goal_achievements";

    /** The tables the loader fills, each with in-memory generations and a view in {@link #VISIBLE}. */
    static final List<String> LOADED_TABLES = List.of("events", "goal_achievements");

    private final DuckDBConnection root;
    private final Path file;

    private final String memoryLimit;
    private final int threads;
    /**
     * Keeps {@link #releaseCache()}'s moment at almost no memory apart from anything else on DuckDB:
     * a quiet checkpoint that began in that moment ended the process (DuckDB threw
     * OutOfMemoryException where nothing caught it: "terminate called"), and a report that ran in it
     * failed ("Out of Memory (946.0 KiB/976.5 KiB used)"). Writers ({@link #writing()}) and every
     * connection from {@link #connect()} hold it shared.
     */
    private final ReleaseGuard releaseGuard = new ReleaseGuard();
    /** See {@link #moves()}. */
    private final java.util.concurrent.locks.ReentrantLock moves = new java.util.concurrent.locks.ReentrantLock();
    /** Per loaded table, the columns its in-memory generations must keep non-null (see {@link #emptyLoaded}). */
    private final Map<String, List<String>> notNullColumns = new HashMap<>();

    private DuckDbDatabase(DuckDBConnection root, Path file, String memoryLimit, int threads) {
        this.root = root;
        this.file = file;
        this.memoryLimit = memoryLimit;
        this.threads = threads;
    }

    /**
     * @param memoryLimit DuckDB's memory_limit, for example "256MB"
     * @param threads     DuckDB worker threads for queries
     */
    public static DuckDbDatabase open(Path dataDir, String memoryLimit, int threads) {
        return open(dataDir, memoryLimit, threads, 0);
    }

    /**
     * @param checkpointThreshold the write-ahead log size at which DuckDB checkpoints in the middle of
     *                            loading, in bytes; 0 for DuckDB's default (16 MB). Each checkpoint
     *                            compresses the table's last, partly filled row group again; the store
     *                            checkpoints after its own moves (see {@link DuckDbEventStore}), so this
     *                            is a backstop.
     */
    public static DuckDbDatabase open(Path dataDir, String memoryLimit, int threads, long checkpointThreshold) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("speck.duckdb");
            Properties props = new Properties();
            props.setProperty("memory_limit", memoryLimit);
            props.setProperty("threads", Integer.toString(threads));
            // jemalloc (linked into DuckDB) purges freed pages from its own background threads, not
            // inline in the loader's commits. In three load.sh pairs the half-rate p99 was 9-12 ms
            // with them and 14-17 ms without, for more CPU per hit (64 vs 53 µs until stored).
            props.setProperty("allocator_background_threads", "true");
            if (checkpointThreshold > 0) {
                props.setProperty("checkpoint_threshold", (checkpointThreshold >> 10) + "KiB");
            }
            Set<String> threadsBefore = BackgroundPriority.threadIds();
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, props);
            // DuckDB's workers compress and checkpoint what the loader stores: background work too.
            BackgroundPriority.lowerThreadsStartedSince(threadsBefore);
            DuckDbDatabase db = new DuckDbDatabase(root, file, memoryLimit, threads);
            db.applySchema();
            db.attachLoaded();
            return db;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot open the DuckDB store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void applySchema() throws SQLException, IOException {
        String ddl;
        try (InputStream in = DuckDbDatabase.class.getResourceAsStream("schema.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Statement st = root.createStatement()) {
            for (String sql : ddl.replaceAll("(?m)--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
            MoneyColumns.migrate(st);
        }
    }

    /**
     * The in-memory database beside the file, which the loader commits into: DuckDB makes inserts into
     * a table wait while it checkpoints that table (0.5 s per row group alone, up to 2 s under load, more
     * as the file grows), and a write-ahead log entry per row costs the loader ~3.4 µs. So each batch
     * is committed here, visible at once through the views {@code visible.events} and
     * {@code visible.goal_achievements}, and the store moves each full row group into the file on its
     * own thread (DuckDB writes a bulk insert's row groups compressed, straight into the file), with the
     * journal positions after it: what is not yet moved is still in the journal. Two generations of
     * tables, so that the loader fills one while the other is moved. The views skip the in-memory copies
     * of rows already moved ({@code events_moved}, set in the move's transaction), so no reader counts
     * a row twice or misses it.
     */
    private void attachLoaded() throws SQLException {
        try (Statement st = root.createStatement()) {
            String stored;
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                stored = '"' + rs.getString(1).replace("\"", "\"\"") + '"';
            }
            st.execute("ATTACH ':memory:' AS " + VISIBLE);
            for (String table : LOADED_TABLES) {
                notNullColumns.put(table, notNullColumns(st, table));
                StringBuilder view = new StringBuilder("CREATE VIEW " + VISIBLE + "." + table + " AS SELECT * FROM "
                        + stored + ".main." + table);
                for (int generation = 0; generation < 2; generation++) {
                    emptyLoaded(st, table, generation);
                    view.append(" UNION ALL SELECT * FROM ").append(loaded(table, generation))
                            .append(" WHERE seq > (SELECT seq FROM ").append(stored).append(".main.events_moved)");
                }
                st.execute(view.toString());
            }
        }
    }

    /** An in-memory generation of one of the {@link #LOADED_TABLES}, qualified. */
    static String loaded(String table, int generation) {
        return VISIBLE + "." + loadedName(table, generation);
    }

    /** An in-memory generation's table name, within {@link #VISIBLE}'s main schema. */
    static String loadedName(String table, int generation) {
        return "loaded_" + table + "_" + generation;
    }

    /**
     * (Re)creates a generation empty: a table dropped gives its memory back, where DELETE would keep
     * it (DuckDB does not vacuum in-memory tables: 447 MB after 200 batches, in a trial with temp tables).
     */
    void emptyLoaded(Statement st, String table, int generation) throws SQLException {
        String name = loaded(table, generation);
        st.execute("CREATE OR REPLACE TABLE " + name + " AS SELECT * FROM " + table + " LIMIT 0");
        // CREATE TABLE AS copies no constraints: without them a row the file refuses (a NULL pixel)
        // would pass the loader's commit and then fail every move; with them the loader's commit fails.
        for (String column : notNullColumns.get(table)) {
            st.execute("ALTER TABLE " + name + " ALTER COLUMN " + column + " SET NOT NULL");
        }
    }

    /** The NOT NULL columns of a file table, read once at open (the schema does not change while open). */
    private static List<String> notNullColumns(Statement st, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT column_name FROM duckdb_columns() WHERE database_name = "
                + "current_database() AND schema_name = 'main' AND table_name = '" + table + "' AND NOT is_nullable")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return List.copyOf(columns);
    }

    /**
     * Held while rows move from memory into the file, and by whoever deletes events (erasure), so
     * that a row deleted in memory is not moved into the file by a move that read it before.
     */
    public java.util.concurrent.locks.Lock moves() {
        return moves;
    }

    /**
     * Lets DuckDB give back the memory it holds after loading or a report, for idle moments only.
     * A checkpoint first writes what the write-ahead log holds into the file: rows not yet
     * checkpointed live in memory and could only be evicted into temp files. Then the limit is
     * lowered to almost nothing for a moment, which evicts every block that is on disk, and
     * restored. (A dip to 32 MB left 23–27 MB of table blocks behind after a burst; this leaves
     * none.) Last, DuckDB's allocator hands the freed pages back to the system
     * ({@link #flushAllocator}). What DuckDB cannot evict (rows the loader holds in memory) stays;
     * nothing else changes. It waits for writers, and for queries at most {@link #QUERY_PATIENCE_NANOS}:
     * when queries run all along, the cache is not released this time (the idle trim comes again).
     *
     * @return whether it was released
     */
    public boolean releaseCache() {
        if (!releaseGuard.beginRelease(QUERY_PATIENCE_NANOS)) {
            LOG.info("memory: DuckDB's cache not released: queries ran all along; at the next idle moment");
            return false;
        }
        try (DuckDBConnection c = connectUnleased(); Statement st = c.createStatement()) {
            try {
                st.execute("CHECKPOINT");
            } catch (SQLException e) {
                // rows appended since the last checkpoint stay in memory (IN_MEMORY_TABLE) until one succeeds
                LOG.info("memory: no checkpoint before releasing DuckDB's cache: " + e.getMessage());
            }
            try {
                st.execute("SET memory_limit = '" + RELEASE_LIMIT + "'");
            } catch (SQLException e) {
                // Rows the loader holds in memory (not yet moved into the file) cannot be evicted.
                LOG.fine("cache only partly released: " + e.getMessage());
            }
            // On a statement of its own: DuckDB closes one whose statement failed, and the limit it
            // could not reach stays set.
            try (Statement restore = c.createStatement()) {
                restore.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
                flushAllocator(restore);
            }
            LOG.info("memory: DuckDB's cache released; it still holds " + memoryByTag(c));
            return true;
        } catch (SQLException e) {
            LOG.warning("cache not released: " + e.getMessage());
            return false;
        } finally {
            releaseGuard.endRelease();
        }
    }

    /**
     * Hands the pages the eviction just freed back to the system now. DuckDB's allocator (jemalloc)
     * keeps freed pages for its decay time, and without its background threads (on since
     * {@link #open}) until it next allocates, which an idle store does not: a load.sh run idled at
     * 516 MB that way after its trim. DuckDB purges every arena (and trims malloc) whenever its worker
     * count changes, so the count is stepped down and back. The relaunched workers inherit the
     * calling thread's priority: call this from a background thread (the idle trim's is one).
     */
    private void flushAllocator(Statement st) throws SQLException {
        try {
            st.execute("SET threads = " + (threads > 1 ? threads - 1 : threads + 1));
        } finally {
            st.execute("SET threads = " + threads);
        }
    }

    /** Bytes DuckDB's buffer manager holds now (duckdb_memory()), or -1 when it cannot tell. */
    public long memoryInUse() {
        try (Connection c = connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException | StoreException e) {
            return -1;
        }
    }

    /**
     * What DuckDB's buffer manager holds, by what it holds it for (duckdb_memory()'s tags:
     * BASE_TABLE for table blocks, ART_INDEX, HASH_TABLE, IN_MEMORY_TABLE, ...), in bytes; only the
     * tags that hold something. Empty when the store cannot be asked.
     */
    public java.util.Map<String, Long> memoryByTag() {
        try (Connection c = connect()) {
            return memoryByTag(c);
        } catch (SQLException | StoreException e) {
            return new java.util.TreeMap<>();
        }
    }

    private static java.util.Map<String, Long> memoryByTag(Connection c) {
        java.util.Map<String, Long> tags = new java.util.TreeMap<>();
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0")) {
            while (rs.next()) {
                tags.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            tags.clear();
        }
        return tags;
    }

    /**
     * A new connection of its own; close it when done. While open it holds a lease that keeps
     * {@link #releaseCache()} away (and waits for one running), so nothing run on it meets the
     * release's moment: do not keep one open while idle.
     */
    public Connection connect() {
        Lease lease = releaseGuard.query();
        try {
            return LeasedConnection.of(connectUnleased(), lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * A connection that holds no lease: for the loader's, kept open for good (each of its
     * transactions holds {@link #writing()}), and the release's own.
     */
    DuckDBConnection connectUnleased() {
        try {
            return (DuckDBConnection) root.duplicate();
        } catch (SQLException e) {
            throw new StoreException("cannot connect to " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Held while background work writes to DuckDB or checkpoints it (the loader's transactions and
     * checkpoints, the rollup, retention), so that {@link #releaseCache()} waits for it and it for
     * releaseCache. Shared: writers do not wait for each other here.
     */
    public Lease writing() {
        return releaseGuard.writer();
    }

    /** A {@link #writing()} or {@link #connect()} hold; closing it lets releaseCache go ahead. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Folds the write-ahead log into the file now (after an erasure: the log then keeps no copy of
     * erased rows). Best effort: a checkpoint runs at close anyway.
     */
    public void checkpoint() {
        try (Lease writing = writing(); Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            // a checkpoint runs at close anyway; the rows are deleted either way
        }
    }

    /** The size of DuckDB's write-ahead log now, in bytes (0 when there is none). */
    public long walBytes() {
        try {
            return Files.size(file.resolveSibling(file.getFileName() + ".wal"));
        } catch (java.io.IOException e) {
            return 0; // none yet, or just removed by a checkpoint
        }
    }

    @Override
    public void close() {
        try (Connection c = root; Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            // Closing anyway: DuckDB replays its WAL at the next start.
        }
    }
}
