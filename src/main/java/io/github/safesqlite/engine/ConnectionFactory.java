package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteConfig;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/** Opens sqlite-jdbc connections and gives each the PRAGMA profile of its role. */
final class ConnectionFactory {

    private final SafeSqliteConfig config;
    private final PragmaProfile profile;

    ConnectionFactory(SafeSqliteConfig config, PragmaProfile profile) {
        this.config = config;
        this.profile = profile;
    }

    PhysicalConnection open(PhysicalConnection.Role role) throws SQLException {
        SQLiteConfig sqlite = new SQLiteConfig();
        // safesqlite fetches generated keys itself, and only when asked for them.
        sqlite.setGetGeneratedKeys(false);
        sqlite.setBusyTimeout(config.busyTimeoutMillis());
        SQLiteConnection raw;
        try {
            raw = (SQLiteConnection) sqlite.createConnection("jdbc:sqlite:" + config.path());
        } catch (SQLException e) {
            throw new SQLException("could not open SQLite database " + config.path() + ": " + e.getMessage()
                    + ". Check that the path is right and the file and its directory are readable and writable.",
                    "08001", e);
        }
        try {
            profile.apply(raw, role);
        } catch (SQLException e) {
            raw.close();
            if ("08001".equals(e.getSQLState())) {
                throw e;
            }
            throw new SQLException("could not set up SQLite database " + config.path() + " (" + e.getMessage()
                    + "). It may not be a SQLite database, be read-only, or be locked by another program.",
                    "08001", e);
        }
        return new PhysicalConnection(raw, role, config.statementCacheSize());
    }
}
