package io.github.safesqlite;

import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.EngineRegistry;
import io.github.safesqlite.jdbc.LogicalConnection;
import io.github.safesqlite.sql.SqlScript;
import io.github.safesqlite.sql.StatementKind;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over one SQLite file that is safe under concurrent use: WAL and a PRAGMA
 * profile on every physical connection, every write serialized through one writer, reads spread
 * over a pool of read-only connections.
 *
 * <p>Build it in code:
 * <pre>{@code
 * SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path("app.db").readers(8).dataSource();
 * }</pre>
 * or let a container create it with the no-argument constructor and setters
 * ({@link #setUrl(String)}, {@link #setPath(String)}, {@link #setReaders(int)} ...). Settings are
 * fixed once the first connection is made. {@link #getConnection()} is cheap and opens nothing;
 * close the data source to close its physical connections.
 */
public class SafeSqliteDataSource implements DataSource, AutoCloseable {

    private final Object lock = new Object();
    private SafeSqliteConfig.Builder settings = SafeSqliteConfig.builder();
    private SafeSqliteConfig config;
    private volatile Engine engine;
    private boolean closed;
    /** The asynchronous writer, made with the engine (its gauge is there from the start). */
    private AsyncWriter async;
    private PrintWriter logWriter;
    private int loginTimeout;

    /** An unconfigured data source, for containers and frameworks; set at least the URL or path. */
    public SafeSqliteDataSource() {
    }

    /** A data source with the given configuration. */
    public SafeSqliteDataSource(SafeSqliteConfig config) {
        this.config = config;
        this.settings = null;
    }

    /** A builder of settings; finish with {@link SafeSqliteConfig.Builder#dataSource()}. */
    public static SafeSqliteConfig.Builder builder() {
        return SafeSqliteConfig.builder();
    }

    /**
     * Returns a new logical connection. The first call opens the engine (the writer connection), so
     * a bad path or a file that cannot use WAL fails here.
     */
    @Override
    public Connection getConnection() throws SQLException {
        return LogicalConnection.open(engine(), () -> { });
    }

    /** SQLite has no users: the credentials are not checked. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    /**
     * Runs {@code work} in a read-write transaction and commits. On a busy or locked failure the
     * transaction is rolled back and the whole unit runs again, with jittered back-off, until the
     * retry budget ({@code retry_budget}) is spent; any other failure rolls back and is thrown at once.
     * Once the commit succeeded the unit is never run again.
     *
     * <p>With {@code batch_transactions=true}, units queued behind the writer run back to back in one
     * physical transaction, each in its own savepoint, and share its COMMIT; this call still returns
     * only after that COMMIT, and an exception from {@code work} rolls back only its own savepoint.
     * {@code work} may then run on another caller's thread, with this thread's MDC and context class
     * loader but not its other thread-locals; it must not wait for anything this thread holds.
     *
     * @return what {@code work} returned
     */
    public <T> T inTransaction(UnitOfWork<T> work) throws SQLException {
        java.util.Objects.requireNonNull(work, "work (the unit of work to run) is null");
        Engine e = engine();
        if (config.batchTransactions()) {
            return TransactionRunner.batched(e, CallerContext.capture(), work);
        }
        return TransactionRunner.run(this::getConnection, e, false, work);
    }

    /**
     * Runs {@code work} in a read-only transaction: on one reader, one snapshot, without the writer.
     * Retried like {@link #inTransaction}; writes in it fail.
     */
    public <T> T inReadOnlyTransaction(UnitOfWork<T> work) throws SQLException {
        return TransactionRunner.run(this::getConnection, engine(), true, work);
    }

    /**
     * Runs {@code work} as {@link #inTransaction} does, later, on the data source's asynchronous
     * writer thread; the future completes once the transaction's COMMIT returned (durable as far as
     * {@code synchronous} says) with what {@code work} returned, or with its failure (the
     * transaction then rolled back). Operations run in the order they were submitted; those queued
     * together run in one physical transaction, each unit in its own savepoint, as with
     * {@code batch_transactions}, whatever that setting says. The work runs on that thread with the
     * caller's MDC and context class loader; its other thread-locals (security contexts) are not
     * there, and a wait in it for another asynchronous operation fails at once ("would deadlock")
     * rather than wait for itself. Stages chained on the future run on safesqlite's callback
     * threads, never on the writer thread. At most {@code async_queue} operations
     * are accepted and unfinished; past that this call waits for room (back-pressure), up to
     * {@code call_timeout}, and then returns a failed future. {@link #close()} waits for accepted work.
     */
    public <T> CompletableFuture<T> inTransactionAsync(UnitOfWork<T> work) throws SQLException {
        java.util.Objects.requireNonNull(work, "work (the unit of work to run) is null");
        Engine e = engine();
        return async().submit(TransactionRunner.unit(e, CallerContext.captureDetached(), work));
    }

    /**
     * Runs one statement that changes data ({@code INSERT}, {@code UPDATE}, {@code DELETE} ...) in
     * autocommit mode, later, with {@code parameters} bound in order ({@code setObject}; none when
     * null); the future
     * completes with its update count once its COMMIT returned. Statements submitted together
     * share COMMITs (group commit); one that cannot run inside a transaction ({@code VACUUM}) runs
     * by itself, in its turn. Thread, order, bound and closing as {@link #inTransactionAsync}.
     */
    public CompletableFuture<Long> executeAsync(String sql, Object... parameters) throws SQLException {
        java.util.Objects.requireNonNull(sql, "sql is null");
        Engine e = engine();
        // Cloned: the caller may reuse its array before the statement runs. A null array binds nothing.
        Object[] values = parameters == null ? new Object[0] : parameters.clone();
        SqlScript script = e.classifier().classify(sql);
        if (script.isSingle() && script.first().kind() == StatementKind.WRITE && script.first().canRunInTransaction()) {
            return async().submit(TransactionRunner.unit(e, CallerContext.captureDetached(),
                    c -> update(c, sql, values)));
        }
        return async().submitAlone(() -> {
            try (Connection c = getConnection()) {
                return update(c, sql, values);
            }
        });
    }

    /** Runs {@code sql} with {@code values} bound in order and returns its update count. */
    private static long update(Connection c, String sql, Object[] values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return ps.executeLargeUpdate();
        }
    }

    private AsyncWriter async() throws SQLException {
        engine();
        synchronized (lock) {
            return async;
        }
    }

    /**
     * Enters a workload phase ({@link Phase}): what is safe to tune for it is tuned until the returned
     * scope closes, which restores the profile and runs the phase's clean-up. One phase at a time per
     * database; durability settings never change.
     *
     * <pre>{@code
     * try (PhaseScope load = ds.phase(Phase.BULK_LOAD)) {
     *     ... insert a million rows ...
     * }   // the WAL is checkpointed and truncated, PRAGMA optimize has run
     * }</pre>
     *
     * @throws SQLException when another phase is active, or the writer cannot be had within its bounds
     */
    public PhaseScope phase(Phase phase) throws SQLException {
        Engine e = engine();
        e.enterPhase(java.util.Objects.requireNonNull(phase, "phase"));
        return new PhaseScope(e, phase);
    }

    /**
     * Adds a listener that hears this database's events from now on, after those given to the
     * builder (a metrics binder added once the data source is running, for instance). It stays
     * until the database closes.
     */
    public void addListener(SafeSqliteListener listener) throws SQLException {
        engine().addListener(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The database's name, unique in the JVM: the {@code name} setting, by default the file name
     * without its extension. Metric names, metric tags and JMX use it.
     */
    public String name() throws SQLException {
        return engine().name();
    }

    /**
     * A snapshot of the database's state: journal mode, WAL size, last checkpoint, who holds the
     * writer and for how long, writers queued, readers in use, retry rate.
     */
    public SafeSqliteHealth health() throws SQLException {
        return engine().health();
    }

    /**
     * Copies the database to {@code target}, a new file, as of one moment (one snapshot), without
     * blocking writers. The copy is a complete SQLite database.
     *
     * @throws SQLException when the target exists, its directory does not, or the copy fails
     */
    public void backup(java.nio.file.Path target) throws SQLException {
        engine().backup(target);
    }

    private Engine engine() throws SQLException {
        Engine e = engine;
        return e != null ? e : start();
    }

    private Engine start() throws SQLException {
        synchronized (lock) {
            if (closed) {
                throw new SQLException("this safesqlite data source is closed; create a new one", "08003");
            }
            if (engine == null) {
                if (config == null) {
                    config = settings.build();
                    settings = null;
                }
                engine = EngineRegistry.acquire(config);
                async = new AsyncWriter(engine, config.asyncQueue(), config.callTimeoutMillis());
                engine.gauge("async.unfinished", async::unfinished);
            }
            return engine;
        }
    }

    /**
     * The settings in force, building them from the setters if no connection was made yet.
     *
     * @throws SQLException when the settings are incomplete (no path) or the path is unusable
     */
    public SafeSqliteConfig getConfig() throws SQLException {
        synchronized (lock) {
            return config != null ? config : settings.build();
        }
    }

    /**
     * Closes the data source: the engine closes once no other data source or driver connection uses
     * the same file. Later {@link #getConnection()} calls fail.
     */
    @Override
    public void close() {
        Engine e;
        AsyncWriter pending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            pending = async;
        }
        if (pending != null) {
            pending.close(config.closeTimeoutMillis()); // accepted work finishes before the engine goes
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            e = engine;
            engine = null;
        }
        if (e != null) {
            EngineRegistry.release(e);
        }
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private SafeSqliteConfig.Builder settings() {
        synchronized (lock) {
            if (settings == null) {
                throw new IllegalStateException("the settings of a safesqlite data source are fixed once it is "
                        + "built or has made a connection; create a new data source to change them");
            }
            return settings;
        }
    }

    // ---- JavaBean setters, for containers and frameworks ---------------------------------

    /**
     * Sets the database and settings from a {@code jdbc:safesqlite:<path>[?key=value&...]} URL.
     *
     * @throws IllegalArgumentException for a URL that is not a safesqlite URL or has an unknown or bad parameter
     */
    public void setUrl(String url) {
        try {
            JdbcUrl.apply(url, null, settings());
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The database file ({@code :memory:} for an in-memory database). */
    public void setPath(String path) {
        settings().path(path);
    }

    /**
     * How long a database opened through the driver stays open with no connection on it (setting
     * {@code idle_timeout}; a data source keeps its database open until it closes).
     */
    public void setIdleTimeout(long millis) {
        settings().set("idle_timeout", Long.toString(millis));
    }

    /** How long one JDBC call may wait in all, in milliseconds (setting {@code call_timeout}). */
    public void setCallTimeout(long millis) {
        settings().set("call_timeout", Long.toString(millis));
    }

    /** The database's name in metric names and JMX (setting {@code name}). */
    public void setName(String name) {
        settings().set("name", name);
    }

    /** {@code PRAGMA synchronous}: NORMAL (default), FULL or EXTRA. */
    public void setSynchronous(String level) {
        settings().set("synchronous", level);
    }

    /** {@code PRAGMA busy_timeout} in milliseconds (default 5000). */
    public void setBusyTimeout(int millis) {
        settings().busyTimeoutMillis(millis);
    }

    /** {@code PRAGMA foreign_keys} (default true). */
    public void setForeignKeys(boolean on) {
        settings().foreignKeys(on);
    }

    /** {@code PRAGMA cache_size} (default -8000, i.e. about 8 MB per connection). */
    public void setCacheSize(long size) {
        settings().cacheSize(size);
    }

    /** {@code PRAGMA mmap_size} in bytes (default 0: no memory mapping). */
    public void setMmapSize(long bytes) {
        settings().mmapSize(bytes);
    }

    /** {@code PRAGMA journal_size_limit} in bytes (default 64 MiB). */
    public void setJournalSizeLimit(long bytes) {
        settings().journalSizeLimit(bytes);
    }

    /**
     * Whether {@code inTransaction} units queued behind the writer share one COMMIT, each in its own
     * savepoint (default false); see {@link #inTransaction}.
     */
    public void setBatchTransactions(boolean on) {
        settings().batchTransactions(on);
    }

    /**
     * Whether transactions that are not read-only start on a reader and move to the writer at their
     * first write (default false); see {@link SafeSqliteConfig#optimisticTransactions()}.
     */
    public void setOptimisticTransactions(boolean on) {
        settings().optimisticTransactions(on);
    }

    /** Who checkpoints the WAL: {@code AUTO} (default), {@code PASSIVE} or {@code EXTERNAL}. */
    public void setCheckpointMode(String mode) {
        settings().set(Setting.CHECKPOINT_MODE.key, mode);
    }

    /** Asynchronous operations accepted and unfinished at once (default 1000). */
    public void setAsyncQueue(int count) {
        settings().asyncQueue(count);
    }

    /** Maximum reader connections (default max(8, CPUs)). */
    public void setReaders(int count) {
        settings().readers(count);
    }

    /** Milliseconds a writer waits for the writer gate (default 5000). */
    public void setGateTimeout(long millis) {
        settings().gateTimeoutMillis(millis);
    }

    /** Milliseconds a read waits for a free reader (default 5000). */
    public void setReaderTimeout(long millis) {
        settings().readerTimeoutMillis(millis);
    }

    /** Milliseconds after which a held writer gate is logged as a leak (default 0: off). */
    public void setLeakDetectionThreshold(long millis) {
        settings().leakDetectionThresholdMillis(millis);
    }

    /** Prepared statements cached per physical connection (default 64). */
    public void setStatementCacheSize(int size) {
        settings().statementCacheSize(size);
    }

    /** Milliseconds of the first back-off of a busy or locked operation (default 1). */
    public void setRetryBase(long millis) {
        settings().retryBaseMillis(millis);
    }

    /** The longest single back-off, in milliseconds (default 50). */
    public void setRetryCap(long millis) {
        settings().retryCapMillis(millis);
    }

    /** Total milliseconds one operation may spend on attempts and back-off (default 10000). */
    public void setRetryBudget(long millis) {
        settings().retryBudgetMillis(millis);
    }

    /** Records metrics (default true). */
    public void setMetrics(boolean on) {
        settings().metrics(on);
    }

    /** Name of the shared metric registry (default "safesqlite"). */
    public void setMetricsRegistry(String name) {
        settings().set("metrics_registry", name);
    }

    /** Distinct per-query timers before {@code query.other} takes the rest (default 200). */
    public void setMaxQueryMetrics(int count) {
        settings().set("max_query_metrics", Integer.toString(count));
    }

    /** Milliseconds after which a statement is logged as slow (default 1000; 0: off). */
    public void setSlowQueryThreshold(long millis) {
        settings().slowQueryThresholdMillis(millis);
    }

    /** Lets the slow-query log show bound values (default false). */
    public void setLogParameters(boolean on) {
        settings().logParameters(on);
    }

    /** WAL bytes past which a background PASSIVE checkpoint runs (default 4 MiB). */
    public void setCheckpointThreshold(long bytes) {
        settings().checkpointThresholdBytes(bytes);
    }

    /** Milliseconds between the checkpointer's looks at the WAL (default 100). */
    public void setCheckpointInterval(long millis) {
        settings().set("checkpoint_interval", Long.toString(millis));
    }

    /** Registers the health MXBean (default false). */
    public void setJmx(boolean on) {
        settings().jmx(on);
    }

    /** Milliseconds {@code close()} waits for work in flight (default 5000). */
    public void setCloseTimeout(long millis) {
        settings().set("close_timeout", Long.toString(millis));
    }

    /** Accepted only as WAL, for configurations written for sqlite-jdbc. */
    public void setJournalMode(String mode) {
        settings().set("journal_mode", mode);
    }

    /** The database file: the name Jakarta EE's {@code @DataSourceDefinition(databaseName = ...)} sets. */
    public void setDatabaseName(String path) {
        setPath(path);
    }

    /** Accepted for containers that always pass credentials; SQLite has no users, so it is not used. */
    public void setUser(String user) {
        settings(); // still refused once the settings are fixed
    }

    /** Accepted for containers that always pass credentials; SQLite has no users, so it is not used. */
    public void setPassword(String password) {
        settings();
    }

    /**
     * Sets one setting by its URL name ({@code busy_timeout}) or its bean name ({@code busyTimeout}),
     * as containers and JNDI factories pass them.
     *
     * @throws IllegalArgumentException for an unknown name or a bad value
     */
    public void setProperty(String name, String value) {
        switch (name) {
            case "url" -> setUrl(value);
            case "path", "databaseName" -> setPath(value);
            case "user", "username", "password" -> settings();
            default -> settings().set(SafeSqliteConfig.Builder.isSetting(name) ? name : snakeCase(name), value);
        }
    }

    private static String snakeCase(String beanName) {
        return beanName.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    // ---- DataSource -----------------------------------------------------------------------

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Kept for the DataSource contract; safesqlite logs through SLF4J. */
    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    /** Kept for the DataSource contract; opening an embedded database does not wait on a login. */
    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("safesqlite logs through SLF4J, not java.util.logging", "0A000");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("SafeSqliteDataSource does not wrap a " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
