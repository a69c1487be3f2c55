package io.github.safesqlite.engine;

import io.github.safesqlite.ConnectionInitializer;
import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.retry.SqliteErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

/** Opens sqlite-jdbc connections and gives each the PRAGMA profile of its role. */
final class ConnectionFactory {

    private final SafeSqliteConfig config;
    private final PragmaProfile profile;
    private final String path;
    /** The initializers every connection gets; null until the first connection opens. */
    private List<ConnectionInitializer> initializers;

    /** Opens {@code config}'s file as {@link #ConnectionFactory(SafeSqliteConfig, PragmaProfile, String)} by its own path. */
    ConnectionFactory(SafeSqliteConfig config, PragmaProfile profile) {
        this(config, profile, config.path());
    }

    /**
     * @param path the file to open: the canonical path (symbolic links resolved), so that the files
     *             SQLite writes beside it (the WAL) are the ones the engine watches
     */
    ConnectionFactory(SafeSqliteConfig config, PragmaProfile profile, String path) {
        this.config = config;
        this.profile = profile;
        this.path = path;
    }

    PhysicalConnection open(PhysicalConnection.Role role) throws SQLException {
        // sqlite-jdbc's own options first (date_class, open_mode ...): each physical connection gets them alike.
        SQLiteConfig sqlite = new SQLiteConfig(config.sqliteJdbcProperties(role == PhysicalConnection.Role.WRITER));
        // safesqlite fetches generated keys itself.
        sqlite.setGetGeneratedKeys(false);
        sqlite.setBusyTimeout(config.busyTimeoutMillis());
        SQLiteConnection raw;
        try {
            raw = (SQLiteConnection) sqlite.createConnection("jdbc:sqlite:" + path);
        } catch (SQLException e) {
            throw new SQLException("could not open SQLite database " + config.path() + ": " + e.getMessage()
                    + ". Check that the path is right and the file and its directory are readable and writable.",
                    "08001", e);
        }
        ShortSleepBusyHandler handler = null;
        try {
            profile.apply(raw, role);
            if (role == PhysicalConnection.Role.WRITER && !config.inMemory()) {
                // Replaces SQLite's busy_timeout (read back above) with the same total wait in short sleeps.
                handler = new ShortSleepBusyHandler(config.busyTimeoutMillis());
                BusyHandler.setHandler(raw, handler);
                checkWritable(raw);
            }
        } catch (SQLException e) {
            raw.close();
            throw explain(e);
        }
        try {
            initialize(raw, role == PhysicalConnection.Role.WRITER);
        } catch (SQLException e) {
            raw.close();
            throw e;
        }
        if (!sqlite.isExplicitReadOnly()) {
            // safesqlite runs BEGIN, COMMIT and ROLLBACK itself. With its autocommit flag on,
            // sqlite-jdbc follows every statement that returns no rows with a BEGIN (refused inside a
            // transaction, at the cost of an error) or a BEGIN and an empty COMMIT: no effect either way,
            // and 11% of the writer's time in batched transfers (docs/design.md). The flag only steers
            // that (explicit_readonly also reads it, hence the exception); nothing here calls
            // sqlite-jdbc's commit() or rollback().
            raw.getConnectionConfig().setAutoCommit(false);
        }
        return new PhysicalConnection(raw, role, config.statementCacheSize(), handler);
    }

    /** Runs the builder's initializers, then those found by ServiceLoader, on a connection with its profile. */
    private void initialize(SQLiteConnection raw, boolean writer) throws SQLException {
        for (ConnectionInitializer initializer : initializers()) {
            try {
                initializer.initialize(raw, path, writer);
            } catch (SQLException | RuntimeException e) {
                throw new SQLException("connection initializer " + initializer.getClass().getName() + " failed on "
                        + (writer ? "the writer" : "a read-only connection") + " of " + config.path() + ": "
                        + e.getMessage(), "08001", e);
            }
        }
    }

    /** Loaded once per database, when it first opens a connection, with the class loader of the thread opening it. */
    private synchronized List<ConnectionInitializer> initializers() throws SQLException {
        if (initializers == null) {
            List<ConnectionInitializer> all = new ArrayList<>(config.initializers());
            try {
                ServiceLoader.load(ConnectionInitializer.class).forEach(all::add);
            } catch (ServiceConfigurationError e) {
                throw new SQLException("a ConnectionInitializer listed in META-INF/services cannot be loaded: "
                        + e.getMessage() + "; fix or remove the entry", "08001", e);
            }
            initializers = List.copyOf(all);
        }
        return initializers;
    }

    /**
     * A read-only file opens without complaint and fails only at the first write; find out now
     * instead. Rewriting user_version with its own value inside a transaction that is rolled back
     * touches a page without changing anything.
     */
    private static void checkWritable(SQLiteConnection raw) throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                long version;
                try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    rs.next();
                    version = rs.getLong(1);
                }
                st.execute("PRAGMA user_version = " + version);
            } catch (SQLException e) {
                try {
                    st.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            st.execute("ROLLBACK");
        }
    }

    private SQLException explain(SQLException e) {
        if ("08001".equals(e.getSQLState())) {
            return e;
        }
        SQLiteErrorCode code = SqliteErrors.code(e);
        String base = code == null ? "" : code.name();
        if (base.startsWith("SQLITE_NOTADB") || base.startsWith("SQLITE_CORRUPT")) {
            return new SQLException(config.path() + " is not a usable SQLite database (" + e.getMessage() + "): it is "
                    + "another kind of file, encrypted, or damaged. Point safesqlite at the right file, or restore it "
                    + "from a backup.", "08001", e);
        }
        if (base.startsWith("SQLITE_READONLY") || base.startsWith("SQLITE_CANTOPEN") || base.startsWith("SQLITE_PERM")) {
            return new SQLException("database " + config.path() + " cannot be written (" + e.getMessage() + "). "
                    + "safesqlite needs to write the file and create its -wal and -shm files beside it: check that "
                    + "the file and its directory are writable by this process and not on read-only storage.",
                    "08001", e);
        }
        if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) {
            return e; // the caller retries these
        }
        return new SQLException("could not set up SQLite database " + config.path() + ": " + e.getMessage(),
                "08001", e);
    }
}
