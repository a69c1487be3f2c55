package io.github.safesqlite.jdbc;

import java.lang.invoke.MethodHandle;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Statement that owns no physical statement of its own: each execution borrows one from the
 * physical connection the routing picks, and gives it (and a pooled reader) back when its results
 * are closed, read to the end, or replaced by the next execution.
 */
public abstract class LogicalStatement implements Statement {

    private static final MethodHandle FACTORY =
            Delegation.constructor(LogicalStatement.class, LogicalConnection.class);

    final LogicalConnection connection;
    private boolean closed;
    private boolean closeOnCompletion;
    private boolean poolable;
    private int maxRows;
    private int queryTimeout;
    private int fetchSize;
    private int maxFieldSize;

    private final OpenResults results = new OpenResults(this);
    private List<String> batch;

    protected LogicalStatement(LogicalConnection connection) {
        this.connection = connection;
    }

    static LogicalStatement create(LogicalConnection connection) {
        try {
            return (LogicalStatement) FACTORY.invokeExact(connection);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a logical Statement", t);
        }
    }

    /** The physical statement of the current execution, for the generated delegation. */
    protected Statement delegate() throws SQLException {
        checkOpen();
        Statement physical = results.physicalStatement();
        if (physical == null) {
            throw new SQLFeatureNotSupportedException("this call needs an executed statement with open results", "0A000");
        }
        return physical;
    }

    // ---- execution ------------------------------------------------------------------------

    /** Runs {@code sql} (one statement or several) and keeps the outcome as this statement's current results. */
    private boolean run(String sql, ExecutionMode mode) throws SQLException {
        ReentrantLock lock = connection.lock();
        lock.lock();
        try {
            checkOpen();
            return runOpen(Execution.of(this, connection.engine().classifier().classify(sql), null, mode));
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code e} and keeps the outcome as this statement's current results; true when it produced rows. */
    final boolean run(Execution e) throws SQLException {
        ReentrantLock lock = connection.lock();
        lock.lock();
        try {
            checkOpen();
            return runOpen(e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs with the connection's lock held: calls on one connection are serialized, as in sqlite-jdbc. */
    private boolean runOpen(Execution e) throws SQLException {
        connection.execute(e);
        return results.resultSet() != null;
    }

    /** This statement's open results, which the router fills. */
    final OpenResults results() {
        return results;
    }

    /** Applies this statement's settings to the physical statement about to run. */
    final void applySettings(Statement target) throws SQLException {
        target.setMaxRows(maxRows);
        target.setQueryTimeout(queryTimeout);
        if (fetchSize > 0) {
            target.setFetchSize(fetchSize);
        }
    }

    /** Closes the current results and gives back what they borrowed. */
    final void releaseExecution() throws SQLException {
        connection.locked(() -> {
            results.release();
            return null;
        });
    }

    // The next three run once per query: they lock by hand, since a lambda per call would allocate.

    /** The application read {@code rs} to the end: give back the physical side now. */
    final void resultsExhausted(LogicalResultSet rs) throws SQLException {
        ReentrantLock lock = connection.lock();
        lock.lock();
        try {
            results.exhausted(rs);
        } finally {
            lock.unlock();
        }
    }

    /** The application closed {@code rs}. */
    final void resultsClosed(LogicalResultSet rs) throws SQLException {
        ReentrantLock lock = connection.lock();
        lock.lock();
        try {
            boolean current = rs == results.resultSet();
            try {
                results.closed(rs);
            } finally {
                if (current && closeOnCompletion) {
                    close();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed", "HY010");
        }
        connection.checkOpen();
    }

    // ---- Statement ------------------------------------------------------------------------

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        run(sql, ExecutionMode.QUERY);
        return results.resultSet();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) executeLargeUpdate(sql);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        run(sql, ExecutionMode.UPDATE_IGNORING_ROWS);
        return Math.max(results.updateCount(), 0);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return (int) executeLargeUpdate(sql, autoGeneratedKeys);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        // Keys are read for every INSERT, asked for or not, as in sqlite-jdbc (see Execution.keys).
        return executeLargeUpdate(sql);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return executeUpdate(sql, RETURN_GENERATED_KEYS);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return executeLargeUpdate(sql, RETURN_GENERATED_KEYS);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return executeUpdate(sql, RETURN_GENERATED_KEYS);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return executeLargeUpdate(sql, RETURN_GENERATED_KEYS);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(sql, ExecutionMode.ANY);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return execute(sql);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        ReentrantLock lock = connection.lock();
        lock.lock();
        try {
            checkOpen();
            return results.resultSet();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return (int) getLargeUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        ReentrantLock lock = connection.lock(); // once per executeUpdate: no lambda
        lock.lock();
        try {
            checkOpen();
            return results.updateCount();
        } finally {
            lock.unlock();
        }
    }

    /** Only the last statement of a multi-statement string keeps its results, so there are never more. */
    @Override
    public boolean getMoreResults() throws SQLException {
        return connection.locked(() -> {
            checkOpen();
            results.release();
            return false;
        });
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        switch (current) {
            case CLOSE_CURRENT_RESULT, CLOSE_ALL_RESULTS:
                return getMoreResults();
            case KEEP_CURRENT_RESULT:
                // One execution has one result, so there is never a next one; the current rows stay open.
                return connection.locked(() -> {
                    checkOpen();
                    return false;
                });
            default:
                throw new SQLException("getMoreResults(" + current + "): invalid argument; use "
                        + "Statement.CLOSE_CURRENT_RESULT, KEEP_CURRENT_RESULT or CLOSE_ALL_RESULTS", "HY024");
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return connection.locked(() -> {
            checkOpen();
            return results.generatedKeys();
        });
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        connection.locked(() -> {
            checkOpen();
            if (batch == null) {
                batch = new ArrayList<>();
            }
            batch.add(sql);
            return null;
        });
    }

    @Override
    public void clearBatch() throws SQLException {
        connection.locked(() -> {
            checkOpen();
            batch = null;
            return null;
        });
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] out = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (int) counts[i];
        }
        return out;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return connection.locked(() -> {
            checkOpen();
            results.release();
            List<String> items = batch == null ? List.of() : batch;
            batch = null;
            List<BatchItem> work = new ArrayList<>(items.size());
            for (String sql : items) {
                work.add(new BatchItem(sql, null));
            }
            return connection.executeBatch(this, work);
        });
    }

    /** One entry of a batch: SQL and, for prepared statements, its recorded parameters. */
    record BatchItem(String sql, Parameters parameters) {
    }

    static BatchUpdateException batchFailure(String message, long[] counts, SQLException cause) {
        return new BatchUpdateException(message + ": " + cause.getMessage(), cause.getSQLState(),
                cause.getErrorCode(), counts, cause);
    }

    @Override
    public void close() throws SQLException {
        connection.locked(() -> {
            if (closed) {
                return null;
            }
            try {
                results.release();
            } finally {
                closed = true;
                batch = null;
                connection.forget(this);
            }
            return null;
        });
    }

    /** Closes this statement because its connection is closing (with its lock held); the connection already dropped it. */
    final void closeForConnection() {
        try {
            results.release();
        } catch (SQLException ignored) {
            // The connection is closing; the physical side is being given back regardless.
        }
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void cancel() throws SQLException {
        results.cancel();
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        Statement physical = results.physicalStatement();
        return physical == null ? null : physical.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        Statement physical = results.physicalStatement();
        if (physical != null) {
            physical.clearWarnings();
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("max rows must be >= 0, was " + max, "22023");
        }
        maxRows = max;
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return getMaxRows();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        setMaxRows((int) Math.min(max, Integer.MAX_VALUE));
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeout;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw new SQLException("query timeout must be >= 0, was " + seconds, "22023");
        }
        queryTimeout = seconds;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("fetch size must be >= 0, was " + rows, "22023");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    /** A hint, as in sqlite-jdbc: results stay forward-only, and {@link #getFetchDirection()} says so. */
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD && direction != ResultSet.FETCH_REVERSE
                && direction != ResultSet.FETCH_UNKNOWN) {
            throw new SQLException("unknown fetch direction " + direction, "HY024");
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return maxFieldSize;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("max field size must be >= 0, was " + max, "22023");
        }
        maxFieldSize = max;
    }

    /** SQLite has no JDBC escape syntax to process; the setting is accepted and has no effect, as in sqlite-jdbc. */
    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        throw new SQLFeatureNotSupportedException("SQLite has no named cursors (positioned updates)", "0A000");
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return poolable;
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
        this.poolable = poolable;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        Statement physical = results.physicalStatement();
        return iface.isInstance(this) || (physical != null && physical.isWrapperFor(iface));
    }
}
