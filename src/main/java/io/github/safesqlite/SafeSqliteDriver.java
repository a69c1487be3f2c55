package io.github.safesqlite;

import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.EngineRegistry;
import io.github.safesqlite.jdbc.LogicalConnection;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver for {@code jdbc:safesqlite:<path>[?key=value&...]} URLs, registered with
 * {@link DriverManager} through {@code META-INF/services/java.sql.Driver}. Every connection to the
 * same file in the JVM shares one engine (one writer, one reader pool), so swapping
 * {@code jdbc:sqlite:} for {@code jdbc:safesqlite:} serializes the application's writes without
 * other changes. Databases opened through the driver stay open between connections, until no
 * connection has been open on one for {@code idle_timeout} (then it closes its files and opens again
 * at the next connection), {@link #close(String)}, {@link #closeAll()} or JVM shutdown; an in-memory database
 * ({@code jdbc:safesqlite::memory:}) belongs to its one connection, as in sqlite-jdbc.
 */
public final class SafeSqliteDriver implements Driver {


    static {
        try {
            DriverManager.registerDriver(new SafeSqliteDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Public for {@link java.util.ServiceLoader} and for containers that instantiate drivers by class name. */
    public SafeSqliteDriver() {
    }

    /**
     * Returns a logical connection, or null when {@code url} is not a safesqlite URL (as JDBC requires).
     *
     * @throws SQLException for an unknown or malformed parameter, a bad value, a missing directory,
     *                      or the same file already open with different settings
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        SafeSqliteConfig config = JdbcUrl.apply(url, info, SafeSqliteConfig.builder()).build();
        if (config.inMemory()) {
            Engine engine = EngineRegistry.acquire(config);
            // the database belongs to this one connection
            try {
                return LogicalConnection.open(engine, () -> EngineRegistry.release(engine));
            } catch (SQLException | RuntimeException e) {
                EngineRegistry.release(engine);
                throw e;
            }
        }
        // The driver keeps the file open for all its connections (see DriverPins).
        Engine pinned = DriverPins.open(config);
        try {
            return LogicalConnection.open(pinned, () -> DriverPins.closed(pinned));
        } catch (SQLException | RuntimeException e) {
            DriverPins.closed(pinned);
            throw e;
        }
    }

    /**
     * Closes what the driver keeps open for the database of {@code url} (its writer, readers and
     * background checkpointer): connections still open on it fail from now on, and the next
     * connection opens it afresh. Data sources on the same file keep it open until they close.
     *
     * @throws SQLException when {@code url} is not a valid safesqlite URL
     */
    public static void close(String url) throws SQLException {
        SafeSqliteConfig config = JdbcUrl.apply(url, null, SafeSqliteConfig.builder()).build();
        Engine engine = EngineRegistry.find(config);
        if (engine != null) {
            DriverPins.unpin(engine);
        }
    }

    /** Closes every database the driver keeps open; also run at JVM shutdown. */
    public static void closeAll() {
        DriverPins.unpinAll();
    }

    @Override
    public boolean acceptsURL(String url) {
        return JdbcUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        java.util.List<DriverPropertyInfo> out = new java.util.ArrayList<>();
        for (Setting setting : Setting.values()) {
            DriverPropertyInfo p = new DriverPropertyInfo(setting.key, setting.defaultText);
            p.description = setting.doc; // the same text as the README's settings table
            out.add(p);
        }
        // Then sqlite-jdbc's own, with its descriptions, where safesqlite has no setting of that name.
        for (DriverPropertyInfo p : new org.sqlite.JDBC().getPropertyInfo("jdbc:sqlite:", null)) {
            if (Setting.forKey(p.name) == null) {
                out.add(p);
            }
        }
        return out.toArray(new DriverPropertyInfo[0]);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** Not JDBC compliant in the strict sense: SQLite does not support all of SQL-92 entry level. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("safesqlite logs through SLF4J, not java.util.logging", "0A000");
    }
}
