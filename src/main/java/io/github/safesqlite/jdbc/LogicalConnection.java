package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.Lease;
import io.github.safesqlite.engine.PhysicalConnection;
import io.github.safesqlite.retry.Retrying;
import io.github.safesqlite.retry.SqliteErrors;
import io.github.safesqlite.sql.SqlScript;
import io.github.safesqlite.sql.SqlStatement;
import io.github.safesqlite.sql.StatementKind;
import java.lang.invoke.MethodHandle;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The connection an application holds. It opens nothing: each autocommit statement borrows a
 * reader or the writer for as long as its results are open, and a transaction holds one physical
 * connection from its first statement to its end (the writer, behind the gate, with
 * {@code BEGIN IMMEDIATE}; or, when read-only, one reader and its snapshot).
 */
public abstract class LogicalConnection implements Connection {

    private static final MethodHandle FACTORY =
            Delegation.generate(LogicalConnection.class, Engine.class, Runnable.class);

    private final Engine engine;
    private final Runnable onClose;
    private final Set<LogicalStatement> statements = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;
    private boolean autoCommit = true;
    private boolean readOnly;
    private int networkTimeout;
    private int holdability = ResultSet.CLOSE_CURSORS_AT_COMMIT;

    // Transaction state. A transaction is "requested" by setAutoCommit(false), BEGIN or SAVEPOINT
    // and "started" (tx != null) by its first statement.
    private boolean sqlTransaction;
    private boolean openedBySavepoint;
    private Lease tx;
    private boolean txReadOnly;
    private final ArrayDeque<String> savepoints = new ArrayDeque<>();
    private int savepointCounter;
    private Lease scriptWriter;

    protected LogicalConnection(Engine engine, Runnable onClose) {
        this.engine = engine;
        this.onClose = onClose;
    }

    /**
     * A new logical connection on {@code engine}; {@code onClose} runs once when it closes.
     */
    public static Connection open(Engine engine, Runnable onClose) throws SQLException {
        engine.checkOpen();
        try {
            return (LogicalConnection) FACTORY.invokeExact(engine, onClose);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a logical Connection", t);
        }
    }

    Engine engine() {
        return engine;
    }

    /** The physical connection for the generated delegation: the transaction's, or the shared auxiliary one. */
    protected Connection delegate() throws SQLException {
        checkOpen();
        return describeConnection();
    }

    /** Where SQL can be prepared for description: inside a transaction its own connection (it sees its changes). */
    Connection describeConnection() throws SQLException {
        return tx != null ? tx.physical().raw() : engine.auxiliary().raw();
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
        if (tx == null) {
            engine.checkOpen(); // a started transaction may still finish while its data source closes
        }
    }

    @Override
    public String toString() {
        return "safesqlite connection@" + Integer.toHexString(System.identityHashCode(this)) + " to "
                + engine.config().path();
    }

    // ---- routing --------------------------------------------------------------------------

    /** Runs every statement of {@code script}; the statement keeps the outcome of the last one. */
    void execute(LogicalStatement stmt, SqlScript script, Parameters params, ExecutionMode mode, boolean keys)
            throws SQLException {
        List<SqlStatement> list = script.statements();
        if (list.size() == 1) {
            executeOne(stmt, list.get(0), params, mode, keys);
            return;
        }
        // A multi-statement string that writes runs whole on the writer, so that, for example,
        // "INSERT ...; SELECT last_insert_rowid()" sees its own insert.
        boolean holdWriter = !inTransactionMode() && !script.hasTransactionControl() && !readOnly
                && (script.writes() || list.stream().anyMatch(SqlStatement::usesWriterState));
        if (holdWriter) {
            scriptWriter = engine.writer(this);
        }
        try {
            long total = 0;
            for (int i = 0; i < list.size(); i++) {
                boolean last = i == list.size() - 1;
                if (i > 0) {
                    stmt.releaseExecution();
                }
                executeOne(stmt, list.get(i), null, last ? mode : ExecutionMode.ANY, last && keys);
                total += Math.max(0, stmt.getLargeUpdateCount());
            }
            if (mode == ExecutionMode.UPDATE || mode == ExecutionMode.UPDATE_IGNORING_ROWS) {
                stmt.overrideUpdateCount(total);
            }
        } finally {
            if (holdWriter) {
                Lease l = scriptWriter;
                scriptWriter = null;
                l.release();
            }
        }
    }

    private void executeOne(LogicalStatement stmt, SqlStatement s, Parameters params, ExecutionMode mode,
            boolean keys) throws SQLException {
        switch (s.kind()) {
            case EMPTY:
                if (mode == ExecutionMode.QUERY) {
                    throw new SQLException("the SQL contains no statement, so there are no rows to return", "42000");
                }
                stmt.adopt(stmt.outcome().withCount(0), null);
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
                stmt.adopt(stmt.outcome().withCount(0), null);
                return;
            case PRAGMA:
                StatementKind kind = engine.pragmaPolicy().route(s, inWriteTransaction());
                if (kind == StatementKind.EMPTY) {
                    stmt.adopt(stmt.outcome().withCount(0), null);
                } else {
                    route(stmt, s, kind, params, mode, keys);
                }
                return;
            default:
                route(stmt, s, s.kind(), params, mode, keys);
        }
    }

    private void route(LogicalStatement stmt, SqlStatement s, StatementKind kind, Parameters params,
            ExecutionMode mode, boolean keys) throws SQLException {
        Lease bound = scriptWriter != null ? scriptWriter : tx;
        if (bound == null && inTransactionMode()) {
            bound = beginTransaction();
        }
        if (bound != null) {
            Outcome o;
            PhysicalConnection pc = bound.physical();
            try {
                // Inside a transaction a failure is the caller's to handle; a script's statements autocommit one by one.
                o = bound == scriptWriter
                        ? engine.retrying("a statement",
                                () -> PhysicalExecution.run(pc, stmt, s, params, mode, keys))
                        : PhysicalExecution.run(pc, stmt, s, params, mode, keys);
            } catch (SQLException e) {
                if (txReadOnly && SqliteErrors.isQueryOnlyRefusal(e)) {
                    throw readOnlyError(e);
                }
                throw e;
            }
            stmt.adopt(bound == scriptWriter ? PhysicalExecution.detached(o) : o, null);
            return;
        }
        if (kind == StatementKind.WRITE && readOnly) {
            throw readOnlyError(null);
        }
        if (kind == StatementKind.WRITE || s.usesWriterState()) {
            runOnWriter(stmt, s, params, mode, keys);
            return;
        }
        Lease lease = engine.reader(this);
        PhysicalConnection reader = lease.physical();
        Outcome o;
        try {
            o = runRetrying(reader, stmt, s, params, mode, keys, "a read");
        } catch (SQLException e) {
            lease.release();
            if (lease.isReader() && SqliteErrors.isQueryOnlyRefusal(e)) {
                if (readOnly) {
                    throw readOnlyError(e);
                }
                // Taken for a read, but it writes: SQLite refused before doing anything, so run it again.
                engine.countReroute();
                runOnWriter(stmt, s, params, mode, keys);
                return;
            }
            throw e;
        }
        if (o.hasRows()) {
            stmt.adopt(o, lease);
        } else {
            lease.release();
            stmt.adopt(o, null);
        }
    }

    /**
     * Runs on {@code pc}, retrying busy failures; the first attempt is made directly, so the common
     * case builds no closure.
     */
    private Outcome runRetrying(PhysicalConnection pc, LogicalStatement stmt, SqlStatement s, Parameters params,
            ExecutionMode mode, boolean keys, String what) throws SQLException {
        try {
            return PhysicalExecution.run(pc, stmt, s, params, mode, keys);
        } catch (SQLException e) {
            if (!Retrying.isRetryable(e)) {
                throw e;
            }
            return engine.retrying(what, () -> PhysicalExecution.run(pc, stmt, s, params, mode, keys));
        }
    }

    private void runOnWriter(LogicalStatement stmt, SqlStatement s, Parameters params, ExecutionMode mode,
            boolean keys) throws SQLException {
        // Rows from an autocommit write (RETURNING) are copied so the gate is not held while the
        // application reads them; that also lets the gate's holder run this statement for us.
        stmt.adopt(engine.write(this, writer -> PhysicalExecution.detached(PhysicalExecution.run(writer, stmt, s, params, mode, keys))), null);
    }


    private static SQLException connectionStateError(SqlStatement s) {
        String what = s.name();
        String advice = what.startsWith("CREATE")
                ? "Temporary objects live in a single physical connection; use a regular table (and drop it) or a CTE (WITH ...)."
                : what.startsWith("load_extension")
                ? "Extension loading is disabled on safesqlite's connections."
                : "Attached databases would exist on one physical connection only; open the other file through its "
                + "own safesqlite data source.";
        return new SQLFeatureNotSupportedException(what + " changes the state of one physical connection, but a "
                + "safesqlite connection spans a writer and a pool of readers, so it is not supported. " + advice,
                "0A000");
    }

    private static SQLException readOnlyError(SQLException cause) {
        return new SQLException("the connection is read-only (setReadOnly(true)): its statements run on query_only "
                + "readers and cannot write. Call setReadOnly(false), outside a transaction, to write.", "25006", cause);
    }

    // ---- transactions ---------------------------------------------------------------------

    private boolean inTransactionMode() {
        return !autoCommit || sqlTransaction;
    }

    private boolean inWriteTransaction() {
        return scriptWriter != null || (inTransactionMode() && !readOnly);
    }

    /** Starts the requested transaction at its first statement. */
    private Lease beginTransaction() throws SQLException {
        Lease lease;
        if (readOnly) {
            lease = engine.reader(this);
            try {
                lease.physical().run("BEGIN");
                if (!lease.isReader()) {
                    lease.physical().run("PRAGMA query_only = 1"); // in-memory: the writer stands in for a reader
                }
            } catch (SQLException e) {
                lease.release();
                throw e;
            }
        } else {
            lease = engine.writer(this);
            PhysicalConnection writer = lease.physical();
            try {
                engine.retrying("BEGIN IMMEDIATE", () -> {
                    writer.run("BEGIN IMMEDIATE");
                    return null;
                });
            } catch (SQLException e) {
                lease.release();
                throw e;
            }
        }
        txReadOnly = readOnly;
        tx = lease;
        return lease;
    }

    private void endTransaction(boolean commit) throws SQLException {
        Lease lease = tx;
        if (lease == null) {
            resetTransactionState();
            return;
        }
        closeTransactionResults();
        if (!commit) {
            engine.metrics().rolledBack();
        }
        PhysicalConnection pc = lease.physical();
        try {
            pc.run(commit ? "COMMIT" : "ROLLBACK");
        } catch (SQLException e) {
            boolean stillOpen;
            try {
                stillOpen = pc.inTransaction();
            } catch (SQLException probe) {
                stillOpen = true;
            }
            if (commit && stillOpen) {
                // SQLite keeps the transaction (a deferred constraint, a busy file): the caller may retry or roll back.
                throw e;
            }
            finishTransaction(lease);
            if (commit) {
                throw new SQLException("commit failed and SQLite rolled the transaction back: " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), e);
            }
            if (stillOpen) {
                throw e;
            }
            return; // SQLite had already rolled back, which is what was asked
        }
        finishTransaction(lease);
    }

    private void finishTransaction(Lease lease) throws SQLException {
        try {
            if (txReadOnly && !lease.isReader()) {
                lease.physical().run("PRAGMA query_only = 0");
            }
        } finally {
            tx = null;
            resetTransactionState();
            lease.release();
        }
    }

    private void resetTransactionState() {
        sqlTransaction = false;
        openedBySavepoint = false;
        savepoints.clear();
        txReadOnly = false;
    }

    /**
     * Results still open on the transaction's connection close with it (CLOSE_CURSORS_AT_COMMIT).
     * Releasing an execution never removes a statement from the set, so it is walked as it is.
     */
    private void closeTransactionResults() throws SQLException {
        for (LogicalStatement s : statements) {
            if (s.holdsTransactionResults()) {
                s.releaseExecution();
            }
        }
    }

    private void transactionControl(SqlStatement s) throws SQLException {
        switch (s.kind()) {
            case BEGIN:
                if (inTransactionMode()) {
                    throw new SQLException("cannot start a transaction within a transaction"
                            + (autoCommit ? "" : " (autocommit is off, so one is always open)"), "25001");
                }
                sqlTransaction = true;
                return;
            case COMMIT:
            case ROLLBACK:
                if (!inTransactionMode()) {
                    throw new SQLException("cannot " + (s.kind() == StatementKind.COMMIT ? "commit" : "rollback")
                            + " - no transaction is active", "25000");
                }
                endTransaction(s.kind() == StatementKind.COMMIT);
                return;
            case SAVEPOINT:
                if (!inTransactionMode()) {
                    sqlTransaction = true;
                    openedBySavepoint = true;
                }
                savepoint(s.sql(), s.name());
                return;
            default:
                releaseOrRollbackTo(s.sql(), s.name(), s.kind() == StatementKind.RELEASE);
        }
    }

    private void savepoint(String sql, String name) throws SQLException {
        Lease lease = tx != null ? tx : beginTransaction();
        lease.physical().run(sql);
        savepoints.push(name.toLowerCase(Locale.ROOT));
    }

    private void releaseOrRollbackTo(String sql, String name, boolean release) throws SQLException {
        String key = name.toLowerCase(Locale.ROOT);
        if (tx == null || !savepoints.contains(key)) {
            throw new SQLException("no such savepoint: " + name, "3B001");
        }
        tx.physical().run(sql);
        // SQLite pops every savepoint newer than the named one; RELEASE pops the named one too.
        for (Iterator<String> it = savepoints.iterator(); it.hasNext(); ) {
            String top = it.next();
            if (top.equals(key)) {
                if (release) {
                    it.remove();
                }
                break;
            }
            it.remove();
        }
        if (release && savepoints.isEmpty() && openedBySavepoint) {
            endTransaction(true); // RELEASE of the outermost savepoint commits, as in SQLite
        }
    }

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        checkOpen();
        if (on == autoCommit) {
            return;
        }
        if (on && inTransactionMode()) {
            endTransaction(true); // JDBC: switching autocommit on commits the open transaction
        }
        autoCommit = on;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (!inTransactionMode()) {
            throw new SQLException("commit() called in autocommit mode; call setAutoCommit(false) first", "25000");
        }
        endTransaction(true);
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (!inTransactionMode()) {
            throw new SQLException("rollback() called in autocommit mode; call setAutoCommit(false) first", "25000");
        }
        endTransaction(false);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        int id = ++savepointCounter;
        return newSavepoint(new LogicalSavepoint(id, "SAVEPOINT_" + id, false));
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new SQLException("a savepoint name must be a non-empty string without NUL characters", "3B002");
        }
        return newSavepoint(new LogicalSavepoint(++savepointCounter, name, true));
    }

    private Savepoint newSavepoint(LogicalSavepoint sp) throws SQLException {
        checkOpen();
        if (autoCommit && !sqlTransaction) {
            throw new SQLException("savepoints need a transaction: call setAutoCommit(false) first", "25000");
        }
        savepoint("SAVEPOINT " + quoteIdentifier(sp.sqlName()), sp.sqlName());
        return sp;
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        String name = savepointName(savepoint);
        releaseOrRollbackTo("RELEASE SAVEPOINT " + quoteIdentifier(name), name, true);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        String name = savepointName(savepoint);
        releaseOrRollbackTo("ROLLBACK TO SAVEPOINT " + quoteIdentifier(name), name, false);
    }

    private static String savepointName(Savepoint savepoint) throws SQLException {
        if (!(savepoint instanceof LogicalSavepoint sp)) {
            throw new SQLException("this savepoint was not created by this connection", "3B001");
        }
        return sp.sqlName();
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    // ---- batches --------------------------------------------------------------------------

    /**
     * Runs a batch. In autocommit mode the whole batch is one write transaction, all or nothing;
     * inside a transaction the items run in it and a failure leaves the transaction open.
     */
    long[] executeBatch(LogicalStatement stmt, List<LogicalStatement.BatchItem> items) throws SQLException {
        checkOpen();
        if (items.isEmpty()) {
            return new long[0];
        }
        if (readOnly) {
            throw readOnlyError(null);
        }
        for (LogicalStatement.BatchItem item : items) {
            if (engine.classifier().classify(item.sql()).hasTransactionControl()) {
                throw new SQLException("a batch cannot contain transaction control (" + item.sql().strip()
                        + "); use setAutoCommit(false) and commit()", "25000");
            }
        }
        long[] counts = new long[items.size()];
        if (inTransactionMode()) {
            Lease lease = tx != null ? tx : beginTransaction();
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
        Lease lease = engine.writer(this);
        int[] failedItem = {-1};
        try {
            PhysicalConnection pc = lease.physical();
            // All or nothing, so a busy database is simply tried again as a whole.
            return engine.retrying("a batch", () -> {
                pc.run("BEGIN IMMEDIATE");
                int i = 0;
                try {
                    for (; i < counts.length; i++) {
                        counts[i] = runBatchItem(pc, stmt, items.get(i));
                    }
                    pc.run("COMMIT");
                    return counts;
                } catch (SQLException e) {
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
        for (SqlStatement s : engine.classifier().classify(item.sql()).statements()) {
            if (s.kind() == StatementKind.CONNECTION_STATE) {
                throw connectionStateError(s);
            }
            if (s.kind() == StatementKind.PRAGMA) {
                engine.pragmaPolicy().route(s, true);
            }
            if (s.kind() != StatementKind.EMPTY) {
                total += Math.max(0, PhysicalExecution.run(pc, stmt, s, item.parameters(), item.parameters() == null
                        ? ExecutionMode.UPDATE_IGNORING_ROWS : ExecutionMode.UPDATE, false).updateCount());
            }
        }
        return total;
    }

    private static void rollbackQuietly(PhysicalConnection pc, SQLException failure) {
        try {
            pc.run("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    // ---- statements -----------------------------------------------------------------------

    private <T extends LogicalStatement> T track(T statement) {
        statements.add(statement);
        return statement;
    }

    void forget(LogicalStatement statement) {
        statements.remove(statement);
    }

    private static void checkResultSetOptions(int type, int concurrency) throws SQLException {
        if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw new SQLFeatureNotSupportedException("SQLite results are forward-only and read-only "
                    + "(TYPE_FORWARD_ONLY, CONCUR_READ_ONLY)", "0A000");
        }
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return track(LogicalStatement.create(this));
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        checkResultSetOptions(type, concurrency);
        return createStatement();
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkResultSetOptions(type, concurrency);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql, false));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql, autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql, true));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql, true));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        checkResultSetOptions(type, concurrency);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        checkResultSetOptions(type, concurrency);
        return prepareStatement(sql);
    }

    private static SQLFeatureNotSupportedException noCallable() {
        return new SQLFeatureNotSupportedException("SQLite has no stored procedures; use prepareStatement", "0A000");
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw noCallable();
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        throw noCallable();
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        throw noCallable();
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return LogicalDatabaseMetaData.create(this);
    }

    // ---- connection state -----------------------------------------------------------------

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (readOnly != this.readOnly && (tx != null || sqlTransaction)) {
            throw new SQLException("cannot change read-only while a transaction is open; commit or roll back first",
                    "25001");
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    /** SQLite transactions are always SERIALIZABLE; JDBC lets a driver answer a weaker request with a stronger level. */
    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        switch (level) {
            case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ,
                    TRANSACTION_SERIALIZABLE -> { }
            default -> throw new SQLException("unknown transaction isolation level " + level, "HY024");
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return TRANSACTION_SERIALIZABLE;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        if (holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw new SQLFeatureNotSupportedException("results close at commit (CLOSE_CURSORS_AT_COMMIT): the "
                    + "transaction's connection is given back when it ends", "0A000");
        }
        this.holdability = holdability;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("network timeout must be >= 0", "22023");
        }
        networkTimeout = milliseconds; // an embedded database has no network; kept for getNetworkTimeout
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return networkTimeout;
    }

    /** Client info is not stored by SQLite; reads go to the physical connection, writes are refused per JDBC. */
    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        throw new SQLClientInfoException("SQLite supports no client info properties", "0A000", 0, null);
    }

    @Override
    public void setClientInfo(java.util.Properties properties) throws SQLClientInfoException {
        throw new SQLClientInfoException("SQLite supports no client info properties", "0A000", 0, null);
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("timeout must be >= 0", "22023");
        }
        return !closed && !engine.isClosed();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        close();
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException failure = null;
        for (LogicalStatement s : statements) {
            s.closeForConnection(); // does not call forget(), so the set is not changed under us
        }
        statements.clear();
        if (tx != null) {
            try {
                endTransaction(false); // closing mid-transaction rolls back
            } catch (SQLException e) {
                // With the data source already closed the physical connection is gone, and SQLite rolled
                // back when it closed: the connection's close has nothing left to report.
                failure = engine.isClosed() ? null : e;
            } finally {
                if (tx != null) {
                    Lease l = tx;
                    tx = null;
                    l.release();
                }
            }
        }
        onClose.run();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        checkOpen();
        if (tx == null) {
            throw new SQLException("unwrap(" + iface.getName() + ") reaches the physical connection only inside a "
                    + "started transaction, where this connection is bound to one; outside one each statement may "
                    + "run on a different physical connection", "HY000");
        }
        return tx.physical().raw().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isAssignableFrom(org.sqlite.SQLiteConnection.class);
    }
}
