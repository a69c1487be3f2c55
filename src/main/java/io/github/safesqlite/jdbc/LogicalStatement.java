package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.CachedStatement;
import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.Lease;
import io.github.safesqlite.metrics.DatabaseMetrics;
import io.github.safesqlite.sql.SqlScript;
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

/**
 * A Statement that owns no physical statement of its own: each execution borrows one from the
 * physical connection the routing picks, and gives it (and a pooled reader) back when its results
 * are closed, read to the end, or replaced by the next execution.
 */
public abstract class LogicalStatement implements Statement {

    private static final MethodHandle FACTORY =
            Delegation.generate(LogicalStatement.class, LogicalConnection.class);

    final LogicalConnection connection;
    private boolean closed;
    private boolean closeOnCompletion;
    private boolean poolable;
    private int maxRows;
    private int queryTimeout;
    private int fetchSize;
    private int maxFieldSize;

    // The current execution: rows still open on a borrowed physical statement, or a count.
    private LogicalResultSet results;
    private CachedStatement physical;
    private Lease lease;
    private long updateCount = -1;
    private ResultSet generatedKeys;
    private volatile CachedStatement executing;
    private final Outcome outcome = new Outcome();
    /** The ResultSet handed out for this statement's rows, reused by each execution as sqlite-jdbc does. */
    private LogicalResultSet rowsView;
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
        if (physical == null) {
            throw new SQLFeatureNotSupportedException("this call needs an executed statement with open results", "0A000");
        }
        return physical.statement();
    }

    // ---- execution ------------------------------------------------------------------------

    /** Runs {@code sql} (one statement or several) and keeps the outcome as this statement's current results. */
    final boolean run(String sql, Parameters parameters, ExecutionMode mode, boolean keys) throws SQLException {
        checkOpen();
        return runOpen(connection.engine().classifier().classify(sql), parameters, mode, keys);
    }

    /** Runs an already classified script and keeps the outcome as this statement's current results. */
    final boolean run(SqlScript script, Parameters parameters, ExecutionMode mode, boolean keys) throws SQLException {
        checkOpen();
        return runOpen(script, parameters, mode, keys);
    }

    private boolean runOpen(SqlScript script, Parameters parameters, ExecutionMode mode, boolean keys)
            throws SQLException {
        releaseExecution();
        DatabaseMetrics metrics = connection.engine().metrics();
        long start = metrics.timing() ? System.nanoTime() : 0;
        try {
            connection.execute(this, script, parameters, mode, keys);
        } finally {
            if (start != 0) {
                metrics.query(script, System.nanoTime() - start, parameters);
            }
        }
        return results != null;
    }

    /** Applies this statement's settings to the physical statement about to run. */
    final void configure(CachedStatement target) throws SQLException {
        Statement s = target.statement();
        s.setMaxRows(maxRows);
        s.setQueryTimeout(queryTimeout);
        if (fetchSize > 0) {
            s.setFetchSize(fetchSize);
        }
        executing = target;
    }

    final void finishedExecuting() {
        executing = null;
    }

    /**
     * Adopts an outcome. Open rows stay on their physical statement; {@code keep} is the lease to give
     * back when they close (null when a transaction owns the physical connection).
     */
    final void adopt(Outcome outcome, Lease keep) {
        if (outcome.hasRows()) {
            results = viewOf(outcome.rows());
            physical = outcome.physical();
            lease = keep;
            updateCount = -1;
        } else {
            updateCount = outcome.updateCount();
        }
        if (outcome.generatedKeys() != null) {
            generatedKeys = LogicalResultSet.wrap(outcome.generatedKeys(), this);
        }
    }

    /** Where the next execution of this statement puts what it produced. */
    final Outcome outcome() {
        return outcome;
    }

    /**
     * The logical ResultSet over {@code rows}. Like sqlite-jdbc, a statement has one ResultSet
     * object that each execution reopens (the previous results are closed by then, as JDBC
     * requires), so a query allocates no wrapper.
     */
    private LogicalResultSet viewOf(ResultSet rows) {
        if (rowsView == null) {
            rowsView = LogicalResultSet.wrap(rows, this);
        } else {
            rowsView.reopen(rows);
        }
        return rowsView;
    }

    /** A multi-statement {@code executeUpdate} reports the sum of its statements' counts. */
    final void overrideUpdateCount(long total) {
        updateCount = total;
    }

    /** True while this statement's open rows sit on a physical connection owned by the transaction. */
    final boolean holdsTransactionResults() {
        return physical != null && lease == null;
    }

    /** Closes the current results and gives back what they borrowed. */
    final void releaseExecution() throws SQLException {
        SQLException failure = null;
        if (results != null) {
            try {
                if (physical != null) {
                    results.closePhysical();
                }
            } catch (SQLException e) {
                failure = e;
            }
            results.markClosed();
            results = null;
        }
        failure = releaseBorrowed(failure);
        if (generatedKeys != null) {
            generatedKeys.close();
            generatedKeys = null;
        }
        updateCount = -1;
        if (failure != null) {
            throw failure;
        }
    }

    private SQLException releaseBorrowed(SQLException failure) {
        if (physical != null) {
            try {
                physical.release();
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
            physical = null;
        }
        if (lease != null) {
            lease.release();
            lease = null;
        }
        return failure;
    }

    /** The application read {@code rs} to the end: give back the physical side now. */
    final void resultsExhausted(LogicalResultSet rs) throws SQLException {
        if (rs != results || physical == null) {
            return;
        }
        SQLException failure = null;
        try {
            rs.closePhysical();
        } catch (SQLException e) {
            failure = e;
        }
        failure = releaseBorrowed(failure);
        if (failure != null) {
            throw failure;
        }
    }

    /** The application closed {@code rs}. */
    final void resultsClosed(LogicalResultSet rs) throws SQLException {
        if (rs != results) {
            rs.closePhysical(); // generated keys, or results already replaced
            return;
        }
        if (physical != null) {
            rs.closePhysical();
        }
        results = null;
        SQLException failure = releaseBorrowed(null);
        if (closeOnCompletion) {
            close();
        }
        if (failure != null) {
            throw failure;
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
        run(sql, null, ExecutionMode.QUERY, false);
        return results;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) executeLargeUpdate(sql);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        run(sql, null, ExecutionMode.UPDATE_IGNORING_ROWS, false);
        return Math.max(updateCount, 0);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return (int) executeLargeUpdate(sql, autoGeneratedKeys);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        run(sql, null, ExecutionMode.UPDATE_IGNORING_ROWS, autoGeneratedKeys == RETURN_GENERATED_KEYS);
        return Math.max(updateCount, 0);
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
        return run(sql, null, ExecutionMode.ANY, false);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return run(sql, null, ExecutionMode.ANY, autoGeneratedKeys == RETURN_GENERATED_KEYS);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return run(sql, null, ExecutionMode.ANY, true);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return run(sql, null, ExecutionMode.ANY, true);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return results;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return (int) updateCount;
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return updateCount;
    }

    /** Only the last statement of a multi-statement string keeps its results, so there are never more. */
    @Override
    public boolean getMoreResults() throws SQLException {
        checkOpen();
        releaseExecution();
        return false;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        return getMoreResults();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        if (generatedKeys == null) {
            generatedKeys = LogicalResultSet.wrap(PhysicalExecution.emptyKeys(), this);
        }
        return generatedKeys;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch = null;
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
        checkOpen();
        releaseExecution();
        List<String> items = batch == null ? List.of() : batch;
        batch = null;
        List<BatchItem> work = new ArrayList<>(items.size());
        for (String sql : items) {
            work.add(new BatchItem(sql, null));
        }
        return connection.executeBatch(this, work);
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
        if (closed) {
            return;
        }
        try {
            releaseExecution();
        } finally {
            closed = true;
            batch = null;
            connection.forget(this);
        }
    }

    /** Closes this statement because its connection is closing; the connection already dropped it. */
    final void closeForConnection() {
        try {
            releaseExecution();
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
        CachedStatement running = executing;
        if (running != null) {
            running.statement().cancel();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return physical == null ? null : physical.statement().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        if (physical != null) {
            physical.statement().clearWarnings();
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
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD) {
            throw new SQLFeatureNotSupportedException("SQLite results are forward-only", "0A000");
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
        return iface.isInstance(this) || (physical != null && physical.statement().isWrapperFor(iface));
    }
}
