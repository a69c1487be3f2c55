package io.github.safesqlite.jdbc;

import java.lang.invoke.MethodHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A ResultSet that answers {@link #getStatement()} with the logical statement and gives its
 * physical connection back as soon as it is closed or read to the end. Everything else is
 * generated delegation to the physical ResultSet.
 */
public abstract class LogicalResultSet implements ResultSet {

    private static final MethodHandle FACTORY =
            Delegation.constructor(LogicalResultSet.class, ResultSet.class, LogicalStatement.class);

    private ResultSet physical;
    private final LogicalStatement statement;
    private boolean exhausted;
    private boolean closed;
    /** True once the physical rows were closed to give their reader back (read to the end). */
    private boolean physicalClosed;
    /** Rows this result set has moved onto, for getRow() and isFirst() after the end. */
    private int rowsSeen;
    /** The SQL of the rows, to describe them after their physical result set is gone; or null. */
    private String sql;
    /** A statement prepared only to describe {@link #sql}, made when asked for after the end. */
    private java.sql.PreparedStatement described;

    protected LogicalResultSet(ResultSet physical, LogicalStatement statement) {
        this.physical = physical;
        this.statement = statement;
    }

    /** Wraps {@code physical}; {@code statement} may be null for metadata results. */
    static LogicalResultSet wrap(ResultSet physical, LogicalStatement statement) {
        try {
            return (LogicalResultSet) FACTORY.invokeExact(physical, statement);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a logical ResultSet", t);
        }
    }

    /** Points this (closed) ResultSet at the rows of its statement's new execution. */
    void reopen(ResultSet rows) {
        physical = rows;
        exhausted = false;
        closed = false;
        physicalClosed = false;
        rowsSeen = 0;
        sql = null;
        closeDescribed();
    }

    /** The SQL these rows come from: what answers their metadata after the physical rows are closed. */
    void describedBy(String rowsSql) {
        sql = rowsSql;
    }

    /** The physical ResultSet, for the generated delegation. */
    protected final ResultSet delegate() throws SQLException {
        if (closed) {
            throw new SQLException("ResultSet is closed", "24000");
        }
        if (exhausted && physicalClosed) {
            throw new SQLException("ResultSet has been read to the end; no current row", "24000");
        }
        return physical;
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("ResultSet is closed", "24000");
        }
        if (exhausted) {
            return false;
        }
        if (physical.next()) {
            rowsSeen++;
            return true;
        }
        // Read to the end: give the reader back now rather than whenever the application closes us.
        exhausted = true;
        if (statement != null) {
            statement.resultsExhausted(this);
        }
        return false;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        closeDescribed();
        if (statement != null) {
            statement.resultsClosed(this);
        } else {
            physical.close();
        }
    }

    /** Closes the physical ResultSet; called by the owning statement when it lets go of the execution. */
    void closePhysical() throws SQLException {
        exhausted = true;
        physicalClosed = true;
        physical.close();
    }

    // ---- after the end: sqlite-jdbc still answers these once next() returned false ----------------

    /** True when the physical rows are gone (read to the end, reader given back) and this is still open. */
    private boolean afterEnd() throws SQLException {
        if (closed) {
            throw new SQLException("ResultSet is closed", "24000");
        }
        return exhausted && physicalClosed;
    }

    @Override
    public java.sql.ResultSetMetaData getMetaData() throws SQLException {
        if (!afterEnd()) {
            return delegate().getMetaData();
        }
        if (described == null) {
            if (sql == null || statement == null) {
                throw new SQLException("ResultSet has been read to the end; no current row", "24000");
            }
            described = statement.connection.describeConnection().prepareStatement(sql);
        }
        return described.getMetaData();
    }

    @Override
    public int findColumn(String label) throws SQLException {
        if (!afterEnd()) {
            return delegate().findColumn(label);
        }
        java.sql.ResultSetMetaData meta = getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase(label)) {
                return i;
            }
        }
        throw new SQLException("no such column: '" + label + "'", "42S22");
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        return !afterEnd() && delegate().isBeforeFirst();
    }

    @Override
    public boolean isFirst() throws SQLException {
        return afterEnd() ? rowsSeen == 1 : delegate().isFirst();
    }

    @Override
    public int getRow() throws SQLException {
        return afterEnd() ? rowsSeen : delegate().getRow();
    }

    @Override
    public int getType() throws SQLException {
        return afterEnd() ? TYPE_FORWARD_ONLY : delegate().getType();
    }

    @Override
    public int getConcurrency() throws SQLException {
        return afterEnd() ? CONCUR_READ_ONLY : delegate().getConcurrency();
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return afterEnd() ? FETCH_FORWARD : delegate().getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return afterEnd() ? 0 : delegate().getFetchSize();
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        return afterEnd() ? null : delegate().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        if (!afterEnd()) {
            delegate().clearWarnings();
        }
    }

    private void closeDescribed() {
        if (described != null) {
            try {
                described.close();
            } catch (SQLException ignored) {
                // only a description: nothing depends on it
            }
            described = null;
        }
    }

    /** Marks this result closed without touching the physical one (the statement already released it). */
    void markClosed() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        // sqlite-jdbc: after the last row, but not for a result that had none
        return exhausted ? rowsSeen > 0 : delegate().isAfterLast();
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return physical.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical.isWrapperFor(iface);
    }
}
