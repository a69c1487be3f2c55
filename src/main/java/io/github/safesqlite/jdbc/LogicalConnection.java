package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.Lease;
import io.github.safesqlite.engine.PhysicalConnection;
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
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.lang.ref.Cleaner;

/**
 * The connection an application holds: the JDBC surface only. It opens nothing; where each
 * statement runs is decided by its {@link StatementRouter}, what transaction is open is kept by
 * its {@link TransactionState}, and its statements are tracked by {@link OpenStatements}.
 *
 * <p>Safe to share between threads, as sqlite-jdbc's connections are: every call that reads or
 * changes the connection's state, or runs SQL, holds the connection's lock (one lock for the
 * connection, its statements and its result sets), so calls on one connection are serialized,
 * and what any thread runs while a transaction is open is part of that transaction. The lock is a
 * {@link ReentrantLock}, not a monitor, so a virtual thread waiting for the writer does not pin
 * its carrier.
 */
public abstract class LogicalConnection implements Connection {

    private static final MethodHandle FACTORY =
            Delegation.constructor(LogicalConnection.class, Engine.class, Runnable.class);

    private final Engine engine;
    private final boolean generatedKeys;
    /** The level last asked for; SQLite's transactions are serializable whatever it is. */
    private volatile int isolation = TRANSACTION_SERIALIZABLE;
    private final Runnable onClose;
    private final OpenStatements statements = new OpenStatements();
    private final TransactionState tx;
    private final StatementRouter router;
    private final Holder holder;
    private Cleaner.Cleanable reclaim;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private int networkTimeout;
    private int holdability = ResultSet.CLOSE_CURSORS_AT_COMMIT;
    private int savepointCounter;

    protected LogicalConnection(Engine engine, Runnable onClose) {
        this.engine = engine;
        this.onClose = onClose;
        String database = engine.path();
        var listener = engine.listener();
        this.tx = new TransactionState(statements, () -> listener.rolledBack(database));
        // The gate knows the connection by this token, not by the connection itself, so that a
        // connection the application loses can be collected and what it held reclaimed.
        this.generatedKeys = engine.config().generatedKeys();
        this.holder = new Holder(engine.config().path());
        this.router = new StatementRouter(engine, holder, tx, this::watchForLoss);
    }

    /**
     * Who holds the writer gate or a lease on behalf of a connection. Its description is made only
     * when a message needs it: connections are opened per request, and most never print one. It
     * names the connection by the holder's own identity, taken then too (an identity hash is a
     * write to the object's header, paid by every connection if taken at its opening).
     */
    private static final class Holder {
        private final String path;

        Holder(String path) {
            this.path = path;
        }

        @Override
        public String toString() {
            return "safesqlite connection@" + Integer.toHexString(System.identityHashCode(this)) + " to " + path;
        }
    }

    /**
     * The first write transaction of this connection started: from now on, should the application
     * lose the connection mid-transaction, it is reclaimed (see {@link Abandoned}). Registered only
     * then, and unregistered at close, because a registration per connection costs every
     * connection-per-request application a phantom reference.
     */
    private void watchForLoss() {
        if (reclaim == null) {
            reclaim = Abandoned.watch(this, tx.slot(), router.held(), holder);
        }
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

    /**
     * The connection a batched unit of work's callback gets: autocommit off for good, its
     * transaction a savepoint inside the group's transaction on {@code writer} (or, when
     * {@code insideGroup} is false, a transaction of its own on it); see docs/design.md, "Batched
     * units of work". Closing it gives nothing back: the gate stays with its holder.
     */
    public static Connection openUnit(Engine engine, Lease writer, boolean insideGroup) throws SQLException {
        LogicalConnection c = (LogicalConnection) open(engine, () -> { });
        UnitScope scope = new UnitScope(writer, insideGroup);
        c.tx.bindTo(scope);
        c.router.bindTo(scope);
        return c;
    }

    /** Whether INSERTs read their key for getGeneratedKeys(), as sqlite-jdbc does unless jdbc.get_generated_keys=false. */
    boolean generatedKeys() {
        return generatedKeys;
    }

    Engine engine() {
        return engine;
    }

    /** The physical connection for the generated delegation: the transaction's, or the shared auxiliary one. */
    protected Connection delegate() throws SQLException {
        checkOpen();
        return describeConnection();
    }

    /**
     * Where SQL can be prepared for description and metadata asked: inside a transaction its own
     * connection (it sees its changes), otherwise the shared metadata connection, brought up to the
     * latest committed schema first.
     */
    Connection describeConnection() throws SQLException {
        Lease lease = tx.lease();
        if (lease != null) {
            return lease.physical().raw();
        }
        PhysicalConnection auxiliary = engine.auxiliary();
        auxiliary.refreshSchema();
        return auxiliary.raw();
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
        if (tx.lease() == null) {
            engine.checkOpen(); // a started transaction may still finish while its data source closes
        }
    }

    @Override
    public String toString() {
        return holder.toString();
    }

    // ---- execution: the router decides where, the transaction state what is open ---------------

    /** The lock that serializes calls on this connection and on its statements and result sets. */
    ReentrantLock lock() {
        return lock;
    }

    /** A call made while holding the connection's lock. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws SQLException;
    }

    /** Runs {@code call} holding the connection's lock (for calls off the hot path). */
    <T> T locked(Call<T> call) throws SQLException {
        lock.lock();
        try {
            return call.call();
        } finally {
            lock.unlock();
        }
    }

    /** Runs one execution of a statement of this connection; the statement holds the lock. */
    void execute(Execution e) throws SQLException {
        router.execute(e);
    }

    /** Runs a batch of a statement of this connection; the statement holds the lock. */
    long[] executeBatch(LogicalStatement stmt, List<LogicalStatement.BatchItem> items) throws SQLException {
        checkOpen();
        return router.executeBatch(stmt, items);
    }

    // ---- transactions ---------------------------------------------------------------------

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        locked(() -> {
            checkOpen();
            router.startCall();
            tx.setAutoCommit(on);
            return null;
        });
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return locked(() -> {
            checkOpen();
            return tx.autoCommit();
        });
    }

    @Override
    public void commit() throws SQLException {
        locked(() -> {
            checkOpen();
            router.startCall();
            tx.endByJdbc(true);
            return null;
        });
    }

    @Override
    public void rollback() throws SQLException {
        locked(() -> {
            checkOpen();
            router.startCall();
            tx.endByJdbc(false);
            return null;
        });
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return locked(() -> {
            int id = ++savepointCounter;
            return newSavepoint(new LogicalSavepoint(id, "SQLITE_SAVEPOINT_" + id));
        });
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new SQLException("a savepoint name must be a non-empty string without NUL characters", "3B002");
        }
        return locked(() -> newSavepoint(new LogicalSavepoint(++savepointCounter, name)));
    }

    private Savepoint newSavepoint(LogicalSavepoint sp) throws SQLException {
        checkOpen();
        if (!tx.requested()) {
            tx.setAutoCommit(false); // as in sqlite-jdbc: a savepoint in autocommit mode begins a transaction
        }
        router.savepoint("SAVEPOINT " + quoteIdentifier(sp.sqlName()), sp.sqlName());
        return sp;
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        String name = savepointName(savepoint);
        locked(() -> {
            checkOpen();
            router.startCall();
            tx.releaseOrRollbackTo("RELEASE SAVEPOINT " + quoteIdentifier(name), name, true);
            return null;
        });
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        String name = savepointName(savepoint);
        locked(() -> {
            checkOpen();
            router.startCall();
            tx.releaseOrRollbackTo("ROLLBACK TO SAVEPOINT " + quoteIdentifier(name), name, false);
            return null;
        });
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

    // ---- statements -----------------------------------------------------------------------

    private <T extends LogicalStatement> T track(T statement) throws SQLException {
        return locked(() -> {
            checkOpen();
            return statements.track(statement);
        });
    }

    /** A statement closed; called with the lock held. */
    void forget(LogicalStatement statement) {
        statements.forget(statement);
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
        return track(LogicalPreparedStatement.create(this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return track(LogicalPreparedStatement.create(this, sql));
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
        locked(() -> {
            checkOpen();
            tx.setReadOnly(readOnly);
            return null;
        });
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return locked(() -> {
            checkOpen();
            return tx.readOnly();
        });
    }

    /** SQLite transactions are always SERIALIZABLE; JDBC lets a driver answer a weaker request with a stronger level. */
    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        switch (level) {
            // Every level is answered as asked, as sqlite-jdbc does; SQLite itself gives each transaction a
            // snapshot and one writer at a time, which is serializable whatever was asked.
            case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ,
                    TRANSACTION_SERIALIZABLE -> isolation = level;
            default -> throw new SQLException("unsupported transaction isolation level " + level + "; use one of "
                    + "TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ or "
                    + "TRANSACTION_SERIALIZABLE (all serializable in SQLite)", "HY024");
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return isolation;
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
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException failure = null;
        statements.closeAll();
        if (tx.lease() != null) {
            try {
                tx.end(false); // closing mid-transaction rolls back
            } catch (SQLException e) {
                // With the data source already closed the physical connection is gone, and SQLite rolled
                // back when it closed: the connection's close has nothing left to report.
                failure = engine.isClosed() ? null : e;
            } finally {
                tx.abandon(); // whatever happened, the lease goes back
            }
        }
        if (reclaim != null) {
            reclaim.clean(); // nothing is held any more: the action finds nothing, and the registration goes
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
        Lease lease = locked(() -> {
            checkOpen();
            return tx.lease();
        });
        if (lease == null) {
            throw new SQLException("unwrap(" + iface.getName() + ") reaches the physical connection only inside a "
                    + "started transaction, where this connection is bound to one; outside one each statement may "
                    + "run on a different physical connection", "HY000");
        }
        return lease.physical().raw().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isAssignableFrom(org.sqlite.SQLiteConnection.class);
    }
}
