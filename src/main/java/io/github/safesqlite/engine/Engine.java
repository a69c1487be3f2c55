package io.github.safesqlite.engine;

import io.github.safesqlite.Phase;
import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.SafeSqliteHealth;
import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.metrics.DatabaseMetrics;
import io.github.safesqlite.metrics.JfrEvents;
import io.github.safesqlite.metrics.Listeners;
import io.github.safesqlite.metrics.SlowQueryLog;
import io.github.safesqlite.retry.RetryPolicy;
import io.github.safesqlite.retry.Retrying;
import io.github.safesqlite.sql.StatementClassifier;
import io.github.safesqlite.time.Clock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything safesqlite keeps for one database file: the writer and its gate, the reader pool,
 * the checkpointer, the PRAGMA policy and the statement classifier. Shared by every data source
 * and driver connection for that file in the JVM (see {@link EngineRegistry}). Each part is built
 * with only what it needs (no part holds the engine), and nothing runs in the background before
 * the engine is complete. Internal to safesqlite.
 *
 * <p>An in-memory database cannot use WAL and has no readers: every statement runs on the one
 * physical connection, under the gate.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final SafeSqliteConfig config;
    /** The file's canonical path: every file the engine opens, watches or names derives from it. */
    private final String path;
    /** Unique in the JVM: metric names and JMX use it. */
    private final String name;
    private final Clock clock;
    private final DatabaseMetrics metrics;
    private final Listeners listener;
    private final PragmaPolicy pragmaPolicy;
    private final StatementClassifier classifier = new StatementClassifier();
    private final Retrying retrying;
    private final WriterGate gate;
    /**
     * The writer's {@code PRAGMA data_version} when last read under the gate (-1: not yet): it changes
     * only when another process commits.
     */
    private volatile long writerDataVersion = -1;
    /** The workload phase in force, or null. */
    private final java.util.concurrent.atomic.AtomicReference<Phase> phase = new java.util.concurrent.atomic.AtomicReference<>();
    /** The transaction groups of writes and batched units share on the writer. */
    private final GroupCommit.WriterTransaction groupTransaction;
    private final PhysicalConnection writer;
    private final ReaderPool readers;
    private final AuxiliaryConnection auxiliary;
    private final Checkpointer checkpointer;
    private final HealthReporter health;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledFuture<?> leakCheck;

    /** Opens the writer at once, so a bad path or a file that refuses WAL fails here. */
    private Engine(SafeSqliteConfig config, String path, String name, Clock clock) throws SQLException {
        this.config = config;
        this.path = path;
        this.name = name;
        this.clock = clock;
        this.metrics = new DatabaseMetrics(config.metricRegistry(), name, config.metrics(), config.maxQueryMetrics(),
                config.slowQueryThresholdMillis());
        List<SafeSqliteListener> all = new ArrayList<>(List.of(metrics,
                new SlowQueryLog(config.slowQueryThresholdMillis(), config.logParameters())));
        if (JfrEvents.AVAILABLE) {
            all.add(new JfrEvents(name));
        }
        all.addAll(config.listeners());
        Listeners events = Listeners.of(all);
        this.listener = events;
        PragmaProfile profile = new PragmaProfile(config);
        ConnectionFactory factory = new ConnectionFactory(config, profile, path);
        this.pragmaPolicy = new PragmaPolicy(profile);
        Retrying retry = new Retrying(new RetryPolicy(config.retryBaseMillis(), config.retryCapMillis(),
                config.retryBudgetMillis()), path, clock, retrying -> events.busy(path, retrying));
        this.retrying = retry;
        this.gate = new WriterGate(path, config.leakDetectionThresholdMillis(), clock, events);
        // Opening can meet a lock (switching to WAL, reading the schema): it has no effect yet, so it is retried.
        ReaderPool.Opener openReader = () -> retry.run("opening", () -> factory.open(PhysicalConnection.Role.READER));
        try {
            this.writer = retry.run("opening", () -> factory.open(PhysicalConnection.Role.WRITER));
        } catch (SQLException | RuntimeException e) {
            metrics.remove();
            throw e;
        }
        this.groupTransaction = GroupCommit.on(writer);
        this.writerDataVersion = dataVersionOrUnknown(writer);
        gate.groupWith(groupTransaction);
        if (config.inMemory()) {
            this.readers = null;
            this.auxiliary = new AuxiliaryConnection(writer);
            this.checkpointer = null;
        } else {
            ReaderPool pool = new ReaderPool(openReader, path, config.readers(), config.readerTimeoutMillis(), clock,
                    events);
            this.readers = pool;
            this.auxiliary = new AuxiliaryConnection(openReader);
            long limit = config.journalSizeLimit() < 0 ? 4 * config.checkpointThresholdBytes()
                    : Math.max(config.journalSizeLimit(), config.checkpointThresholdBytes());
            // The checkpointer's own connection waits little for locks, so a blocked checkpoint is retried later.
            ReaderPool.Opener openCheckpointer = () -> {
                PhysicalConnection pc = openReader.open();
                pc.run("PRAGMA busy_timeout = 100");
                return pc;
            };
            this.checkpointer = new Checkpointer(path, new Checkpointer.Settings(config.checkpointThresholdBytes(),
                    limit, config.checkpointIntervalMillis(), config.gateTimeoutMillis(),
                    config.checkpointMode() == SafeSqliteConfig.CheckpointMode.AUTO), gate, openCheckpointer,
                    pool::oldestLentMillis, closed::get, clock, events);
        }
        this.health = new HealthReporter(path, name, gate, readers, checkpointer, metrics,
                auxiliary, closed::get);
    }

    /** Registers a gauge among this database's metrics (for parts that live outside the engine). */
    public <T> void gauge(String name, java.util.function.Supplier<T> value) {
        metrics.gauge(name, value);
    }

    /**
     * Opens the engine of {@code config}'s file, found at {@code canonicalPath} (symbolic links
     * resolved, or {@code :memory:}), and starts its background work.
     */
    static Engine open(SafeSqliteConfig config, String canonicalPath, String name) throws SQLException {
        return open(config, canonicalPath, name, Clock.SYSTEM);
    }

    /** As {@link #open(SafeSqliteConfig, String, String)}, on {@code clock} (tests drive time with it). */
    static Engine open(SafeSqliteConfig config, String canonicalPath, String name, Clock clock) throws SQLException {
        Engine engine = new Engine(config, canonicalPath, name, clock);
        engine.start();
        return engine;
    }

    /** Background work and registrations, once every part exists. */
    private void start() {
        if (checkpointer != null) {
            if (config.checkpointMode() != SafeSqliteConfig.CheckpointMode.EXTERNAL) {
                checkpointer.start(); // EXTERNAL: another process checkpoints; ours only runs the application's
            }
            metrics.gauge("wal.bytes", checkpointer::walBytes);
            metrics.gauge("wal.oldest-reader-ms", readers::oldestLentMillis);
            metrics.gauge("readers.waiting", readers::waiting);
        }
        if (config.jmx()) {
            health.register();
        }
        metrics.gauge("gate.queued", gate::queued);
        metrics.gauge("readers.in-use", this::readersInUse);
        metrics.gauge("readers.idle", this::readersIdle);
        long threshold = config.leakDetectionThresholdMillis();
        this.leakCheck = threshold <= 0 ? null : Background.SCHEDULER.scheduleAtFixedRate(gate::checkForLeak,
                threshold, Math.max(10, Math.min(1000, threshold / 4)), TimeUnit.MILLISECONDS);
    }

    /**
     * The deadline of a JDBC call starting now: {@code call_timeout} from now. Every wait of the call
     * (gate, reader, retries, SQLite's busy handler) ends by then.
     */
    public long deadline() {
        return clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.callTimeoutMillis());
    }

    /** What is left until {@code deadline} in milliseconds, at least 1 (a wait of 0 would be no wait at all). */
    private long leftMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime()));
    }

    /** Runs {@code op}, retrying busy and locked failures under this database's policy; the caller decides that it may. */
    public <T> T retrying(String what, Retrying.Operation<T> op) throws SQLException {
        return retrying.run(what, deadline(), op);
    }

    /** As {@link #retrying(String, Retrying.Operation)}, within the call's {@code deadline}. */
    public <T> T retrying(String what, long deadline, Retrying.Operation<T> op) throws SQLException {
        return retrying.run(what, deadline, op);
    }

    /** Adds a listener that hears this database's events from now on. */
    public void addListener(SafeSqliteListener l) {
        listener.add(l);
    }

    /** Hears every event of this database: the metrics, the slow-query log and the user's listeners. */
    public SafeSqliteListener listener() {
        return listener;
    }

    /** The database file's canonical path (symbolic links resolved), or {@code :memory:}. */
    public String path() {
        return path;
    }

    /** The database's name, unique in the JVM (metric names and JMX use it). */
    public String name() {
        return name;
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

    /** True for an in-memory database: one physical connection, no readers. */
    public boolean inMemory() {
        return readers == null;
    }

    /** Lends a reader; for an in-memory database, the writer under the gate. */
    public Lease reader(Object holder) throws SQLException {
        return reader(holder, deadline());
    }

    /** As {@link #reader(Object)}, waiting no later than the call's {@code deadline}. */
    public Lease reader(Object holder, long deadline) throws SQLException {
        checkOpen();
        if (readers == null) {
            return writer(holder, deadline);
        }
        return readers.lend(leftMillis(deadline));
    }

    /** Waits for the gate and lends the writer. */
    public Lease writer(Object holder) throws SQLException {
        return writer(holder, deadline());
    }

    /** As {@link #writer(Object)}, waiting no later than the call's {@code deadline}; the writer honours it too. */
    public Lease writer(Object holder, long deadline) throws SQLException {
        checkOpen();
        WriterGate.Ticket ticket = gate.acquire(holder, gateWaitMillis(deadline));
        writer.waitUntil(deadline);
        if (closed.get()) {
            gate.release(ticket);
            checkOpen();
        }
        return new Lease(gate, ticket, writer);
    }

    /**
     * Runs one autocommit write on the writer under the gate. It may run on the thread that holds
     * the gate when its turn comes (see {@link WriterGate}); results come back here either way.
     * Whether to retry is the task's to decide.
     */
    public <T> T write(Object holder, long deadline, WriterTask<T> task) throws SQLException {
        return write(holder, deadline, false, task);
    }

    /**
     * As {@link #write(Object, long, WriterTask)}; a {@code groupable} task (one statement that can
     * run inside a transaction) may share one COMMIT with others queued at the same time
     * ({@link GroupCommit}), and returns after that COMMIT.
     */
    public <T> T write(Object holder, long deadline, boolean groupable, WriterTask<T> task) throws SQLException {
        checkOpen();
        WriterGate.Task<T> onWriter = () -> {
            checkOpen();
            writer.waitUntil(deadline); // set by whoever runs it: the task may run on the gate holder's thread
            return task.run(writer);
        };
        return gate.run(holder, gateWaitMillis(deadline), groupable, onWriter);
    }

    /** How long a call with {@code deadline} waits for the writer: gate_timeout, or less when the call has less left. */
    private long gateWaitMillis(long deadline) {
        return Math.min(config.gateTimeoutMillis(), leftMillis(deadline));
    }

    /** Whether the calling thread holds the writer now: anything else needing it would wait for this thread. */
    public boolean writerHeldHere() {
        return gate.heldBy(Thread.currentThread());
    }

    /**
     * Runs one unit of work on the writer under the gate, possibly on the thread that holds the
     * gate, possibly inside a group's transaction with other units and autocommit writes queued at
     * the same time; returns after the COMMIT that contains it (docs/design.md, "Batched units of
     * work"). Not retried here: the caller sleeps its own back-off and queues again.
     */
    public <T> T unit(Object holder, long deadline, UnitTask<T> task) throws SQLException {
        checkOpen();
        return gate.run(holder, gateWaitMillis(deadline), true, onWriter(deadline, task));
    }

    /**
     * Runs several units of work as one arrival at the gate ({@link WriterGate#runAll}): together
     * when the gate is free, otherwise each in its turn, usually still together. Each ticket holds its
     * own unit's outcome, available after the COMMIT that contains it; units {@code more} hands over
     * while this thread runs a group join it ({@link WriterGate#runAll(Object, long, List,
     * java.util.function.Supplier)}), their tickets last. Not retried here.
     *
     * @throws SQLException when the database is closed or this thread holds the writer (nothing ran)
     */
    public List<WriterGate.Ticket> units(Object holder, long deadline, List<? extends UnitTask<?>> tasks,
            java.util.function.Supplier<? extends UnitTask<?>> more) throws SQLException {
        checkOpen();
        List<WriterGate.Task<?>> onWriter = new ArrayList<>(tasks.size());
        for (UnitTask<?> task : tasks) {
            onWriter.add(onWriter(deadline, task));
        }
        return gate.runAll(holder, gateWaitMillis(deadline), onWriter, () -> {
            UnitTask<?> next = more.get();
            return next == null ? null : onWriter(deadline, next);
        });
    }

    /** A unit as the gate runs it: on the writer, whoever's thread that is, within the call's deadline. */
    private <T> WriterGate.Task<T> onWriter(long deadline, UnitTask<T> task) {
        return () -> {
            checkOpen();
            writer.waitUntil(deadline);
            return task.run(new Lease(writer), groupTransaction.isOpen());
        };
    }

    /** A unit of work on the writer, lent for its run. */
    @FunctionalInterface
    public interface UnitTask<T> {
        /**
         * Runs the unit.
         *
         * @param writer      the writer; releasing it keeps the gate with its holder
         * @param insideGroup true when a group's transaction is open: the unit sets a savepoint in it
         *                    instead of beginning its own transaction
         */
        T run(Lease writer, boolean insideGroup) throws SQLException;
    }

    /**
     * True while read snapshots keep the WAL from being truncated past {@code journal_size_limit}: an
     * optimistic transaction then starts on the writer, so that the readers drain and the next
     * TRUNCATE succeeds (measured: without this, 8 threads of optimistic transfers grew the WAL to
     * 514 MB in 6 s).
     */
    public boolean readersHoldTheWal() {
        return checkpointer != null && checkpointer.readersInTheWay();
    }

    /**
     * A mark to take just before a transaction that is not read-only makes its first read on a
     * reader ({@code optimistic_transactions}).
     */
    public SnapshotMark snapshotMark() {
        return new SnapshotMark(gate.holdingsEnded(), writerDataVersion);
    }

    /**
     * Whether nothing was committed since {@code mark}, by this process or another: asked by the
     * holder of the gate, after its {@code BEGIN IMMEDIATE} on {@code writer}, so nothing can commit
     * while it looks. Errs only towards "changed": a holding that committed nothing, or another
     * process's commit before the mark that this process had not seen, also count.
     */
    public boolean unchangedSince(SnapshotMark mark, PhysicalConnection writer) throws SQLException {
        long seen = dataVersion(writer);
        writerDataVersion = seen;
        return mark.holdingsEnded() == gate.holdingsEnded() && mark.dataVersion() == seen;
    }

    /** Unknown (-1) only makes the first optimistic transaction start again, so a failure here is not worth failing the open. */
    private static long dataVersionOrUnknown(PhysicalConnection writer) {
        try {
            return dataVersion(writer);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The writer's {@code PRAGMA data_version}, through its statement cache: asked at every optimistic transaction's move. */
    private static long dataVersion(PhysicalConnection writer) throws SQLException {
        CachedStatement cs = writer.prepare("PRAGMA data_version");
        long version;
        try (java.sql.ResultSet rs = cs.statement().executeQuery()) {
            rs.next();
            version = rs.getLong(1);
        } catch (SQLException | RuntimeException e) {
            cs.discard();
            throw e;
        }
        cs.release();
        return version;
    }

    /**
     * Enters a workload phase: the writer's and the readers' performance PRAGMAs and the checkpoint
     * threshold take the phase's values ({@link PhaseTuning}); REPORTING runs {@code ANALYZE} first.
     *
     * @throws SQLException when another phase is active (one at a time), or the writer cannot be had
     */
    public void enterPhase(Phase p) throws SQLException {
        checkOpen();
        if (!phase.compareAndSet(null, p)) {
            throw new SQLException("the " + phase.get() + " phase is active on " + path + "; close it before entering "
                    + p + " (one phase at a time)", "55000");
        }
        try {
            retune(PhaseTuning.of(p, config));
            if (p == Phase.REPORTING) {
                onWriter("phase " + p, w -> w.run("ANALYZE")); // fresh statistics for the report queries' plans
            }
        } catch (SQLException | RuntimeException | Error e) {
            try {
                retune(PhaseTuning.profile(p, config));
            } catch (SQLException restore) {
                e.addSuppressed(restore);
            } finally {
                phase.set(null);
            }
            throw e;
        }
    }

    /**
     * Leaves {@code p}: the profile's values come back, then the phase's clean-up runs (BULK_LOAD:
     * {@code PRAGMA optimize} and a TRUNCATE checkpoint unless another process owns checkpoints;
     * ANALYSIS: {@code PRAGMA optimize}). The phase ends even if the clean-up fails; the failure is
     * thrown.
     */
    public void leavePhase(Phase p) throws SQLException {
        if (phase.get() != p) {
            return; // already left
        }
        try {
            retune(PhaseTuning.profile(p, config));
            if (p == Phase.BULK_LOAD || p == Phase.ANALYSIS) {
                onWriter("phase " + p, w -> w.run("PRAGMA optimize"));
            }
            // After optimize, whose statistics are written too: the WAL ends empty.
            if (p == Phase.BULK_LOAD && checkpointer != null
                    && config.checkpointMode() != SafeSqliteConfig.CheckpointMode.EXTERNAL) {
                checkpointer.forApplication(config.checkpointMode() == SafeSqliteConfig.CheckpointMode.AUTO
                        ? "TRUNCATE" : "PASSIVE").close();
            }
        } finally {
            phase.set(null);
        }
    }

    /** Applies a phase's tuning, or the profile's after it: the writer now, readers at their next loan. */
    private void retune(PhaseTuning.Tuning t) throws SQLException {
        if (!t.writer().isEmpty()) {
            onWriter("phase tuning", w -> {
                for (Map.Entry<String, String> e : t.writer().entrySet()) {
                    w.run("PRAGMA " + e.getKey() + " = " + e.getValue()); // numbers PhaseTuning computed
                }
            });
        }
        if (readers != null && !t.readers().isEmpty()) {
            readers.retune(t.readers());
        }
        if (checkpointer != null) {
            checkpointer.threshold(t.checkpointThreshold());
        }
        gate.maxCombined(t.groupLimit());
    }

    /** Work on the writer, holding the gate. */
    @FunctionalInterface
    private interface WriterWork {
        void run(PhysicalConnection writer) throws SQLException;
    }

    private void onWriter(String holder, WriterWork work) throws SQLException {
        Lease lease = writer(new GateHolder(holder), deadline());
        try {
            work.run(lease.physical());
        } finally {
            lease.release();
        }
    }

    /** Work on the writer connection. */
    @FunctionalInterface
    public interface WriterTask<T> {
        /** Runs the work on {@code writer}. */
        T run(PhysicalConnection writer) throws SQLException;
    }

    /**
     * A connection for calls that touch no data (metadata queries, descriptions): see
     * {@link AuxiliaryConnection}.
     */
    public PhysicalConnection auxiliary() throws SQLException {
        checkOpen();
        return auxiliary.get();
    }

    /**
     * Runs an application's {@code PRAGMA wal_checkpoint(mode)} through the background checkpointer
     * (see {@link Checkpointer#forApplication}); null for an in-memory database, which has no WAL.
     */
    public java.sql.ResultSet checkpointForApplication(String mode) throws SQLException {
        checkOpen();
        return checkpointer == null ? null : checkpointer.forApplication(mode);
    }

    /** How long the reader lent out longest ago has been out, in milliseconds. */
    public long oldestReaderMillis() {
        return readers == null ? 0 : readers.oldestLentMillis();
    }

    /** A snapshot of this database's state. */
    public SafeSqliteHealth health() {
        return health.snapshot();
    }

    /**
     * Copies the database, consistent as of one moment, to {@code target} (a new file), without
     * blocking writers.
     */
    public void backup(Path target) throws SQLException {
        checkOpen();
        Backup.to(this, target);
    }

    /** Counts a statement re-run on the writer after a reader refused it. */
    public void countReroute() {
        listener.rerouted(path);
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

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Throws the data-source-closed error once the engine is closed. */
    public void checkOpen() throws SQLException {
        if (closed.get()) {
            throw new SQLNonTransientConnectionException("the safesqlite data source for " + path
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
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (leakCheck != null) {
            leakCheck.cancel(false);
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.closeTimeoutMillis());
        if (readers != null) {
            readers.close();
            while (readers.inUse() > 0 && clock.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
        auxiliary.close();
        WriterGate.Ticket ticket = null;
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime()));
            ticket = gate.acquire(new GateHolder("closing the data source"), left);
            finalMaintenance();
        } catch (SQLException couldNotDrain) {
            LOG.warn("closing {}: the writer was still busy after close_timeout ({} ms); closing it anyway",
                    path, config.closeTimeoutMillis());
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
            SafeSqliteConfig.CheckpointMode mode = config.checkpointMode();
            if (checkpointer != null && mode != SafeSqliteConfig.CheckpointMode.EXTERNAL) {
                // On the writer: closing opens no new connection. A reader still lent out after
                // close_timeout would make TRUNCATE wait busy_timeout for it; PASSIVE does not wait.
                boolean truncate = mode == SafeSqliteConfig.CheckpointMode.AUTO && readersInUse() == 0;
                checkpointer.checkpoint(truncate ? "TRUNCATE" : "PASSIVE", writer);
            }
            writer.run("PRAGMA optimize");
        } catch (SQLException e) {
            if (Retrying.isRetryable(e)) {
                // another process uses the file: it will checkpoint; nothing is lost either way
                LOG.debug("closing {}: final checkpoint skipped, the database is busy in another process", path);
            } else {
                LOG.warn("closing {}: final checkpoint or optimize failed; the data is safe in the WAL", path, e);
            }
        }
    }
}
