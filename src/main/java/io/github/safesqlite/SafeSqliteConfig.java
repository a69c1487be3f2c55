package io.github.safesqlite;

import io.github.safesqlite.engine.SqliteJdbcOptions;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SharedMetricRegistries;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated settings of one database: where it is, the PRAGMA profile every physical
 * connection gets, and the sizes and time-outs of the writer gate and the reader pool.
 * Immutable; built by {@link SafeSqliteDataSource}'s builder or setters, or parsed from a
 * {@code jdbc:safesqlite:} URL. Every value is checked here, before any of it reaches SQL.
 */
public final class SafeSqliteConfig {

    /** The {@code synchronous} levels that are safe with WAL. */
    /** Who checkpoints the WAL ({@code checkpoint_mode}). */
    public enum CheckpointMode {
        /** safesqlite, in the background: PASSIVE past {@code checkpoint_threshold}, TRUNCATE past {@code journal_size_limit}. The default. */
        AUTO,
        /** safesqlite, but PASSIVE only: it never truncates or restarts the WAL. */
        PASSIVE,
        /** Another process (Litestream, a backup tool) owns checkpoints: safesqlite runs none, not even at close. */
        EXTERNAL
    }

    public enum Synchronous {
        /** Durable at checkpoints; a power loss may undo the last commits, never corrupt. The default. */
        NORMAL(1),
        /** Every commit is synced before it returns. */
        FULL(2),
        /** FULL, and the directory is synced too. */
        EXTRA(3);

        private final int level;

        Synchronous(int level) {
            this.level = level;
        }

        /** The number SQLite reports for {@code PRAGMA synchronous}. */
        public int level() {
            return level;
        }
    }

    /** The in-memory database name that SQLite understands. */
    static final String MEMORY = ":memory:";

    private final String path;
    private final EnumMap<Setting, Object> values;
    private final MetricRegistry registry;
    private final List<SafeSqliteListener> listeners;
    private final List<ConnectionInitializer> initializers;
    /** sqlite-jdbc's own options, checked by {@link SqliteJdbcOptions}, in key order. */
    private final Map<String, String> sqliteJdbc;
    private final boolean generatedKeys;

    private SafeSqliteConfig(String path, EnumMap<Setting, Object> values, MetricRegistry registry,
            List<SafeSqliteListener> listeners, List<ConnectionInitializer> initializers,
            Map<String, String> sqliteJdbc) {
        this.listeners = List.copyOf(listeners);
        this.initializers = List.copyOf(initializers);
        this.sqliteJdbc = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sqliteJdbc));
        // read at every connection's opening, so worked out once
        this.generatedKeys = !"false".equalsIgnoreCase(this.sqliteJdbc.getOrDefault("jdbc.get_generated_keys", "true").trim());
        this.path = path;
        this.values = values;
        this.registry = registry;
    }

    /** A new builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The database file as given, or {@code :memory:}. */
    public String path() {
        return path;
    }

    /**
     * True for an in-memory database ({@code :memory:}) or a private temporary one (an empty path, as
     * {@code jdbc:sqlite:} alone is in sqlite-jdbc): neither can use WAL or be shared by several
     * physical connections, so it runs on one.
     */
    public boolean inMemory() {
        return path.equals(MEMORY) || path.isEmpty();
    }

    /** {@code PRAGMA synchronous} on every connection. */
    public Synchronous synchronous() {
        return (Synchronous) values.get(Setting.SYNCHRONOUS);
    }

    /** {@code PRAGMA busy_timeout}, in milliseconds. */
    public int busyTimeoutMillis() {
        return (Integer) values.get(Setting.BUSY_TIMEOUT);
    }

    /** {@code PRAGMA foreign_keys}. */
    public boolean foreignKeys() {
        return (Boolean) values.get(Setting.FOREIGN_KEYS);
    }

    /** {@code PRAGMA cache_size}: pages when positive, KiB when negative. */
    public long cacheSize() {
        return (Long) values.get(Setting.CACHE_SIZE);
    }

    /** {@code PRAGMA mmap_size}, in bytes. */
    public long mmapSize() {
        return (Long) values.get(Setting.MMAP_SIZE);
    }

    /** {@code PRAGMA journal_size_limit}, in bytes (-1: no limit). */
    public long journalSizeLimit() {
        return (Long) values.get(Setting.JOURNAL_SIZE_LIMIT);
    }

    /** How many asynchronous operations may be accepted and unfinished at once. */
    public int asyncQueue() {
        return (Integer) values.get(Setting.ASYNC_QUEUE);
    }

    /**
     * Whether {@code inTransaction} callbacks queued behind the writer run back to back in one
     * physical transaction, each in its own savepoint, possibly on another caller's thread.
     */
    public boolean batchTransactions() {
        return (Boolean) values.get(Setting.BATCH_TRANSACTIONS);
    }

    /**
     * Whether a transaction that is not read-only starts on a reader and moves to the writer at its
     * first write (failing that write with {@code SQLITE_BUSY_SNAPSHOT} if a commit came in between).
     */
    public boolean optimisticTransactions() {
        return (Boolean) values.get(Setting.OPTIMISTIC_TRANSACTIONS);
    }

    /** Who checkpoints the WAL. */
    public CheckpointMode checkpointMode() {
        return (CheckpointMode) values.get(Setting.CHECKPOINT_MODE);
    }

    /** How many read-only physical connections the reader pool may open. */
    public int readers() {
        return (Integer) values.get(Setting.READERS);
    }

    /** How long a writer waits for the writer gate before failing, in milliseconds. */
    public long gateTimeoutMillis() {
        return (Long) values.get(Setting.GATE_TIMEOUT);
    }

    /** How long a read waits for a free reader before failing, in milliseconds. */
    public long readerTimeoutMillis() {
        return (Long) values.get(Setting.READER_TIMEOUT);
    }

    /** A gate held longer than this is logged with the stack where it was taken; 0 turns it off. */
    public long leakDetectionThresholdMillis() {
        return (Long) values.get(Setting.LEAK_DETECTION_THRESHOLD);
    }

    /** Prepared statements kept per physical connection. */
    public int statementCacheSize() {
        return (Integer) values.get(Setting.STATEMENT_CACHE_SIZE);
    }

    /** Back-off before the first retry of a busy or locked operation, in milliseconds (the bound grows 2x per retry). */
    public long retryBaseMillis() {
        return (Long) values.get(Setting.RETRY_BASE);
    }

    /** The longest single back-off, in milliseconds. */
    public long retryCapMillis() {
        return (Long) values.get(Setting.RETRY_CAP);
    }

    /** Total time an operation may spend on attempts and back-off before it fails, in milliseconds. */
    public long retryBudgetMillis() {
        return (Long) values.get(Setting.RETRY_BUDGET);
    }

    /** Whether per-query timers and the other metrics are recorded. */
    public boolean metrics() {
        return (Boolean) values.get(Setting.METRICS);
    }

    /**
     * The registry metrics go to: the one given to the builder, or else
     * {@code SharedMetricRegistries.getOrCreate(metrics_registry)}.
     */
    public MetricRegistry metricRegistry() {
        return registry != null ? registry
                : SharedMetricRegistries.getOrCreate((String) values.get(Setting.METRICS_REGISTRY));
    }

    /** At most this many distinct per-query timers; further statements share {@code query.other}. */
    public int maxQueryMetrics() {
        return (Integer) values.get(Setting.MAX_QUERY_METRICS);
    }

    /** Statements slower than this many milliseconds are logged at WARN; 0 turns the log off. */
    public long slowQueryThresholdMillis() {
        return (Long) values.get(Setting.SLOW_QUERY_THRESHOLD);
    }

    /** Whether the slow-query log may include bound parameter values. */
    public boolean logParameters() {
        return (Boolean) values.get(Setting.LOG_PARAMETERS);
    }

    /** WAL size in bytes past which the background checkpointer runs a PASSIVE checkpoint. */
    public long checkpointThresholdBytes() {
        return (Long) values.get(Setting.CHECKPOINT_THRESHOLD);
    }

    /** How often the background checkpointer looks at the WAL, in milliseconds. */
    public long checkpointIntervalMillis() {
        return (Long) values.get(Setting.CHECKPOINT_INTERVAL);
    }

    /** The database's name as given, or empty when it is derived from the file name (see {@code name}). */
    public String name() {
        return (String) values.get(Setting.NAME);
    }

    /** How long a database opened through the driver stays open with no connection on it, in milliseconds (0: always). */
    public long idleTimeoutMillis() {
        return (Long) values.get(Setting.IDLE_TIMEOUT);
    }

    /** How long one JDBC call may wait in all (gate, reader, retries and busy handler together), in milliseconds. */
    public long callTimeoutMillis() {
        return (Long) values.get(Setting.CALL_TIMEOUT);
    }

    /** The listeners added with the builder, in order. */
    public List<SafeSqliteListener> listeners() {
        return listeners;
    }

    /** The initializers added with the builder, in order (those found by ServiceLoader come after them). */
    public List<ConnectionInitializer> initializers() {
        return initializers;
    }

    /** Whether the health snapshot is registered as a JMX MXBean. */
    public boolean jmx() {
        return (Boolean) values.get(Setting.JMX);
    }

    /** How long {@code close()} waits for work in flight before closing anyway, in milliseconds. */
    public long closeTimeoutMillis() {
        return (Long) values.get(Setting.CLOSE_TIMEOUT);
    }

    /**
     * The sqlite-jdbc options ({@code date_class}, {@code open_mode} ...) one physical connection
     * opens with: all of them on the writer, all but those that write to the file on a reader.
     */
    public java.util.Properties sqliteJdbcProperties(boolean writer) {
        return SqliteJdbcOptions.forConnection(sqliteJdbc, writer);
    }

    /**
     * Whether {@code getGeneratedKeys()} answers after an INSERT, asked for with
     * {@code RETURN_GENERATED_KEYS} or not, as in sqlite-jdbc: unless its option
     * {@code jdbc.get_generated_keys} is false.
     */
    public boolean generatedKeys() {
        return generatedKeys;
    }

    /** Every setting as {@code key -> value}, in a fixed order: for messages and for comparing configurations. */
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.key, v.toString()));
        out.putAll(sqliteJdbc);
        for (SafeSqliteListener l : listeners) {
            out.put("listener@" + Integer.toHexString(System.identityHashCode(l)), l.getClass().getName());
        }
        for (ConnectionInitializer i : initializers) {
            out.put("initializer@" + Integer.toHexString(System.identityHashCode(i)), i.getClass().getName());
        }
        if (registry != null) {
            out.put(Setting.METRICS_REGISTRY.key, "a MetricRegistry instance@" + Integer.toHexString(System.identityHashCode(registry)));
        }
        return out;
    }

    /** The settings whose values differ from {@code other}'s, as {@code key: this-value vs other-value}. */
    public List<String> differencesFrom(SafeSqliteConfig other) {
        List<String> out = new ArrayList<>();
        Map<String, String> mine = settings();
        Map<String, String> theirs = other.settings();
        mine.forEach((k, v) -> {
            if (!v.equals(theirs.get(k))) {
                out.add(k + "=" + theirs.get(k) + " (already open) vs " + k + "=" + v + " (requested)");
            }
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafeSqliteConfig c && c.path.equals(path) && c.values.equals(values) && c.registry == registry
                && c.listeners.equals(listeners) && c.initializers.equals(initializers) && c.sqliteJdbc.equals(sqliteJdbc);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, values);
    }

    @Override
    public String toString() {
        return "SafeSqliteConfig" + settings() + " path=" + path;
    }

    /**
     * Collects settings and validates each one as it is given. {@link #build()} checks the path.
     * Builder misuse throws {@link IllegalArgumentException} naming the setting and what it accepts.
     */
    public static final class Builder {
        private String path;
        private final EnumMap<Setting, Object> values = new EnumMap<>(Setting.class);
        private MetricRegistry registry;
        private final List<SafeSqliteListener> listeners = new ArrayList<>();
        private final Map<String, String> sqliteJdbc = new LinkedHashMap<>();
        private final List<ConnectionInitializer> initializers = new ArrayList<>();

        private Builder() {
            for (Setting s : Setting.values()) {
                values.put(s, s.parse(s.defaultText));
            }
        }

        /** The database file (created if missing; its directory must exist), or {@code :memory:}. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Sets one setting by its URL name ({@code busy_timeout}, {@code readers}, ...), or one of
         * sqlite-jdbc's own options ({@code date_class}, {@code open_mode}, ...; see
         * {@code SQLiteConfig.Pragma}), which then applies to every physical connection.
         *
         * @throws IllegalArgumentException for a name neither knows, a value the setting does not
         *                                  accept, or an sqlite-jdbc option that conflicts with
         *                                  safesqlite's profile (the message names the conflict)
         */
        public Builder set(String key, String value) {
            if (value == null) {
                throw new IllegalArgumentException("setting '" + key + "' needs a value");
            }
            Setting s = Setting.forKey(key);
            if (s == null && SqliteJdbcOptions.isKey(key)) {
                sqliteJdbc.put(key, SqliteJdbcOptions.check(key, value));
                return this;
            }
            if (s == null) {
                throw new IllegalArgumentException("unknown setting '" + key + "': neither safesqlite nor sqlite-jdbc "
                        + "knows it; safesqlite's settings: " + Setting.knownKeys()
                        + "; sqlite-jdbc's are the names of org.sqlite.SQLiteConfig.Pragma");
            }
            try {
                values.put(s, s.parse(value.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad value for setting '" + key + "': " + e.getMessage(), e);
            }
            return this;
        }

        /** True when {@code key} names a setting of safesqlite's or an option of sqlite-jdbc's. */
        public static boolean isSetting(String key) {
            return Setting.forKey(key) != null || SqliteJdbcOptions.isKey(key);
        }

        /** {@code PRAGMA synchronous}: NORMAL (default), FULL or EXTRA. */
        public Builder synchronous(Synchronous level) {
            values.put(Setting.SYNCHRONOUS, Objects.requireNonNull(level, "synchronous"));
            return this;
        }

        /** {@code PRAGMA busy_timeout} in milliseconds (default 5000). */
        public Builder busyTimeoutMillis(int millis) {
            return set(Setting.BUSY_TIMEOUT.key, Integer.toString(millis));
        }

        /** {@code PRAGMA foreign_keys} (default true). */
        public Builder foreignKeys(boolean on) {
            values.put(Setting.FOREIGN_KEYS, on);
            return this;
        }

        /** {@code PRAGMA cache_size}: pages when positive, KiB when negative (default -8000). */
        public Builder cacheSize(long size) {
            return set(Setting.CACHE_SIZE.key, Long.toString(size));
        }

        /** {@code PRAGMA mmap_size} in bytes (default 0, SQLite's: no memory mapping; see the README for why). */
        public Builder mmapSize(long bytes) {
            return set(Setting.MMAP_SIZE.key, Long.toString(bytes));
        }

        /** {@code PRAGMA journal_size_limit} in bytes (default 64 MiB; -1 for no limit). */
        public Builder journalSizeLimit(long bytes) {
            return set(Setting.JOURNAL_SIZE_LIMIT.key, Long.toString(bytes));
        }

        /** Maximum number of reader connections (default max(8, CPUs)). */
        public Builder readers(int count) {
            return set(Setting.READERS.key, Integer.toString(count));
        }

        /** Asynchronous operations accepted and unfinished at once (default 1000); see {@code executeAsync}. */
        public Builder asyncQueue(int count) {
            return set(Setting.ASYNC_QUEUE.key, Integer.toString(count));
        }

        /** How long a writer waits for the writer gate, in milliseconds (default 5000). */
        public Builder gateTimeoutMillis(long millis) {
            return set(Setting.GATE_TIMEOUT.key, Long.toString(millis));
        }

        /** How long a read waits for a free reader, in milliseconds (default 5000). */
        public Builder readerTimeoutMillis(long millis) {
            return set(Setting.READER_TIMEOUT.key, Long.toString(millis));
        }

        /** Log a warning when the gate is held longer than this, in milliseconds (default 0: off). */
        public Builder leakDetectionThresholdMillis(long millis) {
            return set(Setting.LEAK_DETECTION_THRESHOLD.key, Long.toString(millis));
        }

        /** Prepared statements cached per physical connection (default 64; 0 turns the cache off). */
        public Builder statementCacheSize(int size) {
            return set(Setting.STATEMENT_CACHE_SIZE.key, Integer.toString(size));
        }

        /** Sends metrics to {@code registry} instead of the shared registry named by {@code metrics_registry}. */
        public Builder metricRegistry(MetricRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Adds a listener that hears every event of the database (statements, gate, readers, retries,
         * checkpoints) beside the built-in metrics and slow-query log; see {@link SafeSqliteListener}.
         */
        public Builder listener(SafeSqliteListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds an initializer that prepares every physical connection (writer, readers, metadata
         * connection) before use: user-defined functions, collations, handlers; see
         * {@link ConnectionInitializer}. Initializers run in the order they were added.
         */
        public Builder initializer(ConnectionInitializer initializer) {
            initializers.add(Objects.requireNonNull(initializer, "initializer"));
            return this;
        }

        /** Records metrics (default true). */
        public Builder metrics(boolean on) {
            values.put(Setting.METRICS, on);
            return this;
        }

        /** Logs statements slower than this at WARN, in milliseconds (default 1000; 0: off). */
        public Builder slowQueryThresholdMillis(long millis) {
            return set(Setting.SLOW_QUERY_THRESHOLD.key, Long.toString(millis));
        }

        /** Lets the slow-query log show bound parameter values (default false). */
        public Builder logParameters(boolean on) {
            values.put(Setting.LOG_PARAMETERS, on);
            return this;
        }

        /** WAL bytes past which a background PASSIVE checkpoint runs (default 4 MiB). */
        public Builder checkpointThresholdBytes(long bytes) {
            return set(Setting.CHECKPOINT_THRESHOLD.key, Long.toString(bytes));
        }

        /**
         * Runs {@code inTransaction} callbacks queued behind the writer together, each in its own
         * savepoint, sharing one COMMIT (default false). A callback may then run on another caller's
         * thread: see the README, "Batched units of work".
         */
        public Builder batchTransactions(boolean on) {
            values.put(Setting.BATCH_TRANSACTIONS, on);
            return this;
        }

        /**
         * Starts transactions that are not read-only on a reader, moving them to the writer at their
         * first write (default false); see the README, "Transactions that mostly read".
         */
        public Builder optimisticTransactions(boolean on) {
            values.put(Setting.OPTIMISTIC_TRANSACTIONS, on);
            return this;
        }

        /** Who checkpoints the WAL (default AUTO); EXTERNAL for Litestream and tools like it. */
        public Builder checkpointMode(CheckpointMode mode) {
            values.put(Setting.CHECKPOINT_MODE, mode);
            return this;
        }

        /** Registers the health snapshot as a JMX MXBean (default false). */
        public Builder jmx(boolean on) {
            values.put(Setting.JMX, on);
            return this;
        }

        /**
         * The database's name in metric names and JMX (default: the file name without its
         * extension, made unique in the JVM).
         */
        public Builder name(String name) {
            return set(Setting.NAME.key, name);
        }

        /**
         * How long a database opened through the driver stays open with no connection open on it, in
         * milliseconds (default 60000; 0 keeps it open until the JVM exits).
         */
        public Builder idleTimeoutMillis(long millis) {
            return set(Setting.IDLE_TIMEOUT.key, Long.toString(millis));
        }

        /**
         * How long one JDBC call may wait in all: for the writer gate, a reader, retries and SQLite's busy
         * handler together, in milliseconds (default 10000).
         */
        public Builder callTimeoutMillis(long millis) {
            return set(Setting.CALL_TIMEOUT.key, Long.toString(millis));
        }

        /** Accepted only as {@code WAL}, which safesqlite always uses; anything else is refused. */
        public Builder journalMode(String mode) {
            return set(Setting.JOURNAL_MODE.key, mode);
        }

        /** The name of the shared registry metrics go to when no {@link #metricRegistry} is given (default safesqlite). */
        public Builder metricsRegistry(String name) {
            return set(Setting.METRICS_REGISTRY.key, name);
        }

        /** Distinct per-query timers before further statements share {@code query.other} (default 200). */
        public Builder maxQueryMetrics(int count) {
            return set(Setting.MAX_QUERY_METRICS.key, Integer.toString(count));
        }

        /** How often the background checkpointer looks at the WAL, in milliseconds (default 100). */
        public Builder checkpointIntervalMillis(long millis) {
            return set(Setting.CHECKPOINT_INTERVAL.key, Long.toString(millis));
        }

        /** How long {@code close()} waits for work in flight, in milliseconds (default 5000). */
        public Builder closeTimeoutMillis(long millis) {
            return set(Setting.CLOSE_TIMEOUT.key, Long.toString(millis));
        }

        /** Back-off before the first retry, in milliseconds (default 1). */
        public Builder retryBaseMillis(long millis) {
            return set(Setting.RETRY_BASE.key, Long.toString(millis));
        }

        /** The longest single back-off, in milliseconds (default 50). */
        public Builder retryCapMillis(long millis) {
            return set(Setting.RETRY_CAP.key, Long.toString(millis));
        }

        /** Total time for the attempts and back-off of one operation, in milliseconds (default 10000; 0: no retries). */
        public Builder retryBudgetMillis(long millis) {
            return set(Setting.RETRY_BUDGET.key, Long.toString(millis));
        }

        /**
         * Validates the path and returns the configuration.
         *
         * @throws SQLException when no path was given, it is a URI, its directory does not exist, or
         *                      retry_base is larger than retry_cap
         */
        public SafeSqliteConfig build() throws SQLException {
            if (path == null) {
                throw new SQLException("no database path given; use jdbc:safesqlite:/path/to/file.db, "
                        + "setUrl(...), setPath(...) or builder().path(...)", "08001");
            }
            String p = path.trim(); // empty: a private temporary database, as sqlite-jdbc gives for jdbc:sqlite:
            if (p.startsWith(DatabaseLocation.RESOURCE)) {
                p = DatabaseLocation.path(p, new java.util.HashMap<>());
            }
            checkPathSyntax(p);
            if ((Long) values.get(Setting.RETRY_BASE) > (Long) values.get(Setting.RETRY_CAP)) {
                throw new SQLException("retry_base (" + values.get(Setting.RETRY_BASE) + " ms) must not be larger than "
                        + "retry_cap (" + values.get(Setting.RETRY_CAP) + " ms)", "08001");
            }
            if (!p.equals(MEMORY) && !p.isEmpty()) {
                Path file;
                try {
                    file = Path.of(p).toAbsolutePath();
                } catch (InvalidPathException e) {
                    throw new SQLException("'" + p + "' is not a valid file path: " + e.getMessage(), "08001", e);
                }
                Path dir = file.getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    throw new SQLException("directory " + dir + " of database " + file
                            + " does not exist; create it first", "08001");
                }
                if (Files.isDirectory(file)) {
                    throw new SQLException(file + " is a directory, not a database file", "08001");
                }
            }
            return new SafeSqliteConfig(p, new EnumMap<>(values), registry, listeners, initializers, sqliteJdbc);
        }

        /** Builds the configuration and a data source for it. */
        public SafeSqliteDataSource dataSource() throws SQLException {
            return new SafeSqliteDataSource(build());
        }
    }

    /** Refuses paths sqlite-jdbc would read as URIs or parameters, before anything else is looked at. */
    static void checkPathSyntax(String p) throws SQLException {
        if (p.startsWith("file:")) {
            throw new SQLException("'" + p + "' is a URI: give the builder or setPath a plain file path, or give the "
                    + "URI in a URL (jdbc:safesqlite:" + p + "), where its parameters are understood", "08001");
        }
        if (p.indexOf('?') >= 0) {
            throw new SQLException("database path '" + p + "' contains '?'; settings go in the URL after the "
                    + "path (jdbc:safesqlite:/path/db?readers=4) or through the builder", "08001");
        }
    }
}
