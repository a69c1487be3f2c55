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

/**
 * Everything safesqlite keeps for one database file: the writer and its gate, the reader pool,
 * the PRAGMA policy and the statement classifier. Shared by every data source and driver
 * connection for that file in the JVM (see {@link EngineRegistry}). Internal to safesqlite.
 *
 * <p>An in-memory database cannot use WAL and has no readers: every statement runs on the one
 * physical connection, under the gate.
 */
public final class Engine {

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
        metrics.gauge("gate.queued", gate::queued);
        metrics.gauge("readers.in-use", this::readersInUse);
        metrics.gauge("readers.idle", this::readersIdle);
        long threshold = config.leakDetectionThresholdMillis();
        this.leakCheck = threshold <= 0 ? null : WATCHDOG.scheduleAtFixedRate(gate::checkForLeak,
                threshold, Math.max(10, Math.min(1000, threshold / 4)), TimeUnit.MILLISECONDS);
    }

    /** Opening can meet a lock (switching to WAL, reading the schema): it has no effect yet, so it is retried. */
    private PhysicalConnection openWithRetries(PhysicalConnection.Role role) throws SQLException {
        return retrying("opening " + config.path(), () -> factory.open(role));
    }

    /** Runs {@code op}, retrying busy and locked failures under this database's policy, counted in its metrics. */
    public <T> T retrying(String what, Retrying.Operation<T> op) throws SQLException {
        return Retrying.run(retryPolicy, what, this::countBusy, op);
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

    /** How busy and locked operations are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
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
        long start = System.nanoTime();
        PhysicalConnection reader = readers.borrow();
        metrics.readerWaited(System.nanoTime() - start);
        return new Lease(this, reader, Lease.Kind.READER, null);
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
                return retrying("a write on " + config.path(), () -> task.run(writer));
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
     * Closes every physical connection: the writer once its current holder lets go (at most
     * gate_timeout), idle readers at once, lent readers when they come back.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (leakCheck != null) {
            leakCheck.cancel(false);
        }
        metrics.remove();
        if (readers != null) {
            readers.close();
        }
        synchronized (auxiliaryLock) {
            if (auxiliary != null) {
                auxiliary.close();
            }
        }
        // The writer may be mid-statement on another thread: take the gate so that work ends first.
        try {
            WriterGate.Ticket ticket = gate.acquire("closing the data source", config.gateTimeoutMillis());
            try {
                writer.close();
            } finally {
                gate.release(ticket);
            }
        } catch (SQLException couldNotDrain) {
            // Held past gate_timeout, or by this very thread: close anyway; its holder gets SQLExceptions.
            writer.close();
        }
    }
}
