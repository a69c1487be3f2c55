package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.metrics.DatabaseMetrics;
import io.github.safesqlite.retry.RetryPolicy;
import io.github.safesqlite.retry.Retrying;
import io.github.safesqlite.sql.StatementClassifier;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything safesqlite keeps for one database file: the writer and its gate, the reader pool,
 * the PRAGMA policy and the statement classifier. Shared by every data source and driver
 * connection for that file in the JVM (see {@link EngineRegistry}). Internal to safesqlite.
 *
 * <p>An in-memory database cannot use WAL and has no readers: every statement runs on the one
 * physical connection, under the gate.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "safesqlite-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SafeSqliteConfig config;
    private final ConnectionFactory factory;
    private final PragmaPolicy pragmaPolicy;
    private final StatementClassifier classifier = new StatementClassifier();
    private final WriterGate gate;
    private final PhysicalConnection writer;
    private final ReaderPool readers;
    private final ScheduledFuture<?> leakCheck;
    private final RetryPolicy retryPolicy;
    private final DatabaseMetrics metrics;
    private final Retrying.Listener busyCounter = this::countBusy;
    private final Checkpointer checkpointer;
    private final HealthReporter health = new HealthReporter(this);
    private final Object auxiliaryLock = new Object();
    private PhysicalConnection auxiliary;
    private volatile boolean closed;

    /** Opens the writer at once, so a bad path or a file that refuses WAL fails here. */
    Engine(SafeSqliteConfig config) throws SQLException {
        this.config = config;
        this.metrics = new DatabaseMetrics(config.metricRegistry(), config.path(), config.metrics(),
                config.maxQueryMetrics(), config.slowQueryThresholdMillis(), config.logParameters());
        PragmaProfile profile = new PragmaProfile(config);
        this.factory = new ConnectionFactory(config, profile);
        this.pragmaPolicy = new PragmaPolicy(profile);
        this.retryPolicy = new RetryPolicy(config.retryBaseMillis(), config.retryCapMillis(), config.retryBudgetMillis());
        this.gate = new WriterGate(config.path(), config.leakDetectionThresholdMillis());
        try {
            this.writer = openWithRetries(PhysicalConnection.Role.WRITER);
        } catch (SQLException | RuntimeException e) {
            metrics.remove();
            throw e;
        }
        this.readers = config.inMemory() ? null
                : new ReaderPool(() -> openWithRetries(PhysicalConnection.Role.READER), config.path(),
                        config.readers(), config.readerTimeoutMillis());
        if (config.inMemory()) {
            this.checkpointer = null;
        } else {
            long limit = config.journalSizeLimit() < 0 ? 4 * config.checkpointThresholdBytes()
                    : Math.max(config.journalSizeLimit(), config.checkpointThresholdBytes());
            this.checkpointer = new Checkpointer(this, config.path(), config.checkpointThresholdBytes(), limit,
                    config.checkpointIntervalMillis());
            metrics.gauge("wal.bytes", checkpointer::walBytes);
            metrics.gauge("wal.oldest-reader-ms", this::oldestReaderMillis);
        }
        if (config.jmx()) {
            health.register();
        }
        metrics.gauge("gate.queued", gate::queued);
        metrics.gauge("readers.in-use", this::readersInUse);
        metrics.gauge("readers.idle", this::readersIdle);
        long threshold = config.leakDetectionThresholdMillis();
        this.leakCheck = threshold <= 0 ? null : WATCHDOG.scheduleAtFixedRate(gate::checkForLeak,
                threshold, Math.max(10, Math.min(1000, threshold / 4)), TimeUnit.MILLISECONDS);
    }

    /** Opening can meet a lock (switching to WAL, reading the schema): it has no effect yet, so it is retried. */
    private PhysicalConnection openWithRetries(PhysicalConnection.Role role) throws SQLException {
        return retrying("opening", () -> factory.open(role));
    }

    /** Runs {@code op}, retrying busy and locked failures under this database's policy, counted in its metrics. */
    public <T> T retrying(String what, Retrying.Operation<T> op) throws SQLException {
        return Retrying.run(retryPolicy, what, config.path(), busyCounter, op);
    }

    private void countBusy(boolean retrying) {
        if (retrying) {
            metrics.retrying();
        } else {
            metrics.busy();
        }
    }

    /** This database's metrics and slow-query log. */
    public DatabaseMetrics metrics() {
        return metrics;
    }

    /** The validated settings. */
    public SafeSqliteConfig config() {
        return config;
    }

    /** Splits and classifies SQL; verdicts are cached. */
    public StatementClassifier classifier() {
        return classifier;
    }

    /** Where application PRAGMAs may run. */
    public PragmaPolicy pragmaPolicy() {
        return pragmaPolicy;
    }

    /** The writer gate. */
    public WriterGate gate() {
        return gate;
    }

    /** True for an in-memory database: one physical connection, no readers. */
    public boolean inMemory() {
        return readers == null;
    }

    /** Lends a reader; for an in-memory database, the writer under the gate. */
    public Lease reader(Object holder) throws SQLException {
        checkOpen();
        if (readers == null) {
            return writer(holder);
        }
        PhysicalConnection reader = readers.borrowIdle();
        if (reader == null) {
            // Only a loan that had to wait (or open a reader) is timed: timing every loan cost more than the loan.
            long start = System.nanoTime();
            reader = readers.borrowWaiting();
            metrics.readerWaited(System.nanoTime() - start);
        }
        metrics.readerLent();
        return reader.lendAsReader(this);
    }

    /** Waits for the gate and lends the writer. */
    public Lease writer(Object holder) throws SQLException {
        checkOpen();
        long start = System.nanoTime();
        WriterGate.Ticket ticket = gate.acquire(holder, config.gateTimeoutMillis());
        metrics.gateWaited(System.nanoTime() - start);
        if (closed) {
            gate.release(ticket);
            checkOpen();
        }
        return new Lease(this, writer, Lease.Kind.WRITER, ticket);
    }

    /**
     * Runs one autocommit write on the writer under the gate. It may run on the thread that holds
     * the gate when its turn comes (see {@link WriterGate}); results come back here either way.
     */
    public <T> T write(Object holder, WriterTask<T> task) throws SQLException {
        checkOpen();
        long queued = System.nanoTime();
        return gate.run(holder, config.gateTimeoutMillis(), () -> {
            long started = System.nanoTime();
            metrics.gateWaited(started - queued);
            try {
                checkOpen();
                return task.run(writer); // whether to retry is the caller's to decide
            } finally {
                metrics.gateHeld(System.nanoTime() - started);
            }
        });
    }

    /** Work on the writer connection. */
    @FunctionalInterface
    public interface WriterTask<T> {
        /** Runs the work on {@code writer}. */
        T run(PhysicalConnection writer) throws SQLException;
    }

    /**
     * A connection for calls that touch no data (metadata queries, client info): the writer for
     * an in-memory database, otherwise one extra {@code query_only} connection, shared.
     * sqlite-jdbc serializes calls on one connection, so sharing it is safe.
     */
    public PhysicalConnection auxiliary() throws SQLException {
        checkOpen();
        if (readers == null) {
            return writer;
        }
        synchronized (auxiliaryLock) {
            if (auxiliary == null) {
                auxiliary = factory.open(PhysicalConnection.Role.READER);
            }
            return auxiliary;
        }
    }

    /** The background checkpointer, or null for an in-memory database. */
    Checkpointer checkpointer() {
        return checkpointer;
    }

    /** A connection only for checkpoints; it waits little for locks, so a blocked checkpoint is retried later. */
    PhysicalConnection openCheckpointConnection() throws SQLException {
        PhysicalConnection pc = openWithRetries(PhysicalConnection.Role.READER);
        pc.run("PRAGMA busy_timeout = 100");
        return pc;
    }

    /** How long the reader lent out longest ago has been out, in milliseconds. */
    public long oldestReaderMillis() {
        return readers == null ? 0 : readers.oldestLentMillis();
    }

    /** A snapshot of this database's state. */
    public io.github.safesqlite.SafeSqliteHealth health() {
        return health.snapshot();
    }

    /**
     * Copies the database, consistent as of one moment, to {@code target} (a new file), without
     * blocking writers.
     */
    public void backup(java.nio.file.Path target) throws SQLException {
        checkOpen();
        Backup.to(this, target);
    }

    /** Counts a statement re-run on the writer after a reader refused it. */
    public void countReroute() {
        metrics.rerouted();
    }

    /** Statements re-run on the writer after a reader refused them, since the engine opened. */
    public long reroutes() {
        return metrics.rerouteCount();
    }

    /** Readers lent out now. */
    public int readersInUse() {
        return readers == null ? 0 : readers.inUse();
    }

    /** Readers open and idle now. */
    public int readersIdle() {
        return readers == null ? 0 : readers.idle();
    }

    void giveBack(PhysicalConnection reader) {
        readers.giveBack(reader);
    }

    void discard(PhysicalConnection reader) {
        readers.discard(reader);
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /** Throws the data-source-closed error once the engine is closed. */
    public void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLNonTransientConnectionException("the safesqlite data source for " + config.path()
                    + " is closed; create a new one to use the database again", "08003");
        }
    }

    /**
     * Closes the engine: new work fails at once; work in flight gets up to {@code close_timeout} to
     * finish (readers to come back, the writer's holder to let go); then a final TRUNCATE checkpoint
     * and {@code PRAGMA optimize} run on the writer and every physical connection closes. What is
     * still lent out after the time-out closes when it comes back, or is closed under its user, who
     * then gets SQLExceptions.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (leakCheck != null) {
            leakCheck.cancel(false);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.closeTimeoutMillis());
        if (readers != null) {
            readers.close();
            while (readers.inUse() > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
        synchronized (auxiliaryLock) {
            if (auxiliary != null) {
                auxiliary.close();
            }
        }
        WriterGate.Ticket ticket = null;
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            ticket = gate.acquire("closing the data source", left);
            finalMaintenance();
        } catch (SQLException couldNotDrain) {
            LOG.warn("closing {}: the writer was still busy after close_timeout ({} ms); closing it anyway",
                    config.path(), config.closeTimeoutMillis());
        } finally {
            if (checkpointer != null) {
                checkpointer.close();
            }
            writer.close();
            if (ticket != null) {
                gate.release(ticket);
            }
            health.unregister();
            metrics.remove();
        }
    }

    /** With the writer to itself: shrink the WAL to nothing and let SQLite refresh its statistics. */
    private void finalMaintenance() {
        try {
            if (checkpointer != null) {
                // On the writer: closing opens no new connection. A reader still lent out after
                // close_timeout would make TRUNCATE wait busy_timeout for it; PASSIVE does not wait.
                checkpointer.checkpoint(readersInUse() > 0 ? "PASSIVE" : "TRUNCATE", writer);
            }
            writer.run("PRAGMA optimize");
        } catch (SQLException e) {
            if (Retrying.isRetryable(e)) {
                // another process uses the file: it will checkpoint; nothing is lost either way
                LOG.debug("closing {}: final checkpoint skipped, the database is busy in another process", config.path());
            } else {
                LOG.warn("closing {}: final checkpoint or optimize failed; the data is safe in the WAL", config.path(), e);
            }
        }
    }
}
