package io.github.safesqlite.jdbc;

import java.lang.invoke.MethodHandle;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Database metadata answered by sqlite-jdbc: inside a transaction by its connection (which sees
 * its own schema changes), otherwise by the engine's auxiliary read-only connection. Generated
 * delegation passes every ResultSet through {@link #wrap(ResultSet)}.
 */
public abstract class LogicalDatabaseMetaData implements DatabaseMetaData {

    private static final MethodHandle FACTORY =
            Delegation.constructor(LogicalDatabaseMetaData.class, LogicalConnection.class);

    private final LogicalConnection connection;

    protected LogicalDatabaseMetaData(LogicalConnection connection) {
        this.connection = connection;
    }

    static DatabaseMetaData create(LogicalConnection connection) {
        try {
            return (LogicalDatabaseMetaData) FACTORY.invokeExact(connection);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create logical DatabaseMetaData", t);
        }
    }

    /** The physical metadata, for the generated delegation. */
    protected DatabaseMetaData delegate() throws SQLException {
        connection.checkOpen();
        return connection.describeConnection().getMetaData();
    }

    /** Metadata results belong to no statement, as JDBC allows. */
    protected ResultSet wrap(ResultSet physical) {
        return physical == null ? null : LogicalResultSet.wrap(physical, null);
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public String getURL() throws SQLException {
        return "jdbc:safesqlite:" + connection.engine().config().path();
    }

    @Override
    public String getDriverName() {
        return "safesqlite (over sqlite-jdbc)";
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
        return iface.isInstance(this) || delegate().isWrapperFor(iface);
    }
}
