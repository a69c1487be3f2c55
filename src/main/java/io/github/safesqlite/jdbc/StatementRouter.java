package io.github.safesqlite.jdbc;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.Lease;
import io.github.safesqlite.engine.PhysicalConnection;
import io.github.safesqlite.engine.SnapshotMark;
import io.github.safesqlite.metrics.JfrEvents;
import io.github.safesqlite.retry.Retrying;
import io.github.safesqlite.retry.SqliteErrors;
import io.github.safesqlite.sql.SqlScript;
import io.github.safesqlite.sql.SqlStatement;
import io.github.safesqlite.sql.StatementKind;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import java.util.Arrays;
import java.util.List;

/**
 * Decides where each statement of one logical connection runs, and whether a failure is tried
 * again. Every execution of the connection passes through {@link #execute} (or
 * {@link #executeBatch}); the routing table it implements is in {@code docs/design.md}:
 *
 * <ul>
 *   <li>inside a transaction (REQUESTED or started, see {@link TransactionState}), on the
 *       transaction's connection, starting it first when needed;</li>
 *   <li>a multi-statement string that writes, outside a transaction, on the writer held for the
 *       whole string;</li>
 *   <li>an autocommit write (or a read of the writer's own state, such as
 *       {@code last_insert_rowid()}), on the writer under the gate, its rows copied;</li>
 *   <li>an autocommit read, on a pooled reader kept until its rows close; a read refused by the
 *       reader ({@code query_only}) before it did anything runs again on the writer;</li>
 *   <li>transaction control and connection-state statements, handled here without SQLite.</li>
 * </ul>
 *
 * <p>Retry is decided in one place, {@link #retries}: an operation outside a transaction that
 * failed busy or locked had no effect, so it runs again under the retry policy; inside a
 * transaction it never does, and the failure is the caller's to handle.
 */
final class StatementRouter {

    private final Engine engine;
    private final String database;
    private final Object holder;
    private final TransactionState tx;
    /** Told when a write transaction starts: the connection then holds the gate across calls. */
    private final Runnable writeTransactionStarted;
    /** The reader (in memory: the writer) the connection's open autocommit results hold and share; or a free one. */
    private final HeldConnection held = new HeldConnection();
    /** The deadline (engine clock) of the call now running: every wait of it ends by then. */
    private long deadline;
    /** The writer held for a multi-statement string outside a transaction, else null. */
    private Lease scriptWriter;
    /** True while {@link #scriptWriter}'s string runs as one transaction of its own. */
    private boolean scriptAtomic;
    /** Set for a batched unit of work's connection: its transactions run on the lent writer. */
    private UnitScope unit;

    /**
     * A JDBC call that runs SQL on the transaction's connection without an execution (commit,
     * rollback, releasing a savepoint) starts now: its waits end at its own deadline.
     */
    void startCall() {
        deadline = engine.deadline();
        Lease lease = tx.lease();
        if (lease != null) {
            lease.physical().waitUntil(deadline);
        }
    }

    /** The connection's open autocommit results' reader, for reclaiming it when the connection is lost. */
    HeldConnection held() {
        return held;
    }

    /**
     * @param holder the logical connection's identity, in whose name the gate and leases are held
     */
    StatementRouter(Engine engine, Object holder, TransactionState tx, Runnable writeTransactionStarted) {
        this.writeTransactionStarted = writeTransactionStarted;
        this.engine = engine;
        this.database = engine.path();
        this.holder = holder;
        this.tx = tx;
    }

    /** Makes this the router of a batched unit of work's connection. */
    void bindTo(UnitScope scope) {
        unit = scope;
    }

    // ---- one path per execution -------------------------------------------------------------

    /** Runs every statement of the execution's script; its statement keeps the outcome of the last one. */
    void execute(Execution e) throws SQLException {
        deadline = engine.deadline();
        e.statement().results().release();
        SafeSqliteListener listener = engine.listener();
        long start = listener.timesStatements() ? System.nanoTime() : 0;
        // JFR times the statement itself, so that its threshold setting applies; none is made before JFR starts.
        JfrEvents.Statement recorded = JfrEvents.recording() ? JfrEvents.statementStarted() : null;
        Throwable failure = null;
        try {
            if (e.script().isSingle()) {
                executeOne(e);
            } else {
                executeScript(e);
            }
        } catch (SQLException | RuntimeException | Error f) {
            failure = f;
            throw f;
        } finally {
            if (start != 0) {
                listener.statementExecuted(database, e.script().normalized(), System.nanoTime() - start, failure,
                        e.parameters());
            }
            if (recorded != null) {
                JfrEvents.statementEnded(recorded, engine.name(), e.script(), failure);
            }
        }
    }

    /**
     * A multi-statement string that writes, outside a transaction, runs whole on the writer, so
     * that, for example, "INSERT ...; SELECT last_insert_rowid()" sees its own insert; and it runs
     * as one transaction, all or nothing, as PostgreSQL runs a multi-statement query, unless it
     * holds its own transaction control or a statement that cannot run in a transaction (VACUUM).
     */
    private void executeScript(Execution e) throws SQLException {
        SqlScript script = e.script();
        List<SqlStatement> list = script.statements();
        boolean holdWriter = !tx.requested() && !script.hasTransactionControl() && !tx.readOnly()
                && (script.writes() || list.stream().anyMatch(SqlStatement::usesWriterState));
        if (!holdWriter) {
            runParts(e);
            return;
        }
        held.written();
        Lease writer = engine.writer(holder, deadline);
        PhysicalConnection pc = writer.physical();
        boolean atomic = list.stream().allMatch(SqlStatement::canRunInTransaction);
        scriptWriter = writer;
        scriptAtomic = atomic;
        boolean begun = false;
        try {
            if (atomic) {
                beginImmediate(pc);
                begun = true;
            }
            runParts(e);
            if (atomic) {
                pc.run("COMMIT");
                begun = false;
            }
        } catch (SQLException | RuntimeException | Error failure) {
            if (begun) {
                e.statement().results().release(); // its rows are copies; nothing of the string stays
                rollbackQuietly(pc, failure);
            }
            throw failure;
        } finally {
            scriptWriter = null;
            scriptAtomic = false;
            writer.release();
        }
    }

    private void runParts(Execution e) throws SQLException {
        OpenResults results = e.statement().results();
        long total = 0;
        for (int i = 0; i < e.script().statements().size(); i++) {
            if (i > 0) {
                results.release();
            }
            executeOne(e.part(i));
            total += Math.max(0, results.updateCount());
        }
        if (e.mode() == ExecutionMode.UPDATE || e.mode() == ExecutionMode.UPDATE_IGNORING_ROWS) {
            results.count(total); // a multi-statement executeUpdate reports the sum of its counts
        }
    }

    private void executeOne(Execution e) throws SQLException {
        SqlStatement s = e.sql();
        OpenResults results = e.statement().results();
        switch (s.kind()) {
            case EMPTY:
                if (e.mode() == ExecutionMode.QUERY) {
                    throw new SQLException("the SQL contains no statement, so there are no rows to return", "42000");
                }
                results.count(0);
                return;
            case CONNECTION_STATE:
                throw connectionStateError(s);
            case BEGIN:
            case COMMIT:
            case ROLLBACK:
            case SAVEPOINT:
            case RELEASE:
            case ROLLBACK_TO:
                transactionControl(s);
                results.count(0);
                return;
            case PRAGMA:
                if (applicationCheckpoint(e)) {
                    return;
                }
                StatementKind kind = engine.pragmaPolicy().route(s, scriptWriter != null || tx.writes());
                if (kind == StatementKind.EMPTY) {
                    results.count(0);
                } else {
                    route(e, kind);
                }
                return;
            default:
                if (s.kind() == StatementKind.WRITE && ExtendedCommand.run(s, engine)) {
                    results.count(0); // sqlite-jdbc's backup/restore statements
                    return;
                }
                route(e, s.kind());
        }
    }

    /**
     * {@code PRAGMA wal_checkpoint} outside a transaction runs through the engine's checkpointer,
     * under the writer gate on its own connection: on a reader it would take the write lock and
     * wait busy_timeout for any reader, stalling every writer. Inside a transaction it runs there
     * (SQLite answers busy), and an in-memory database has no WAL: both go the usual way.
     *
     * @return true when it ran here
     */
    private boolean applicationCheckpoint(Execution e) throws SQLException {
        SqlStatement s = e.sql();
        if (!"wal_checkpoint".equals(s.name()) || tx.requested() || scriptWriter != null) {
            return false;
        }
        String mode = s.value() == null ? "PASSIVE" : s.value().trim().toUpperCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("PASSIVE", "FULL", "RESTART", "TRUNCATE").contains(mode)) {
            return false; // SQLite's own error says what is wrong with it
        }
        java.sql.ResultSet rows = engine.checkpointForApplication(mode);
        if (rows == null) {
            return false;
        }
        OpenResults results = e.statement().results();
        if (e.mode() == ExecutionMode.ANY || e.mode() == ExecutionMode.QUERY) {
            results.adopt(results.outcome().withCount(-1).withCopiedRows(rows), null);
        } else {
            results.count(0); // executeUpdate drops the rows, as sqlite-jdbc does
        }
        return true;
    }

    private void route(Execution e, StatementKind kind) throws SQLException {
        boolean writes = kind == StatementKind.WRITE || e.sql().usesWriterState();
        Lease bound = scriptWriter != null ? scriptWriter : tx.lease();
        if (bound == null && tx.requested()) {
            bound = writes ? begin() : beginForRead();
        } else if (bound != null && writes && tx.optimistic()) {
            bound = moveToWriter();
        }

        if (bound != null) {
            boolean optimisticRead = tx.optimistic() && bound == tx.lease();
            runBound(e, bound);
            if (optimisticRead && tx.optimistic()) {
                // Ran on the query_only reader, so it wrote nothing: safe to run again if something commits before
                // the first write. (A statement the reader refused moved the transaction and is not recorded.)
                tx.reads().record(e);
            }
            return;
        }
        if (kind == StatementKind.WRITE && tx.readOnly()) {
            throw readOnlyError(null);
        }
        if (writes) {
            runOnWriter(e);
            return;
        }
        runOnReader(e);
    }

    /** On the connection a transaction or a multi-statement string holds. */
    private void runBound(Execution e, Lease bound) throws SQLException {
        Outcome o;
        try {
            o = run(bound.physical(), e, retries(bound), "a statement");
        } catch (SQLException failure) {
            if (tx.optimistic() && SqliteErrors.isQueryOnlyRefusal(failure)) {
                // It writes after all; refused before it did anything, it runs again on the writer.
                runBound(e, moveToWriter());
                return;
            }
            if (tx.onReader() && SqliteErrors.isQueryOnlyRefusal(failure)) {
                throw readOnlyError(failure);
            }
            throw failure;
        }
        // A script's statements autocommit one by one: its rows are copied like any autocommit write's.
        e.statement().results().adopt(bound == scriptWriter ? PhysicalExecution.detached(o) : o, null);
    }

    /**
     * On a pooled reader, kept until the rows close; or, while this connection's open results
     * already hold one, on that same one: a connection never waits for a second reader while it
     * holds one (nested reads see the same snapshot, as on one sqlite-jdbc connection).
     */
    private void runOnReader(Execution e) throws SQLException {
        Lease shared = held.shareable();
        if (shared == null && held.inUse()) {
            // The reader this connection holds has a snapshot older than its own last write. A second
            // reader could mean waiting, with this connection's lock held, for readers its own open
            // rows hold: the writer sees the write and is never held by this connection here.
            runOnWriter(e);
            return;
        }
        Lease lease = shared != null ? shared : engine.reader(holder, deadline);
        Outcome o;
        try {
            o = run(lease.physical(), e, retries(lease), "a read");
        } catch (SQLException failure) {
            if (shared == null) {
                lease.release();
            }
            if (lease.isReader() && SqliteErrors.isQueryOnlyRefusal(failure)) {
                if (tx.readOnly()) {
                    throw readOnlyError(failure);
                }
                // Taken for a read, but it writes: SQLite refused before doing anything, so run it again.
                engine.countReroute();
                runOnWriter(e);
                return;
            }
            throw failure;
        } catch (RuntimeException | Error failure) {
            if (shared == null) {
                lease.release();
            }
            throw failure;
        }
        if (o.hasRows()) {
            if (shared != null) {
                held.join();
            } else {
                held.start(lease);
            }
            e.statement().results().adopt(o, held);
        } else {
            if (shared == null) {
                lease.release();
            }
            e.statement().results().adopt(o, null);
        }
    }

    private void runOnWriter(Execution e) throws SQLException {
        held.written();
        Lease shared = held.shareable();
        if (shared != null && !shared.isReader()) {
            // In memory, this connection's open rows already hold the one connection (and the gate):
            // the write runs there rather than wait for itself.
            e.statement().results().adopt(PhysicalExecution.detached(run(shared.physical(), e, true, "a write",
                    deadline)), null);
            return;
        }
        // Rows from an autocommit write (RETURNING) are copied so the gate is not held while the
        // application reads them; that also lets the gate's holder run this statement for us.
        long callDeadline = deadline; // read here: the task may run on the thread that holds the gate
        // A lone statement that can run inside a transaction may share a COMMIT with others queued now.
        boolean groupable = e.sql().kind() == StatementKind.WRITE && e.sql().canRunInTransaction();
        Outcome o = engine.write(holder, callDeadline, groupable,
                writer -> PhysicalExecution.detached(run(writer, e, true, "a write", callDeadline)));
        e.statement().results().adopt(o, null);
    }

    // ---- retry: the one place it is decided -----------------------------------------------------

    /**
     * Whether work on {@code lease} is retried after a busy or locked failure: only outside a
     * transaction, where a failed statement had no effect. That excludes the application's
     * transaction and a multi-statement string running as one transaction; a string that cannot
     * (it holds VACUUM) autocommits statement by statement, so each of its statements is retried.
     */
    private boolean retries(Lease lease) {
        return lease != tx.lease() && !(lease == scriptWriter && scriptAtomic);
    }

    /** Runs {@code e} on {@code pc}; the first attempt builds no closure, so the common case allocates nothing. */
    private Outcome run(PhysicalConnection pc, Execution e, boolean retry, String what) throws SQLException {
        return run(pc, e, retry, what, deadline);
    }

    /** As above, within {@code callDeadline}: the deadline of the call this execution belongs to. */
    private Outcome run(PhysicalConnection pc, Execution e, boolean retry, String what, long callDeadline)
            throws SQLException {
        pc.waitUntil(callDeadline); // the writer's busy handler gives up at the call's deadline
        try {
            return PhysicalExecution.run(pc, e);
        } catch (SQLException failure) {
            if (!retry || !Retrying.isRetryable(failure)) {
                throw failure;
            }
            return engine.retrying(what, callDeadline, () -> PhysicalExecution.run(pc, e));
        }
    }

    // ---- transactions ---------------------------------------------------------------------------

    /**
     * Starts the requested transaction: on one reader and its snapshot when the connection is
     * read-only, otherwise on the writer with {@code BEGIN IMMEDIATE} (retried: it had no effect).
     */
    Lease begin() throws SQLException {
        held.written(); // what the transaction writes, a reader held since before cannot see
        Lease lease;
        if (tx.readOnly()) {
            lease = engine.reader(holder, deadline);
            try {
                lease.physical().run("BEGIN");
                if (!lease.isReader()) {
                    lease.physical().run("PRAGMA query_only = 1"); // in-memory: the writer stands in for a reader
                }
            } catch (SQLException | RuntimeException | Error e) {
                lease.release();
                throw e;
            }
        } else if (unit != null) {
            lease = unit.writer(); // lent by the gate's holder: nothing to wait for, nothing to release
            if (unit.insideGroup()) {
                unit.beginSavepoint();
            } else {
                beginImmediate(lease.physical());
            }
        } else {
            lease = engine.writer(holder, deadline);
            try {
                beginImmediate(lease.physical());
            } catch (SQLException | RuntimeException | Error e) {
                lease.release();
                throw e;
            }
        }
        tx.started(lease);
        if (!lease.isReader() && unit == null) { // a unit's connection is closed by its runner, never lost
            writeTransactionStarted.run();
        }
        return lease;
    }

    /**
     * Starts the requested transaction for its first statement, a read: with
     * {@code optimistic_transactions}, a transaction that is not read-only starts on a reader and
     * moves to the writer at its first write ({@link #moveToWriter}); otherwise as {@link #begin}.
     */
    private Lease beginForRead() throws SQLException {
        if (tx.readOnly() || unit != null || !engine.config().optimisticTransactions() || engine.inMemory()
                || engine.readersHoldTheWal()) {
            return begin();
        }
        held.written();
        SnapshotMark mark = engine.snapshotMark(); // before the reader's snapshot begins, at its first read
        Lease lease = engine.reader(holder, deadline);
        try {
            lease.physical().run("BEGIN");
        } catch (SQLException | RuntimeException | Error e) {
            lease.release();
            throw e;
        }
        tx.startedOptimistically(lease, mark);
        return lease;
    }

    /**
     * An optimistic transaction's first write: takes the writer and, if nothing was committed since
     * the transaction began reading (or what was committed changed none of the rows its reads
     * returned, {@link ReadLog}), goes on there; its reads are then as good as if they had been
     * made on the writer. Otherwise the transaction is rolled back and the write fails with
     * {@code SQLITE_BUSY_SNAPSHOT}, as sqlite-jdbc fails a deferred transaction that read before another
     * connection committed; {@code inTransaction} runs the unit again.
     */
    private Lease moveToWriter() throws SQLException {
        Lease writer = engine.writer(holder, deadline);
        boolean unchanged;
        try {
            beginImmediate(writer.physical());
            try {
                // Something committed since? Then the reads run again on both sides: the same rows, the same transaction.
                unchanged = engine.unchangedSince(tx.mark(), writer.physical())
                        || tx.reads().sameOn(tx.lease().physical(), writer.physical());
                if (!unchanged) {
                    writer.physical().run("ROLLBACK");
                }
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(writer.physical(), e);
                throw e;
            }
        } catch (SQLException | RuntimeException | Error e) {
            writer.release();
            throw e;
        }
        if (!unchanged) {
            writer.release();
            tx.end(false);
            engine.listener().optimisticWrite(database, true);
            throw new SQLiteException("[SQLITE_BUSY_SNAPSHOT] another write was committed after this transaction "
                    + "began reading (optimistic_transactions), so it was rolled back before its first write; run it "
                    + "again (inTransaction does), or mark it read-write from the start with optimistic_transactions=false",
                    SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT);
        }
        tx.movedToWriter(writer);
        engine.listener().optimisticWrite(database, false);
        writeTransactionStarted.run();
        return writer;
    }

    /** {@code BEGIN IMMEDIATE} on the writer: it has no effect when busy, so it is retried. */
    private void beginImmediate(PhysicalConnection writer) throws SQLException {
        engine.retrying("BEGIN IMMEDIATE", deadline, () -> {
            writer.run("BEGIN IMMEDIATE");
            return null;
        });
    }

    /** The started transaction's connection for a write or savepoint, starting it (or moving it to the writer) first. */
    private Lease startedOrBegin() throws SQLException {
        Lease lease = tx.lease();
        if (lease == null) {
            return begin();
        }
        return tx.optimistic() ? moveToWriter() : lease;
    }

    /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE and ROLLBACK TO, sent as SQL. */
    private void transactionControl(SqlStatement s) throws SQLException {
        switch (s.kind()) {
            case BEGIN -> tx.beginBySql();
            case COMMIT -> tx.endBySql(true);
            case ROLLBACK -> tx.endBySql(false);
            case SAVEPOINT -> {
                boolean opened = tx.openBySavepoint();
                try {
                    savepoint(s.sql(), s.name());
                } catch (SQLException | RuntimeException | Error e) {
                    if (opened) {
                        tx.savepointFailed();
                    }
                    throw e;
                }
            }
            default -> tx.releaseOrRollbackTo(s.sql(), s.name(), s.kind() == StatementKind.RELEASE);
        }
    }

    /** Sets a savepoint on the transaction's connection, starting the transaction first when needed. */
    void savepoint(String sql, String name) throws SQLException {
        deadline = engine.deadline();
        startedOrBegin().physical().run(sql);
        tx.savepointSet(name);
    }

    // ---- batches --------------------------------------------------------------------------------

    /**
     * Runs a batch. In autocommit mode the whole batch is one write transaction, all or nothing
     * (so a busy database is simply tried again as a whole); inside a transaction the items run in
     * it and a failure leaves the transaction open.
     */
    long[] executeBatch(LogicalStatement stmt, List<LogicalStatement.BatchItem> items) throws SQLException {
        deadline = engine.deadline();
        if (items.isEmpty()) {
            return new long[0];
        }
        if (tx.readOnly()) {
            throw readOnlyError(null);
        }
        for (LogicalStatement.BatchItem item : items) {
            if (engine.classifier().classify(item.sql()).hasTransactionControl()) {
                throw new SQLException("a batch cannot contain transaction control (" + item.sql().strip()
                        + "); use setAutoCommit(false) and commit()", "25000");
            }
        }
        long[] counts = new long[items.size()];
        held.written();
        if (tx.requested()) {
            Lease lease = startedOrBegin();
            for (int i = 0; i < counts.length; i++) {
                try {
                    counts[i] = runBatchItem(lease.physical(), stmt, items.get(i));
                } catch (SQLException e) {
                    throw LogicalStatement.batchFailure("batch item " + (i + 1) + " failed; the transaction is "
                            + "still open", Arrays.copyOf(counts, i), e);
                }
            }
            return counts;
        }
        Lease lease = engine.writer(holder, deadline);
        int[] failedItem = {-1};
        try {
            PhysicalConnection pc = lease.physical();
            return engine.retrying("a batch", deadline, () -> {
                pc.run("BEGIN IMMEDIATE");
                int i = 0;
                try {
                    for (; i < counts.length; i++) {
                        counts[i] = runBatchItem(pc, stmt, items.get(i));
                    }
                    pc.run("COMMIT");
                    return counts;
                } catch (SQLException | RuntimeException | Error e) {
                    failedItem[0] = i;
                    rollbackQuietly(pc, e);
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw LogicalStatement.batchFailure(failedItem[0] >= 0 && failedItem[0] < counts.length
                    ? "batch item " + (failedItem[0] + 1) + " failed; the whole batch was rolled back and changed "
                    + "nothing" : "the batch failed and was rolled back; it changed nothing", new long[0], e);
        } finally {
            lease.release();
        }
    }

    private long runBatchItem(PhysicalConnection pc, LogicalStatement stmt, LogicalStatement.BatchItem item)
            throws SQLException {
        long total = 0;
        SqlScript script = engine.classifier().classify(item.sql());
        Execution whole = Execution.of(stmt, script, item.parameters(), ExecutionMode.UPDATE);
        for (SqlStatement s : script.statements()) {
            if (s.kind() == StatementKind.CONNECTION_STATE) {
                throw connectionStateError(s);
            }
            if (s.kind() == StatementKind.READ) {
                throw new SQLException("a batch takes statements that change data, but this one returns rows ("
                        + script.normalized() + "); run queries with executeQuery", "22000");
            }
            if (s.kind() == StatementKind.PRAGMA) {
                engine.pragmaPolicy().route(s, true);
            }
            if (s.kind() != StatementKind.EMPTY) {
                Outcome o = PhysicalExecution.run(pc, whole.batchItem(s, item.parameters()));
                total += Math.max(0, o.updateCount());
                if (o.keyed()) {
                    stmt.results().keyFromBatch(o.insertedRowId()); // getGeneratedKeys() after a batch: the last key
                }
            }
        }
        return total;
    }

    private static void rollbackQuietly(PhysicalConnection pc, Throwable failure) {
        try {
            pc.run("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    // ---- refusals -------------------------------------------------------------------------------

    static SQLException connectionStateError(SqlStatement s) {
        String what = s.name();
        String advice = what.startsWith("CREATE")
                ? "Temporary objects live in a single physical connection; use a regular table (and drop it) or a CTE (WITH ...)."
                : what.startsWith("load_extension")
                ? "Load the extension on every physical connection instead, from an io.github.safesqlite."
                + "ConnectionInitializer (builder().initializer(...) or META-INF/services): enable_load_extension and "
                + "load it there."
                : "Attached databases would exist on one physical connection only; open the other file through its "
                + "own safesqlite data source.";
        return new SQLFeatureNotSupportedException(what + " changes the state of one physical connection, but a "
                + "safesqlite connection spans a writer and a pool of readers, so it is not supported. " + advice,
                "0A000");
    }

    static SQLException readOnlyError(SQLException cause) {
        return new SQLException("the connection is read-only (setReadOnly(true)): its statements run on query_only "
                + "readers and cannot write. Call setReadOnly(false), outside a transaction, to write.", "25006", cause);
    }
}
