package io.github.safesqlite.jdbc;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Parameter metadata of a logical PreparedStatement, answered as sqlite-jdbc answers it: from the
 * values bound at the time of each call (sqlite-jdbc reports the type of the value bound, so
 * {@code getParameterType} after {@code setLong} is {@code BIGINT}). The values are recorded by
 * {@link Parameters}, not bound to any physical statement, so each call first replays them onto
 * the statement kept only for description and then asks sqlite-jdbc.
 */
final class LogicalParameterMetaData implements ParameterMetaData {

    /** Gives the described statement with the current values bound, under the connection's lock. */
    @FunctionalInterface
    interface Source {
        ParameterMetaData current() throws SQLException;
    }

    private final Source source;

    LogicalParameterMetaData(Source source) {
        this.source = source;
    }

    /** Replays {@code parameters} onto {@code described} and returns its metadata. */
    static ParameterMetaData bound(PreparedStatement described, Parameters parameters) throws SQLException {
        parameters.applyTo(described, described.getParameterMetaData().getParameterCount());
        return described.getParameterMetaData();
    }

    @Override
    public int getParameterCount() throws SQLException {
        return source.current().getParameterCount();
    }

    @Override
    public int isNullable(int param) throws SQLException {
        return source.current().isNullable(param);
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
        return source.current().isSigned(param);
    }

    @Override
    public int getPrecision(int param) throws SQLException {
        return source.current().getPrecision(param);
    }

    @Override
    public int getScale(int param) throws SQLException {
        return source.current().getScale(param);
    }

    @Override
    public int getParameterType(int param) throws SQLException {
        return source.current().getParameterType(param);
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
        return source.current().getParameterTypeName(param);
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
        return source.current().getParameterClassName(param);
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
        return source.current().getParameterMode(param);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return source.current().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || source.current().isWrapperFor(iface);
    }
}
