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
    }

    /** The physical ResultSet, for the generated delegation. */
    protected final ResultSet delegate() throws SQLException {
        if (closed) {
            throw new SQLException("ResultSet is closed", "24000");
        }
        if (exhausted) {
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
        if (statement != null) {
            statement.resultsClosed(this);
        } else {
            physical.close();
        }
    }

    /** Closes the physical ResultSet; called by the owning statement when it lets go of the execution. */
    void closePhysical() throws SQLException {
        exhausted = true;
        physical.close();
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
        return exhausted || delegate().isAfterLast();
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
